"""Hypothesis strategies for the matching engine's inputs (no database)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from app.catalog import CERTIFICATIONS, HOURS, SECTORS, SERVICES
from app.matching import CRITERIA, FeedbackSummary, NeedFeatures, ProviderFeatures, Site

LANGS = ("fr", "en", "es", "de", "ar", "nl")
COUNTRIES = ("MA", "TN", "SN", "MU", "MG")
MARKETS = ("FR", "BE", "CH", "ES", "DE", "GB")
BASE = date(2026, 3, 2)

dates = st.builds(lambda d: BASE + timedelta(days=d), st.integers(0, 200))
seats = st.integers(0, 400)


@st.composite
def providers(draw, pid=None):
    site_countries = draw(st.lists(st.sampled_from(COUNTRIES), min_size=0, max_size=2, unique=True))
    pmin = draw(st.none() | st.floats(8, 25, allow_nan=False).map(lambda x: round(x, 1)))
    pmax = None if pmin is None else pmin + draw(st.sampled_from((0.0, 0.5, 2.0, 6.0)))
    fb = draw(
        st.none() | st.builds(FeedbackSummary, st.integers(0, 30), st.floats(0, 1, allow_nan=False))
    )
    return ProviderFeatures(
        id=pid if pid is not None else draw(st.integers(1, 10**9)),
        sites=tuple(Site(c) for c in site_countries),
        seats_total=draw(seats),
        seats_available_now=draw(seats),
        seats_available_from=draw(st.none() | dates),
        seats_at_date=draw(seats),
        languages=draw(st.dictionaries(st.sampled_from(LANGS), st.integers(1, 7), max_size=4)),
        culture_markets=draw(st.frozensets(st.sampled_from(MARKETS), max_size=3)),
        services=draw(st.frozensets(st.sampled_from(SERVICES.codes), max_size=6)),
        sectors=draw(
            st.dictionaries(st.sampled_from(SECTORS.codes), st.integers(0, 12), max_size=4)
        ),
        hours=draw(st.sampled_from(HOURS.codes)),
        price_min=pmin,
        price_max=pmax,
        min_contract_seats=draw(st.sampled_from((0, 0, 5, 20, 100))),
        certifications=draw(st.frozensets(st.sampled_from(CERTIFICATIONS.codes), max_size=4)),
        gdpr_dpa=draw(st.booleans()),
        gdpr_scc=draw(st.booleans()),
        gdpr_eu_hosting=draw(st.booleans()),
        bloctel_screening=draw(st.booleans()),
        opt_in_only=draw(st.booleans()),
        verified=draw(st.booleans()),
        feedback=fb,
    )


@st.composite
def needs(draw, nid=None, lenient=False):
    """A need; ``lenient`` keeps hard filters rare (to exercise the criteria)."""
    filt = st.just(False) if lenient else st.booleans()
    return NeedFeatures(
        id=nid if nid is not None else draw(st.integers(1, 10**9)),
        services=draw(st.frozensets(st.sampled_from(SERVICES.codes), max_size=3)),
        sector=draw(st.none() | st.sampled_from(SECTORS.codes)),
        target_markets=draw(st.frozensets(st.sampled_from(MARKETS), max_size=3)),
        languages={}
        if lenient
        else draw(st.dictionaries(st.sampled_from(LANGS), st.integers(1, 7), max_size=2)),
        seats=draw(st.none() | st.integers(1, 300)),
        start_date=draw(st.none() | dates),
        hours=draw(st.none() | st.sampled_from(HOURS.codes)),
        budget_max=draw(st.none() | st.floats(8, 25, allow_nan=False).map(lambda x: round(x, 1))),
        required_certifications=frozenset()
        if lenient
        else draw(st.frozensets(st.sampled_from(CERTIFICATIONS.codes), max_size=1)),
        gdpr="none" if lenient else draw(st.sampled_from(("none", "dpa", "dpa_scc", "eu_hosting"))),
        outbound_fr_consumers=draw(filt),
        excluded_countries=frozenset()
        if lenient
        else draw(st.frozensets(st.sampled_from(COUNTRIES), max_size=2)),
        preferred_countries=draw(st.frozensets(st.sampled_from(COUNTRIES), max_size=2)),
        min_capacity_share=0.0 if lenient else draw(st.sampled_from((0.0, 0.3, 0.5, 1.0))),
        priorities=draw(st.frozensets(st.sampled_from(CRITERIA), max_size=2)),
    )
