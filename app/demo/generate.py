"""Deterministic specifications of the demo data (plain dicts shaped like the API schemas).

``build(seed, providers, clients, needs, today)`` always returns the same lists for the same
arguments; the loader validates them with the real schemas and saves them.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app.catalog import CERTIFICATIONS, MARKET_LANGUAGES
from app.demo import pools
from app.matching.weights import CRITERIA

DEFAULT_SEED = 2026
DEFAULT_PROVIDERS = 60
DEFAULT_CLIENTS = 40


@dataclass
class ProviderSpec:
    organisation: dict[str, Any]
    profile: dict[str, Any]  # ProviderProfileCreate fields, without organisation_id


@dataclass
class NeedSpec:
    client: int  # index in DemoData.clients
    data: dict[str, Any]  # NeedCreate fields, without organisation_id
    close: bool = False


@dataclass
class DemoData:
    providers: list[ProviderSpec] = field(default_factory=list)
    clients: list[dict[str, Any]] = field(default_factory=list)  # OrganisationCreate fields
    needs: list[NeedSpec] = field(default_factory=list)
    # (need index, provider index, status, message)
    interests: list[tuple[int, int, str, str]] = field(default_factory=list)
    shortlists: list[tuple[int, int]] = field(default_factory=list)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_text.lower()).split()
    return "-".join(
        w
        for w in words
        if w
        not in {"sa", "sarl", "sas", "suarl", "ltd", "s", "l", "a", "r", "gmbh", "ag", "nv", "srl"}
    )


def _size(seats: int) -> str:
    for limit, size in ((9, "1-9"), (49, "10-49"), (249, "50-249"), (999, "250-999")):
        if seats <= limit:
            return size
    return "1000+"


def _money(value: float) -> str:
    return f"{round(value * 2) / 2:.2f}"  # half-euro steps, as price lists are written


def _provider_places(count: int, rng: random.Random) -> list[tuple[str, str]]:
    base = [(country, city) for country, city, n in pools.PROVIDER_CITIES for _ in range(n)]
    if count <= len(base):
        return base[:count]
    weights = [n for *_x, n in pools.PROVIDER_CITIES]
    extra = rng.choices(
        [(c, city) for c, city, _n in pools.PROVIDER_CITIES], weights, k=count - len(base)
    )
    return base + extra


def _provider(
    index: int, country: str, city: str, rng: random.Random, used_names: set[str], today: date
) -> ProviderSpec:
    prefixes = pools.NAME_PREFIXES[country]
    name = ""
    for attempt in range(4):
        prefix = prefixes[(index + attempt) % len(prefixes)]
        suffix = rng.choice(pools.NAME_SUFFIXES)
        form = rng.choice(pools.LEGAL_FORMS[country])
        name = f"{prefix} {suffix} {form}"
        if name not in used_names:
            break
    else:
        name = f"{prefix} {suffix} {city} {index + 1} {form}"
    used_names.add(name)
    # Sizes: many mid-sized centres, a few large ones.
    seats_main = rng.choice((40, 60, 80, 120, 150, 200, 250, 300, 400, 600, 900))
    seats_now = int(seats_main * rng.uniform(0.05, 0.3))
    sites: list[dict[str, Any]] = [
        {
            "country": country,
            "city": city,
            "seats_total": seats_main,
            "seats_available_now": seats_now,
        }
    ]
    if rng.random() < 0.45:
        later = min(seats_main, seats_now + rng.choice((20, 30, 50, 80)))
        sites[0]["seats_available_later"] = later
        sites[0]["available_from"] = (
            today + timedelta(days=rng.choice((30, 60, 90, 120)))
        ).isoformat()
    if seats_main >= 250 and rng.random() < 0.5:
        others = [c for c in pools.SECOND_SITES[country] if c != city]
        second = rng.choice(others)
        total = rng.choice((40, 80, 120))
        sites.append(
            {
                "country": country,
                "city": second,
                "seats_total": total,
                "seats_available_now": int(total * rng.uniform(0.1, 0.4)),
            }
        )
    languages: list[dict[str, Any]] = []
    for code, levels, chance, cultures in pools.LANGUAGE_OFFERS[country]:
        if rng.random() < chance:
            languages.append(
                {"language": code, "level": rng.choice(levels), "culture_markets": list(cultures)}
            )
    services = sorted(
        rng.sample(
            [
                "inbound_care",
                "outbound_telesales",
                "b2b_prospecting",
                "technical_support",
                "back_office",
                "chat_email_social",
                "collections",
                "appointment_setting",
                "content_moderation",
            ],
            k=rng.randint(2, 5),
        )
    )
    sectors = [
        {"sector": s, "years": rng.randint(0, 12)}
        for s in sorted(rng.sample(list(pools.SECTOR_SERVICES), k=rng.randint(1, 4)))
    ]
    channels = sorted(
        {
            "phone",
            *rng.sample(
                ["email", "chat", "social_media", "messaging", "video", "postal_mail"],
                k=rng.randint(1, 3),
            ),
        }
    )
    low, high = pools.PRICE_BANDS[country]
    price_min = rng.uniform(low, (low + high) / 2)
    price_max = min(high, price_min + rng.uniform(2, 6))
    certifications = sorted(
        c
        for c, chance in (
            ("iso_27001", 0.45),
            ("pci_dss", 0.2),
            ("iso_18295_nf345", 0.25),
            ("iso_9001", 0.35),
            ("iso_22301", 0.1),
            ("hds", 0.05),
            ("lrs", 0.08),
        )
        if rng.random() < chance
    )
    dpa = rng.random() < 0.85
    scc = dpa and rng.random() < 0.7
    eu_hosting = scc and rng.random() < 0.3
    outbound = bool({"outbound_telesales", "appointment_setting"} & set(services))
    total_seats = sum(s["seats_total"] for s in sites)
    spoken = ", ".join(lang["language"] for lang in languages)
    profile = {
        "status": "published" if rng.random() < 0.92 else "draft",
        "description_fr": (
            f"Centre de relation client de {total_seats} positions à {city}. "
            f"Langues : {spoken}. Équipes encadrées par des superviseurs "
            f"formés aux exigences des donneurs d'ordres européens."
        ),
        "description_en": (
            f"{total_seats}-seat customer contact centre in {city}. "
            f"Languages: {spoken}. Teams led by supervisors trained to the "
            f"standards of European clients."
        ),
        "sites": sites,
        "languages": languages,
        "services": services,
        "sectors": sectors,
        "channels": channels,
        "hours": rng.choice(("business", "extended", "extended", "24_7")),
        "price_min": _money(price_min),
        "price_max": _money(max(price_max, price_min + 0.5)),
        "min_contract_seats": rng.choice((0, 5, 10, 10, 20)),
        "certifications": certifications,
        "gdpr_dpa": dpa,
        "gdpr_scc": scc,
        "gdpr_eu_hosting": eu_hosting,
        "data_hosting_country": "FR" if eu_hosting else None,
        "bloctel_screening": outbound and rng.random() < 0.6,
        "opt_in_only": outbound and rng.random() < 0.3,
    }
    organisation = {
        "kind": "provider",
        "legal_name": name,
        "country": country,
        "city": city,
        "website": f"https://www.{slug(name)}.example",
        "size": _size(total_seats),
        "verified": rng.random() < 0.6,
    }
    return ProviderSpec(organisation=organisation, profile=profile)


def _client(index: int, rng: random.Random, used: set[str]) -> dict[str, Any]:
    if index < len(pools.CLIENTS):
        country, city, name, sector = pools.CLIENTS[index]
    else:
        country = rng.choice(("FR", "FR", "FR", "BE", "CH", "ES", "LU", "DE"))
        city = rng.choice(pools.CLIENT_CITIES[country])
        sector = rng.choice(list(pools.SECTOR_SERVICES))
        stem = pools.CLIENT_STEMS[index % len(pools.CLIENT_STEMS)]
        name = f"{stem} {city} {index} {pools.CLIENT_FORMS[country]}"
    used.add(name)
    return {
        "kind": "client",
        "legal_name": name,
        "country": country,
        "city": city,
        "website": f"https://www.{slug(name)}.example",
        "size": rng.choice(("50-249", "250-999", "1000+")),
        "verified": rng.random() < 0.5,
        "_sector": sector,
    }


def _need(client: dict[str, Any], rng: random.Random, today: date) -> dict[str, Any]:
    sector = client["_sector"]
    country = client["country"]
    services = [pools.SECTOR_SERVICES[sector][0]] if rng.random() < 0.6 else []
    services += rng.sample(pools.SECTOR_SERVICES[sector], k=rng.randint(1, 2))
    services = list(dict.fromkeys(services))
    markets = [country]
    if country in ("FR", "BE") and rng.random() < 0.35:
        markets.append("BE" if country == "FR" else "FR")
    if country == "CH" and rng.random() < 0.5:
        markets.append("FR")
    languages = [
        {
            "language": MARKET_LANGUAGES[country][0],
            "min_level": rng.choice(("c1", "c1", "c2", "native")),
        }
    ]
    if country in ("BE", "CH", "LU") and rng.random() < 0.5:
        second = MARKET_LANGUAGES[country][1]
        languages.append({"language": second, "min_level": rng.choice(("b2", "c1"))})
    if rng.random() < 0.15 and all(lang["language"] != "en" for lang in languages):
        languages.append({"language": "en", "min_level": "b2"})
    seats = rng.choice((5, 8, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150))
    french = country in ("FR", "BE", "CH", "LU")
    title = pools.TITLES[services[0]][0 if french else 1] % {"seats": seats}
    context = pools.SECTOR_CONTEXT[sector][0 if french else 1]
    start = today + timedelta(days=rng.choice((30, 45, 60, 90, 120, 180, 240)))
    start = start.replace(day=1) + timedelta(days=31)
    start = start.replace(day=1)  # the first of a month after the draw
    low = {"FR": 15, "BE": 16, "CH": 18, "ES": 13, "LU": 17, "DE": 17}[country]
    certifications = []
    if sector in ("banking_insurance", "health", "energy") and rng.random() < 0.6:
        certifications.append("iso_27001")
    if sector == "banking_insurance" and "collections" in services and rng.random() < 0.5:
        certifications.append("pci_dss")
    if sector == "health":
        certifications.append("hds")
    if rng.random() < 0.15:
        certifications.append("iso_18295_nf345")
    gdpr = (
        "eu_hosting"
        if sector in ("health", "banking_insurance") and rng.random() < 0.5
        else rng.choice(("dpa", "dpa_scc", "dpa_scc", "dpa_scc", "none"))
    )
    outbound = bool({"outbound_telesales", "appointment_setting"} & set(services)) and (
        "FR" in markets
    )
    preferred = rng.sample(["MA", "TN", "SN", "MU"], k=rng.choice((0, 0, 1, 2)))
    excluded = [
        c for c in rng.sample(["CM", "MG", "TG"], k=rng.choice((0, 0, 0, 1))) if c not in preferred
    ]
    return {
        "title": title,
        "description": context,
        "services": services,
        "sector": sector,
        "target_markets": markets,
        "languages": languages,
        "seats": seats,
        "start_date": start.isoformat(),
        "duration_months": rng.choice((6, 12, 12, 24, 36, None)),
        "hours": rng.choice(("business", "business", "extended", "24_7", None)),
        "budget_max": _money(rng.uniform(low, low + 8)) if rng.random() < 0.85 else None,
        "required_certifications": sorted(c for c in set(certifications) if c in CERTIFICATIONS),
        "gdpr": gdpr,
        "outbound_fr_consumers": outbound,
        "preferred_countries": preferred,
        "excluded_countries": excluded,
        "min_capacity_share": rng.choice((0.5, 0.5, 0.25, 0.75, 1.0)),
        "priorities": sorted(rng.sample(list(CRITERIA), k=rng.choice((0, 1, 2)))),
        "anonymous": rng.random() < 0.3,
        "status": "open" if rng.random() < 0.85 else "draft",
    }


def build(
    *,
    seed: int = DEFAULT_SEED,
    providers: int = DEFAULT_PROVIDERS,
    clients: int | None = None,
    needs: int | None = None,
    today: date | None = None,
) -> DemoData:
    """The demo data: ``providers`` call centres, ``clients`` clients (default 40, or
    enough for ``needs`` at about two needs each) with 1–3 needs each (or ``needs`` in all),
    and some expressions of interest and shortlists on the open needs."""
    today = today or date.today()
    rng = random.Random(seed)
    data = DemoData()
    used: set[str] = set()
    for i, (country, city) in enumerate(_provider_places(providers, rng)):
        data.providers.append(_provider(i, country, city, rng, used, today))
    if clients is None:
        clients = DEFAULT_CLIENTS if needs is None else max(DEFAULT_CLIENTS, -(-needs // 2))
    data.clients = [_client(i, rng, used) for i in range(clients)]
    if needs is None:
        counts = [rng.choice((1, 1, 2, 2, 3)) for _ in range(clients)]
    else:  # spread ``needs`` over the clients, round robin
        counts = [needs // clients + (1 if i < needs % clients else 0) for i in range(clients)]
    for client_index, count in enumerate(counts):
        for _ in range(count):
            need = _need(data.clients[client_index], rng, today)
            close = need["status"] == "open" and rng.random() < 0.1
            data.needs.append(NeedSpec(client=client_index, data=need, close=close))
    _relations(data, rng)
    return data


def _relations(data: DemoData, rng: random.Random) -> None:
    """Interests and shortlists from providers speaking the need's first language."""
    if not data.providers:
        return
    by_language: dict[str, list[int]] = {}
    for index, spec in enumerate(data.providers):
        if spec.profile["status"] != "published":
            continue
        for lang in spec.profile["languages"]:
            by_language.setdefault(lang["language"], []).append(index)
    for need_index, need_spec in enumerate(data.needs):
        if need_spec.data["status"] != "open" or need_spec.close:
            continue
        candidates = by_language.get(need_spec.data["languages"][0]["language"], [])
        if not candidates:
            continue
        wanted = rng.choice((0, 1, 1, 2, 3)) + rng.choice((0, 0, 1, 2))
        picked = rng.sample(candidates, k=min(len(candidates), wanted))
        interested = min(len(picked), rng.choice((0, 1, 1, 2, 3)))
        for provider_index in picked[:interested]:
            status = rng.choice(("pending", "pending", "accepted", "declined"))
            data.interests.append(
                (need_index, provider_index, status, rng.choice(pools.INTEREST_MESSAGES))
            )
        for provider_index in picked[interested:]:
            data.shortlists.append((need_index, provider_index))
