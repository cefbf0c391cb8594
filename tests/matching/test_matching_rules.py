"""Hard filters one by one, criteria, rescaling over left-out criteria, weights."""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import pytest

from app.matching import (
    CRITERIA,
    DEFAULT_WEIGHTS,
    FeedbackSummary,
    NeedFeatures,
    ProviderFeatures,
    ProviderIndex,
    Site,
    Weights,
    explain,
    overlap_fraction,
    score_pair_reference,
)

GOOD = ProviderFeatures(
    id=1,
    sites=(Site("MA", city="Casablanca"),),
    seats_total=300,
    seats_available_now=40,
    seats_available_from=date(2026, 6, 1),
    seats_at_date=120,
    languages={"fr": 7, "en": 5, "es": 4},
    culture_markets={"FR", "BE"},
    services={"inbound_care", "outbound_telesales", "back_office"},
    sectors={"energy": 8, "telecom": 2},
    hours="extended",
    price_min=14,
    price_max=18,
    certifications={"iso_27001", "iso_18295_nf345", "iso_9001"},
    gdpr_dpa=True,
    gdpr_scc=True,
    gdpr_eu_hosting=True,
    bloctel_screening=True,
    verified=True,
)
NEED = NeedFeatures(
    id=10,
    services={"inbound_care", "outbound_telesales"},
    sector="energy",
    target_markets={"FR"},
    languages={"fr": 5},
    seats=50,
    start_date=date(2026, 7, 1),
    hours="business",
    budget_max=20,
    required_certifications={"iso_27001"},
    gdpr="dpa_scc",
    outbound_fr_consumers=True,
)


def reasons(need, provider):
    return [e.reason for e in explain(need, provider).exclusions]


def test_the_reference_pair_passes_every_filter():
    m = explain(NEED, GOOD)
    assert not m.exclusions and m.score is not None and m.score > 80


# --- hard filters, one by one ----------------------------------------------------------
def test_language_missing_or_below_the_minimum_excludes():
    assert reasons(dataclasses.replace(NEED, languages={"fr": 5, "de": 3}), GOOD) == ["language"]
    assert reasons(dataclasses.replace(NEED, languages={"es": 5}), GOOD) == ["language"]
    assert reasons(dataclasses.replace(NEED, languages={"es": 4}), GOOD) == []
    m = explain(dataclasses.replace(NEED, languages={"es": 6, "de": 3}), GOOD)
    assert m.exclusions[0].params["languages"] == (("de", 3, 0), ("es", 6, 4))


def test_required_certification_missing_excludes():
    need = dataclasses.replace(NEED, required_certifications={"iso_27001", "pci_dss"})
    m = explain(need, GOOD)
    assert [e.reason for e in m.exclusions] == ["certification"]
    assert m.exclusions[0].params["missing"] == ("pci_dss",)


def test_excluded_country_excludes_only_when_every_site_is_excluded():
    need = dataclasses.replace(NEED, excluded_countries={"MA"})
    assert reasons(need, GOOD) == ["country"]
    two_sites = dataclasses.replace(GOOD, sites=(Site("MA"), Site("SN")))
    assert reasons(need, two_sites) == []
    assert reasons(dataclasses.replace(NEED, excluded_countries={"MA", "SN"}), two_sites) == [
        "country"
    ]
    nowhere = dataclasses.replace(GOOD, sites=(), countries=frozenset())
    assert reasons(need, nowhere) == []  # no site known: not excluded


def test_outbound_to_french_consumers_needs_bloctel_or_opt_in():
    no = dataclasses.replace(GOOD, bloctel_screening=False, opt_in_only=False)
    assert reasons(NEED, no) == ["outbound_compliance"]
    assert reasons(NEED, dataclasses.replace(no, opt_in_only=True)) == []
    assert reasons(dataclasses.replace(NEED, outbound_fr_consumers=False), no) == []


@pytest.mark.parametrize(
    "requirement,dpa,scc,eu,ok",
    [
        ("none", False, False, False, True),
        ("dpa", False, True, True, False),
        ("dpa", True, False, False, True),
        ("dpa_scc", True, False, True, False),
        ("dpa_scc", True, True, False, True),
        ("eu_hosting", True, True, False, False),
        ("eu_hosting", True, True, True, True),
    ],
)
def test_gdpr_requirement(requirement, dpa, scc, eu, ok):
    p = dataclasses.replace(GOOD, gdpr_dpa=dpa, gdpr_scc=scc, gdpr_eu_hosting=eu)
    assert reasons(dataclasses.replace(NEED, gdpr=requirement), p) == ([] if ok else ["gdpr"])


def test_capacity_share_by_the_start_date():
    # 40 now, 120 from 2026-06-01; need 50 seats at share 0.5 -> 25 required
    assert reasons(NEED, GOOD) == []
    few = dataclasses.replace(GOOD, seats_available_now=10, seats_at_date=20)
    assert reasons(NEED, few) == ["capacity"]
    # seats freed only after the start date do not count
    late = dataclasses.replace(GOOD, seats_available_now=10, seats_available_from=date(2026, 8, 1))
    assert reasons(NEED, late) == ["capacity"]
    assert reasons(dataclasses.replace(NEED, start_date=date(2026, 8, 1)), late) == []
    # no start date: seats announced for later count for the filter
    assert reasons(dataclasses.replace(NEED, start_date=None), late) == []
    # the client's share
    strict = dataclasses.replace(NEED, seats=100, min_capacity_share=1.0)
    assert reasons(strict, GOOD) == []  # 120 by the start date
    assert reasons(dataclasses.replace(strict, seats=130), GOOD) == ["capacity"]
    assert reasons(dataclasses.replace(strict, seats=130, min_capacity_share=0.0), GOOD) == []


def test_every_failing_filter_is_reported():
    bad = ProviderFeatures(id=2, sites=(Site("TN"),))
    need = dataclasses.replace(NEED, excluded_countries={"TN"})
    assert reasons(need, bad) == [
        "language",
        "certification",
        "country",
        "outbound_compliance",
        "gdpr",
        "capacity",
    ]
    assert score_pair_reference(need, bad) is None


def test_index_lists_excluded_providers_with_reasons():
    bad = ProviderFeatures(id=2, sites=(Site("TN"),), languages={"fr": 7})
    index = ProviderIndex.build([GOOD, bad])
    page = index.score(NEED, include_excluded=True)
    assert [m.provider_id for m in page.items] == [1]
    assert page.total == 1 and page.excluded_total == 1
    assert page.excluded[0].id == 2
    assert page.excluded[0].reasons == ("certification", "outbound_compliance", "gdpr", "capacity")
    assert index.score(NEED).excluded == ()


# --- criteria ----------------------------------------------------------------------------
def part(need, provider, criterion, weights=None):
    m = explain(need, provider, weights)
    return next(p for p in m.parts if p.criterion == criterion)


def test_services_share():
    assert part(NEED, GOOD, "services").fraction == 1.0
    need = dataclasses.replace(
        NEED, services={"inbound_care", "collections", "back_office", "chat_email_social"}
    )
    assert part(need, GOOD, "services").fraction == 0.5


def test_sector_years():
    assert part(NEED, GOOD, "sector").fraction == 1.0  # 8 years
    assert part(dataclasses.replace(NEED, sector="telecom"), GOOD, "sector").fraction == 0.7
    assert part(dataclasses.replace(NEED, sector="health"), GOOD, "sector").fraction == 0.0
    zero = dataclasses.replace(GOOD, sectors={"health": 0})
    assert part(dataclasses.replace(NEED, sector="health"), zero, "sector").fraction == 0.5


def test_language_level_above_minimum():
    assert part(NEED, GOOD, "languages").fraction == 1.0  # native for C1 asked
    need = dataclasses.replace(NEED, languages={"en": 5, "es": 4})
    # en C1 for C1 asked -> 0.5; es B2 for B2 asked -> 0.5
    assert part(need, GOOD, "languages").fraction == 0.5
    need = dataclasses.replace(NEED, languages={"fr": 7})
    assert part(need, GOOD, "languages").fraction == 1.0


def test_culture_of_target_markets():
    need = dataclasses.replace(NEED, target_markets={"FR", "CH"})
    assert part(need, GOOD, "culture").fraction == 0.5


def test_capacity_and_ramp_up():
    assert part(NEED, GOOD, "capacity").fraction == 1.0  # 120 by July
    early = dataclasses.replace(NEED, start_date=date(2026, 5, 1))
    assert part(early, GOOD, "capacity").fraction == pytest.approx(40 / 50)
    no_start = dataclasses.replace(NEED, start_date=None, seats=100)
    # 40 now + half of the 80 freed later = 80 of 100
    assert part(no_start, GOOD, "capacity").fraction == pytest.approx(0.8)
    big_min = dataclasses.replace(GOOD, min_contract_seats=100)
    assert part(NEED, big_min, "capacity").fraction == pytest.approx(0.5)


@pytest.mark.parametrize("budget,expected", [(20, 1.0), (18, 1.0), (16, 0.5), (14, 0.0), (10, 0.0)])
def test_price_band_against_budget(budget, expected):
    assert part(dataclasses.replace(NEED, budget_max=budget), GOOD, "price").fraction == expected


def test_price_unknown_and_single_price():
    none = dataclasses.replace(GOOD, price_min=None, price_max=None)
    assert part(NEED, none, "price").fraction == 0.5
    single = dataclasses.replace(GOOD, price_min=15, price_max=15)
    assert part(dataclasses.replace(NEED, budget_max=15), single, "price").fraction == 1.0
    assert part(dataclasses.replace(NEED, budget_max=14.9), single, "price").fraction == 0.0


def test_hours_and_time_zone_overlap():
    # Casablanca (UTC+1 all year) business hours vs Paris business hours: same in winter,
    # one hour short in summer (Paris UTC+2) -> (1 + 8/9) / 2
    f = overlap_fraction(("Africa/Casablanca",), "business", "Europe/Paris", "business")
    assert f == pytest.approx((1 + 8 / 9) / 2)
    assert overlap_fraction(("Indian/Mauritius",), "24_7", "Europe/Paris", "extended") == 1.0
    # Mauritius (UTC+4) 9-18 = 5-14 UTC; Paris 9-18 = 8-17 UTC in winter (6 h in common),
    # 7-16 UTC in summer (7 h in common)
    f = overlap_fraction(("Indian/Mauritius",), "business", "Europe/Paris", "business")
    assert f == pytest.approx((6 / 9 + 7 / 9) / 2)
    # extended provider covers business hours of the market fully from Casablanca
    assert part(NEED, GOOD, "hours").fraction == 1.0
    # two sites: union of coverage
    both = overlap_fraction(
        ("Africa/Casablanca", "Indian/Mauritius"), "business", "Europe/Paris", "extended"
    )
    single = overlap_fraction(("Africa/Casablanca",), "business", "Europe/Paris", "extended")
    assert both >= single
    # need with hours but no markets: against the provider's own zone
    local = dataclasses.replace(NEED, target_markets=frozenset(), hours="24_7")
    assert part(local, GOOD, "hours").fraction == pytest.approx(84 / 168)


def test_certifications_verified_feedback_preferred():
    assert part(NEED, GOOD, "certifications").fraction == 1.0  # 2 beyond iso_27001
    assert part(NEED, GOOD, "verified").fraction == 1.0
    with_fb = dataclasses.replace(GOOD, feedback=FeedbackSummary(8, 1.0))
    assert part(NEED, with_fb, "feedback").fraction == pytest.approx((8 + 1) / 10)
    assert "feedback" in explain(NEED, GOOD).left_out
    assert (
        "feedback"
        in explain(NEED, dataclasses.replace(GOOD, feedback=FeedbackSummary(0, 0.0))).left_out
    )
    pref = dataclasses.replace(NEED, preferred_countries={"SN", "MA"})
    assert part(pref, GOOD, "preferred_country").fraction == 1.0
    assert (
        part(
            dataclasses.replace(NEED, preferred_countries={"SN"}), GOOD, "preferred_country"
        ).fraction
        == 0.0
    )


# --- left-out criteria and rescaling ---------------------------------------------------
def test_empty_need_still_scores_and_says_what_is_missing():
    empty = NeedFeatures(id=99)
    m = explain(empty, GOOD)
    assert m.score is not None
    assert [p.criterion for p in m.parts] == ["certifications", "verified"]
    assert m.score == pytest.approx(100.0)
    assert set(m.left_out) == set(CRITERIA) - {"certifications", "verified"}
    assert m.missing == (
        "services",
        "languages",
        "sector",
        "target_markets",
        "seats",
        "hours",
        "budget_max",
    )
    page = ProviderIndex.build([GOOD]).score(empty)
    assert page.total == 1 and page.missing == m.missing
    assert "services" in page.left_out and "feedback" not in page.left_out


def test_need_without_languages_or_services_rescales_over_the_rest():
    need = dataclasses.replace(NEED, languages={}, services=frozenset())
    m = explain(need, GOOD)
    assert "languages" in m.left_out and "services" in m.left_out
    assert "languages" in m.missing and "services" in m.missing
    assert math.fsum(p.max_points for p in m.parts) == pytest.approx(100.0)
    w = Weights().effective()
    used = [p.criterion for p in m.parts]
    total = sum(w[c] for c in used)
    for p in m.parts:
        assert p.max_points == pytest.approx(100 * w[p.criterion] / total)
    assert "start_date" not in m.missing
    assert "start_date" in explain(dataclasses.replace(NEED, start_date=None), GOOD).missing


# --- weights -------------------------------------------------------------------------
def test_default_weights_in_one_place():
    assert Weights().base() == DEFAULT_WEIGHTS
    assert set(DEFAULT_WEIGHTS) == set(CRITERIA)
    assert Weights().merged() == Weights()


def test_event_overrides_and_need_priorities():
    w = Weights().merged({"price": 40, "verified": 0})
    assert w.price == 40 and w.verified == 0 and w.services == DEFAULT_WEIGHTS["services"]
    m = explain(NEED, GOOD, w)
    assert next(p for p in m.parts if p.criterion == "verified").max_points == 0
    cheap = dataclasses.replace(GOOD, id=2, price_min=9, price_max=10, verified=False)
    pricey = dataclasses.replace(GOOD, id=3, price_min=19, price_max=25)
    assert score_pair_reference(NEED, cheap, w) > score_pair_reference(NEED, pricey, w)
    # a client's priority doubles the criterion's weight (idempotent)
    prio = Weights().merged(None, {"price"})
    assert prio.effective()["price"] == 2 * DEFAULT_WEIGHTS["price"]
    assert prio.merged(None, {"price"}).effective() == prio.effective()
    need = dataclasses.replace(NEED, priorities={"price"})
    assert explain(need, pricey).score == pytest.approx(explain(NEED, pricey, prio).score)
    assert explain(need, pricey).score < explain(NEED, pricey).score
    with pytest.raises(ValueError):
        Weights().merged({"nope": 1})
    with pytest.raises(ValueError):
        Weights().merged({"price": -1})
    with pytest.raises(ValueError):
        NeedFeatures(id=1, priorities={"nope"})


def test_all_weights_zero_scores_zero():
    zero = Weights().merged({c: 0 for c in CRITERIA})
    m = explain(NEED, GOOD, zero)
    assert m.score == 0.0 and all(p.points == 0 for p in m.parts)
    assert ProviderIndex.build([GOOD]).score_vector(NEED, zero)[0][0] == 0.0


# --- input validation ------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs",
    [
        {"languages": {"xx": 3}},
        {"languages": {"fr": 8}},
        {"services": {"cooking"}},
        {"sectors": {"space": 1}},
        {"hours": "nights"},
        {"certifications": {"iso_1"}},
        {"countries": {"XX"}},
        {"timezone": "Mars/Olympus"},
        {"seats_available_now": -1},
        {"price_min": 20, "price_max": 10},
    ],
)
def test_provider_validation(kwargs):
    with pytest.raises(ValueError):
        ProviderFeatures(id=1, **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sector": "space"},
        {"gdpr": "maybe"},
        {"min_capacity_share": 1.5},
        {"target_markets": {"France"}},
        {"languages": {"fr": 0}},
        {"budget_max": -3},
    ],
)
def test_need_validation(kwargs):
    with pytest.raises(ValueError):
        NeedFeatures(id=1, **kwargs)


def test_convenient_inputs():
    p = ProviderFeatures(
        id=1, languages={"fr": "native", "en": "B2"}, sectors={"energy"}, hours=None
    )
    assert p.languages == {"fr": 7, "en": 4}
    assert p.sectors == {"energy": 0} and p.hours == "business"
    assert NeedFeatures(id=1, languages={"fr": "c1"}).languages == {"fr": 5}
    assert NeedFeatures(id=1, seats=0).seats is None
