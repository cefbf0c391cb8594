"""The engine's input: plain frozen dataclasses that the database layer fills.

Codes are the catalogue's (``app.catalog``): services, sectors, channels, certifications,
hours coverage, GDPR requirement; countries are ISO 3166-1 alpha-2 (upper case), languages
ISO 639-1 (lower case), language levels the catalogue's ranks (A1=1 ... C2=6, native=7).
Constructors normalise collections (sets -> frozenset, dicts -> read-only mappings) and
raise ``ValueError`` on an unknown code, so a bad row fails loudly when it is mapped.
"""

from __future__ import annotations

import math
import zoneinfo
from collections.abc import Container, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from app.catalog import (
    CERTIFICATIONS,
    CHANNELS,
    GDPR_REQUIREMENTS,
    HOURS,
    LANGUAGE_LEVELS,
    MAX_LEVEL_RANK,
    SECTORS,
    SERVICES,
    country_timezone,
    is_country,
    is_language,
)
from app.matching.weights import CRITERIA, DEFAULT_MIN_CAPACITY_SHARE

__all__ = ["Site", "FeedbackSummary", "ProviderFeatures", "NeedFeatures"]

_EMPTY: Mapping[Any, Any] = MappingProxyType({})


@lru_cache(maxsize=1024)
def _valid_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _codes(value: Iterable[str] | None, taxonomy: Container[str], what: str) -> frozenset[str]:
    codes = frozenset(value or ())
    unknown = [c for c in codes if c not in taxonomy]
    if unknown:
        raise ValueError(f"unknown {what}: {sorted(map(str, unknown))}")
    return codes


def _countries(value: Iterable[str] | None, what: str) -> frozenset[str]:
    codes = frozenset(value or ())
    bad = [c for c in codes if not is_country(c)]
    if bad:
        raise ValueError(f"{what}: not ISO 3166-1 alpha-2 codes: {sorted(map(str, bad))}")
    return codes


def _levels(value: Mapping[str, int | str] | None, what: str) -> Mapping[str, int]:
    """{iso639: rank 1..7}; a level may also be given as its catalogue code ('b2')."""
    out: dict[str, int] = {}
    for code, rank in dict(value or {}).items():
        if not is_language(code):
            raise ValueError(f"{what}: {code!r} is not an ISO 639-1 code")
        if isinstance(rank, str) and rank.lower() in LANGUAGE_LEVELS:
            rank = LANGUAGE_LEVELS[rank.lower()].rank
        if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= MAX_LEVEL_RANK:
            raise ValueError(f"{what}: level of {code!r} must be a rank 1..7, not {rank!r}")
        out[code] = rank
    return MappingProxyType(out)


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be an integer >= 0, not {value!r}")
    return value


def _money(value: float | str | None, what: str) -> float | None:
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite amount >= 0, not {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Site:
    """A provider's site. ``timezone`` (IANA) defaults to the country's reference zone."""

    country: str
    timezone: str | None = None
    city: str = ""
    seats_total: int = 0

    def __post_init__(self) -> None:
        if not is_country(self.country):
            raise ValueError(f"site country {self.country!r} is not ISO 3166-1 alpha-2")
        zone = self.timezone or country_timezone(self.country)
        if not _valid_zone(zone):
            raise ValueError(f"unknown time zone {zone!r}")
        object.__setattr__(self, "timezone", zone)


@dataclass(frozen=True, slots=True)
class FeedbackSummary:
    """Past meeting feedback from clients about a provider: how many, mean interest in
    [0, 1] (none = 0, informative = 0.5, cooperation possible = 1)."""

    count: int
    mean_interest: float

    def __post_init__(self) -> None:
        _count(self.count, "feedback count")
        m = float(self.mean_interest)
        if not 0.0 <= m <= 1.0:
            raise ValueError("feedback mean_interest must be within [0, 1]")
        object.__setattr__(self, "mean_interest", m)


@dataclass(frozen=True, slots=True)
class ProviderFeatures:
    """A call centre as the engine sees it (one row per provider organisation).

    - ``id``: any hashable (the provider profile's or organisation's primary key).
    - ``countries``: ISO codes of its sites (merged with ``sites``' countries).
    - ``sites``: :class:`Site` tuples; their zones are used for the hours overlap (the
      coverage of the provider is the union of its hours in every site's zone).
    - ``timezone``: main IANA zone; defaults to the first site's, else the first country's,
      else UTC. Used when there are no sites.
    - ``seats_total``: all seats; ``seats_available_now``: free now;
      ``seats_available_from`` + ``seats_at_date``: seats free from that date on (the total
      free then, not an increment; ignored when the date is None).
    - ``languages``: {iso639: level rank 1..7 (or level code 'b2', 'native')};
      ``culture_markets``: countries whose culture the team knows (ISO 3166).
    - ``services``, ``channels``, ``certifications``: sets of catalogue codes;
      ``sectors``: {sector code: years of experience (0 = some, unknown)} or a plain set.
    - ``hours``: coverage code ('business', 'extended', '24_7'); None means 'business'.
    - ``price_min``/``price_max``: EUR per agent-hour (None = not published);
      ``min_contract_seats``: smallest contract the centre takes (0 = none).
    - ``gdpr_dpa``, ``gdpr_scc``, ``gdpr_eu_hosting``: what it signs/offers.
    - ``bloctel_screening``, ``opt_in_only``: outbound compliance for French consumers.
    - ``verified``: organisation verified; ``feedback``: :class:`FeedbackSummary` or None.
    """

    id: Hashable
    countries: frozenset[str] = frozenset()
    sites: tuple[Site, ...] = ()
    timezone: str | None = None
    seats_total: int = 0
    seats_available_now: int = 0
    seats_available_from: date | None = None
    seats_at_date: int = 0
    languages: Mapping[str, int] = field(default_factory=lambda: _EMPTY)
    culture_markets: frozenset[str] = frozenset()
    services: frozenset[str] = frozenset()
    sectors: Mapping[str, int] = field(default_factory=lambda: _EMPTY)
    channels: frozenset[str] = frozenset()
    hours: str = "business"
    price_min: float | None = None
    price_max: float | None = None
    min_contract_seats: int = 0
    certifications: frozenset[str] = frozenset()
    gdpr_dpa: bool = False
    gdpr_scc: bool = False
    gdpr_eu_hosting: bool = False
    bloctel_screening: bool = False
    opt_in_only: bool = False
    verified: bool = False
    feedback: FeedbackSummary | None = None

    def __post_init__(self) -> None:
        s = object.__setattr__
        sites = tuple(self.sites or ())
        if not all(isinstance(x, Site) for x in sites):
            raise ValueError("sites must be Site instances")
        s(self, "sites", sites)
        s(
            self,
            "countries",
            _countries(self.countries, "countries") | frozenset(x.country for x in sites),
        )
        zone = self.timezone
        if zone is None:
            if sites:
                zone = sites[0].timezone
            elif self.countries:
                zone = country_timezone(sorted(self.countries)[0])
            else:
                zone = "UTC"
        if not _valid_zone(zone):
            raise ValueError(f"unknown time zone {zone!r}")
        s(self, "timezone", zone)
        for name in ("seats_total", "seats_available_now", "seats_at_date", "min_contract_seats"):
            _count(getattr(self, name), name)
        if self.seats_available_from is not None and not isinstance(
            self.seats_available_from, date
        ):
            raise ValueError("seats_available_from must be a date or None")
        s(self, "languages", _levels(self.languages, "provider languages"))
        s(self, "culture_markets", _countries(self.culture_markets, "culture_markets"))
        s(self, "services", _codes(self.services, SERVICES, "services"))
        sectors = self.sectors or {}
        sectors = dict(sectors) if isinstance(sectors, Mapping) else dict.fromkeys(sectors, 0)
        _codes(sectors, SECTORS, "sectors")
        for code, years in sectors.items():
            if isinstance(years, bool) or not isinstance(years, int | float) or years < 0:
                raise ValueError(f"years in sector {code!r} must be >= 0")
        s(self, "sectors", MappingProxyType(sectors))
        s(self, "channels", _codes(self.channels, CHANNELS, "channels"))
        given_hours: str | None = self.hours  # callers may pass None: business hours
        if given_hours is None:
            s(self, "hours", "business")
        elif self.hours not in HOURS:
            raise ValueError(f"unknown hours coverage {self.hours!r}")
        pmin = _money(self.price_min, "price_min")
        pmax = _money(self.price_max, "price_max")
        if pmin is None:
            pmin = pmax
        if pmax is None:
            pmax = pmin
        if pmin is not None and pmax is not None and pmax < pmin:
            raise ValueError("price_max must be >= price_min")
        s(self, "price_min", pmin)
        s(self, "price_max", pmax)
        s(self, "certifications", _codes(self.certifications, CERTIFICATIONS, "certifications"))
        if self.feedback is not None and not isinstance(self.feedback, FeedbackSummary):
            raise ValueError("feedback must be a FeedbackSummary or None")
        for name in (
            "gdpr_dpa",
            "gdpr_scc",
            "gdpr_eu_hosting",
            "bloctel_screening",
            "opt_in_only",
            "verified",
        ):
            s(self, name, bool(getattr(self, name)))

    @property
    def zones(self) -> tuple[str, ...]:
        """Sorted distinct IANA zones of the sites (or the main zone when no site)."""
        if self.sites:
            return tuple(sorted({x.timezone for x in self.sites}))  # type: ignore[misc]
        return (self.timezone,)  # type: ignore[return-value]

    @property
    def has_feedback(self) -> bool:
        return self.feedback is not None and self.feedback.count > 0


@dataclass(frozen=True, slots=True)
class NeedFeatures:
    """A client's outsourcing need as the engine sees it.

    - ``services``: catalogue codes (empty = not said: the criterion is left out).
    - ``sector``: one sector code or None. ``target_markets``: ISO countries served.
    - ``languages``: {iso639: minimum level rank 1..7 or code} (each one a hard filter).
    - ``seats``: agents asked (None/0 = not said); ``start_date``: when they are needed.
    - ``hours``: coverage asked ('business', 'extended', '24_7') or None; with target
      markets, it is measured in the markets' time zones.
    - ``budget_max``: EUR per agent-hour ceiling or None.
    - ``required_certifications``: codes (hard filter); ``gdpr``: requirement code.
    - ``outbound_fr_consumers``: outbound calls to French consumers (needs Bloctel
      screening or opt-in-only files).
    - ``excluded_countries`` (a provider whose sites are all there is excluded),
      ``preferred_countries`` (a bonus criterion).
    - ``min_capacity_share``: exclude providers with fewer seats by the start date than
      this share of ``seats`` (0..1, default 0.5).
    - ``priorities``: criterion codes the client says matter most.
    """

    id: Hashable
    services: frozenset[str] = frozenset()
    sector: str | None = None
    target_markets: frozenset[str] = frozenset()
    languages: Mapping[str, int] = field(default_factory=lambda: _EMPTY)
    seats: int | None = None
    start_date: date | None = None
    hours: str | None = None
    budget_max: float | None = None
    required_certifications: frozenset[str] = frozenset()
    gdpr: str = "none"
    outbound_fr_consumers: bool = False
    excluded_countries: frozenset[str] = frozenset()
    preferred_countries: frozenset[str] = frozenset()
    min_capacity_share: float = DEFAULT_MIN_CAPACITY_SHARE
    priorities: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        s = object.__setattr__
        s(self, "services", _codes(self.services, SERVICES, "services"))
        if self.sector is not None and self.sector not in SECTORS:
            raise ValueError(f"unknown sector {self.sector!r}")
        s(self, "target_markets", _countries(self.target_markets, "target_markets"))
        s(self, "languages", _levels(self.languages, "need languages"))
        if self.seats is not None:
            _count(self.seats, "seats")
            if self.seats == 0:
                s(self, "seats", None)
        if self.start_date is not None and not isinstance(self.start_date, date):
            raise ValueError("start_date must be a date or None")
        if self.hours is not None and self.hours not in HOURS:
            raise ValueError(f"unknown hours coverage {self.hours!r}")
        budget = _money(self.budget_max, "budget_max")
        s(self, "budget_max", budget)
        s(
            self,
            "required_certifications",
            _codes(self.required_certifications, CERTIFICATIONS, "certifications"),
        )
        if self.gdpr not in GDPR_REQUIREMENTS:
            raise ValueError(f"unknown GDPR requirement {self.gdpr!r}")
        s(self, "outbound_fr_consumers", bool(self.outbound_fr_consumers))
        s(self, "excluded_countries", _countries(self.excluded_countries, "excluded_countries"))
        s(self, "preferred_countries", _countries(self.preferred_countries, "preferred_countries"))
        share = float(self.min_capacity_share)
        if not 0.0 <= share <= 1.0:
            raise ValueError("min_capacity_share must be within [0, 1]")
        s(self, "min_capacity_share", share)
        prios = frozenset(self.priorities or ())
        unknown = prios - set(CRITERIA)
        if unknown:
            raise ValueError(f"unknown criteria in priorities: {sorted(unknown)}")
        s(self, "priorities", prios)

    @property
    def hours_level(self) -> str:
        """Coverage measured for the hours criterion ('business' when not said)."""
        return self.hours or "business"
