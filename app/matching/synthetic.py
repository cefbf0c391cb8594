"""Seeded synthetic providers and needs with plausible distributions, for the tests, the
benchmark and demo data. Pure (``random.Random(seed)``), no I/O.

    providers = synthetic_providers(10_000, seed=1)
    needs = synthetic_needs(1_000, seed=2)
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta

from app.catalog import CERTIFICATIONS, MARKET_LANGUAGES, SECTORS, SERVICES
from app.matching.features import FeedbackSummary, NeedFeatures, ProviderFeatures, Site
from app.matching.weights import CRITERIA

__all__ = ["synthetic_providers", "synthetic_needs", "BASE_DATE"]

BASE_DATE = date(2026, 1, 5)

# share of providers per country, price band base (EUR per agent-hour), cities
_COUNTRIES = {
    "MA": (0.35, 16.0, ("Casablanca", "Rabat", "Fès", "Meknès", "Marrakech", "Tanger")),
    "TN": (0.20, 14.0, ("Tunis", "Sfax", "Sousse")),
    "SN": (0.10, 12.5, ("Dakar", "Thiès")),
    "CI": (0.08, 13.0, ("Abidjan",)),
    "MU": (0.08, 18.0, ("Port-Louis", "Ebène")),
    "MG": (0.07, 11.0, ("Antananarivo",)),
    "CM": (0.05, 11.5, ("Douala", "Yaoundé")),
    "TG": (0.04, 11.0, ("Lomé",)),
    "BJ": (0.03, 11.0, ("Cotonou",)),
}
_SERVICE_W = {
    "inbound_care": 8,
    "outbound_telesales": 6,
    "b2b_prospecting": 4,
    "technical_support": 5,
    "back_office": 5,
    "chat_email_social": 6,
    "collections": 3,
    "appointment_setting": 4,
    "content_moderation": 2,
}
_CERT_P = {
    "iso_27001": 0.30,
    "pci_dss": 0.15,
    "iso_18295_nf345": 0.25,
    "hds": 0.05,
    "iso_9001": 0.35,
    "iso_22301": 0.08,
    "iso_27701": 0.05,
    "lrs": 0.08,
}
_MARKET_W = {
    "FR": 70,
    "BE": 25,
    "CH": 18,
    "ES": 12,
    "LU": 6,
    "DE": 8,
    "IT": 6,
    "NL": 4,
    "PT": 3,
    "GB": 6,
}
# language: (probability, (min rank, max rank)) beyond the local ones
_EXTRA_LANGS = {
    "en": (0.6, (3, 6)),
    "es": (0.25, (3, 7)),
    "de": (0.10, (3, 6)),
    "it": (0.10, (3, 6)),
    "nl": (0.03, (3, 6)),
    "pt": (0.05, (3, 7)),
}
# language asked for a market: mostly the first, sometimes the last
_NEED_LANGS = {
    "FR": ("fr",),
    "BE": ("fr", "nl"),
    "CH": ("fr", "de"),
    "ES": ("es",),
    "LU": ("fr", "de"),
    "DE": ("de",),
    "IT": ("it",),
    "NL": ("nl",),
    "PT": ("pt",),
    "GB": ("en",),
}
_LOCAL_LANGS = {
    "MA": ("ar",),
    "TN": ("ar",),
    "SN": ("wo",),
    "MG": ("mg",),
    "CM": ("en",),
    "MU": ("en",),
}


def _pick_weighted(rng: random.Random, weights: Mapping[str, float], k: int) -> set[str]:
    items = list(weights)
    chosen: set[str] = set()
    while len(chosen) < min(k, len(items)):
        chosen.add(rng.choices(items, weights=[weights[i] for i in items])[0])
    return chosen


def _provider(rng: random.Random, pid: int) -> ProviderFeatures:
    names = list(_COUNTRIES)
    country = rng.choices(names, weights=[_COUNTRIES[c][0] for c in names])[0]
    sites = [Site(country, city=rng.choice(_COUNTRIES[country][2]))]
    if rng.random() < 0.15:
        other = rng.choice([c for c in names if c != country])
        sites.append(Site(other, city=rng.choice(_COUNTRIES[other][2])))
    total = int(min(3000, max(15, rng.lognormvariate(5.0, 0.8))))
    now = int(total * rng.uniform(0.0, 0.3))
    when, at = None, 0
    if rng.random() < 0.4:
        when = BASE_DATE + timedelta(days=rng.randint(0, 150))
        at = now + int(total * rng.uniform(0.1, 0.5))
    langs = {"fr": rng.choice((6, 7, 7, 7)) if country != "MU" else rng.choice((5, 6, 7))}
    for code in _LOCAL_LANGS.get(country, ()):
        langs[code] = max(langs.get(code, 0), 7 if code != "en" else rng.randint(4, 6))
    for code, (p, (lo, hi)) in _EXTRA_LANGS.items():
        if code not in langs and rng.random() < p * (
            1.6 if (code == "es" and country == "MA") else 1.0
        ):
            langs[code] = rng.randint(lo, hi)
    culture = {"FR"} if rng.random() < 0.85 else set()
    for market, main in MARKET_LANGUAGES.items():
        if market != "FR" and main[0] in langs and langs[main[0]] >= 5 and rng.random() < 0.5:
            culture.add(market)
    services = _pick_weighted(rng, _SERVICE_W, rng.randint(2, 6))
    sectors = {
        s: rng.choice((0, 1, 2, 3, 5, 8, 12)) for s in rng.sample(SECTORS.codes, rng.randint(1, 5))
    }
    hours = rng.choices(("business", "extended", "24_7"), weights=(40, 45, 15))[0]
    price_min = price_max = None
    if rng.random() < 0.9:
        base = _COUNTRIES[country][1] * rng.uniform(0.85, 1.2)
        price_min = round(base, 1)
        price_max = round(base + rng.choice((0.0, 1.0, 2.0, 3.0, 5.0)), 1)
    certs = {c for c, p in _CERT_P.items() if rng.random() < p}
    dpa = rng.random() < 0.85
    scc = dpa and rng.random() < 0.7
    eu = scc and rng.random() < 0.25
    feedback = None
    if rng.random() < 0.3:
        feedback = FeedbackSummary(rng.randint(1, 20), round(rng.betavariate(3, 2), 3))
    return ProviderFeatures(
        id=pid,
        sites=tuple(sites),
        seats_total=total,
        seats_available_now=now,
        seats_available_from=when,
        seats_at_date=at,
        languages=langs,
        culture_markets=frozenset(culture),
        services=frozenset(services),
        sectors=sectors,
        channels=frozenset(
            rng.sample(
                ("phone", "email", "chat", "social_media", "video", "messaging", "postal_mail"),
                rng.randint(1, 5),
            )
        ),
        hours=hours,
        price_min=price_min,
        price_max=price_max,
        min_contract_seats=rng.choice((0, 0, 0, 5, 10, 20, 50)),
        certifications=frozenset(certs),
        gdpr_dpa=dpa,
        gdpr_scc=scc,
        gdpr_eu_hosting=eu,
        bloctel_screening=rng.random() < 0.5,
        opt_in_only=rng.random() < 0.2,
        verified=rng.random() < 0.6,
        feedback=feedback,
    )


def _need(rng: random.Random, nid: int) -> NeedFeatures:
    markets = _pick_weighted(rng, _MARKET_W, rng.choice((1, 1, 1, 2, 2, 3)))
    languages: dict[str, int] = {}
    if rng.random() < 0.9:
        for m in sorted(markets):
            options = _NEED_LANGS[m]
            code = options[0] if rng.random() < 0.8 else options[-1]
            languages[code] = max(languages.get(code, 0), rng.choice((4, 4, 5, 5, 6)))
        if rng.random() < 0.15:
            languages["en"] = rng.choice((3, 4, 5))
    services = _pick_weighted(rng, _SERVICE_W, rng.randint(1, 3)) if rng.random() < 0.95 else set()
    outbound = (
        bool(services & {"outbound_telesales", "appointment_setting"})
        and "FR" in markets
        and rng.random() < 0.6
    )
    return NeedFeatures(
        id=nid,
        services=frozenset(services),
        sector=rng.choice(SECTORS.codes) if rng.random() < 0.85 else None,
        target_markets=frozenset(markets) if rng.random() < 0.95 else frozenset(),
        languages=languages,
        seats=int(rng.choice((5, 10, 10, 15, 20, 20, 30, 50, 80, 120)))
        if rng.random() < 0.9
        else None,
        start_date=BASE_DATE + timedelta(days=rng.randint(15, 180)) if rng.random() < 0.5 else None,
        hours=rng.choice(("business", "business", "extended", "24_7"))
        if rng.random() < 0.7
        else None,
        budget_max=round(rng.uniform(10.0, 22.0), 1) if rng.random() < 0.75 else None,
        required_certifications=frozenset(
            rng.sample(("iso_27001", "pci_dss", "iso_18295_nf345", "hds"), 1)
        )
        if rng.random() < 0.2
        else frozenset(),
        gdpr=rng.choices(("none", "dpa", "dpa_scc", "eu_hosting"), weights=(25, 40, 28, 7))[0],
        outbound_fr_consumers=outbound,
        excluded_countries=frozenset(rng.sample(list(_COUNTRIES), rng.randint(1, 2)))
        if rng.random() < 0.1
        else frozenset(),
        preferred_countries=frozenset(rng.sample(list(_COUNTRIES), rng.randint(1, 2)))
        if rng.random() < 0.15
        else frozenset(),
        min_capacity_share=rng.choice((0.5, 0.5, 0.5, 0.3, 0.8, 1.0)),
        priorities=frozenset(rng.sample(CRITERIA, rng.randint(1, 2)))
        if rng.random() < 0.3
        else frozenset(),
    )


def synthetic_providers(n: int, seed: int = 0) -> list[ProviderFeatures]:
    """``n`` providers with ids 1..n (deterministic for a seed)."""
    rng = random.Random(seed)
    return [_provider(rng, i + 1) for i in range(n)]


def synthetic_needs(n: int, seed: int = 0) -> list[NeedFeatures]:
    """``n`` needs with ids 1..n (deterministic for a seed)."""
    rng = random.Random(seed)
    return [_need(rng, i + 1) for i in range(n)]


assert set(_SERVICE_W) == set(SERVICES.codes) and set(_CERT_P) == set(CERTIFICATIONS.codes)
