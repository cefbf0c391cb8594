"""API schemas of call-centre profiles and of the directory's filters (apart from the ORM).

Codes are the catalogue's (``app.catalog``). Rules that name a field: seats available larger
than the seats of the site, a price band whose minimum exceeds its maximum, an unknown
language or country code. Duplicates (two sites in one city, one language twice) are
refused by the service, which names the row.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from app.catalog import (
    CERTIFICATIONS,
    CHANNELS,
    HOURS,
    LANGUAGE_LEVELS,
    SECTORS,
    SERVICES,
)
from app.catalog.base import Taxonomy
from app.core.fields import CountryCode, LanguageCode
from app.core.types import MAX_ID
from app.i18n import gettext as _
from app.providers.models import ProfileStatus, ProviderProfile

# The codes come from the catalogues at run time: pydantic checks the Literal, mypy sees str.
if TYPE_CHECKING:
    ServiceCode = str
    SectorCode = str
    ChannelCode = str
    CertificationCode = str
    HoursCode = str
    LevelCode = str
else:
    ServiceCode = Literal[SERVICES.codes]
    SectorCode = Literal[SECTORS.codes]
    ChannelCode = Literal[CHANNELS.codes]
    CertificationCode = Literal[CERTIFICATIONS.codes]
    HoursCode = Literal[HOURS.codes]
    LevelCode = Literal[LANGUAGE_LEVELS.codes]
SortKey = Literal["name", "seats", "price", "updated"]

MAX_SITES = 50
MAX_LANGUAGES = 30
MAX_REFERENCES = 30
MAX_PRICE = Decimal("1000")


def _time_zone(value: str) -> str:
    zone = value.strip()
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise PydanticCustomError(
            "timezone",
            _(
                "Unknown time zone %(zone)s: use an IANA name, e.g. Africa/Casablanca.",
                zone=repr(value),
            ),
        ) from None
    return zone


def _split_codes(value: object) -> object:
    """Accept a list or a comma/space separated string ("FR, BE CH")."""
    if isinstance(value, str):
        return [part for part in value.replace(",", " ").split() if part]
    return value


TimeZone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_time_zone)]
City = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Seats = Annotated[int, Field(ge=0, le=100_000)]
Price = Annotated[Decimal, Field(ge=0, le=MAX_PRICE, max_digits=8, decimal_places=2)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class ProviderSiteIn(BaseModel):
    """One site. The time zone defaults to the country's reference zone."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "country": "MA",
                    "city": "Rabat",
                    "timezone": "Africa/Casablanca",
                    "seats_total": 300,
                    "seats_available_now": 40,
                    "seats_available_later": 90,
                    "available_from": "2027-01-15",
                }
            ]
        },
    )

    country: CountryCode
    city: City
    timezone: TimeZone | None = None
    seats_total: Seats
    seats_available_now: Seats
    seats_available_later: Seats | None = Field(
        None, description="Seats free from `available_from` on (the total then)"
    )
    available_from: date | None = Field(None, validate_default=True)

    @field_validator("seats_available_now", "seats_available_later")
    @classmethod
    def _within_total(cls, value: int | None, info: ValidationInfo) -> int | None:
        total = info.data.get("seats_total")
        if value is not None and total is not None and value > total:
            raise PydanticCustomError(
                "seats_above_total",
                _(
                    "Seats available (%(seats)s) cannot exceed the seats of the site (%(total)s).",
                    seats=value,
                    total=total,
                ),
            )
        return value

    @field_validator("available_from")
    @classmethod
    def _date_with_seats(cls, value: date | None, info: ValidationInfo) -> date | None:
        later = info.data.get("seats_available_later")
        if value is None and later is not None:
            raise PydanticCustomError(
                "date_missing", _("Give the date from which these seats are free.")
            )
        if value is not None and later is None and "seats_available_later" in info.data:
            raise PydanticCustomError(
                "seats_missing", _("Give the seats free from this date, or clear the date.")
            )
        return value


class ProviderLanguageIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"language": "fr", "level": "c2", "culture_markets": ["FR", "BE", "CH"]}]
        },
    )

    language: LanguageCode
    level: LevelCode
    culture_markets: Annotated[
        list[CountryCode], BeforeValidator(_split_codes), Field(max_length=30)
    ] = Field(default_factory=list, description="Markets whose culture the team knows")


class ProviderSectorIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"sector": "energy", "years": 8}]},
    )

    sector: SectorCode
    years: Annotated[int, Field(ge=0, le=100)] = Field(0, description="0 = not said")


class ProviderReferenceIn(BaseModel):
    """A European client served; anonymised references keep the name private."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "anonymised": True,
                    "country": "BE",
                    "sector": "telecom",
                    "description": "A Belgian mobile operator: retention campaigns",
                }
            ]
        },
    )

    anonymised: bool = False
    client_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = (
        Field(None, validate_default=True)
    )
    country: CountryCode | None = None
    sector: SectorCode | None = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = (
        None
    )

    @field_validator("client_name")
    @classmethod
    def _named_unless_anonymised(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("anonymised"):
            return None  # an anonymised reference never keeps the name
        if not value:
            raise PydanticCustomError(
                "client_name_missing",
                _('Give the client\'s name, or tick "anonymised" to keep it private.'),
            )
        return value


class _ProfileFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["draft", "published"] | None = None
    description_fr: Description | None = None
    description_en: Description | None = None
    sites: Annotated[list[ProviderSiteIn], Field(max_length=MAX_SITES)] | None = None
    languages: Annotated[list[ProviderLanguageIn], Field(max_length=MAX_LANGUAGES)] | None = None
    services: list[ServiceCode] | None = None
    sectors: list[ProviderSectorIn] | None = None
    channels: list[ChannelCode] | None = None
    hours: HoursCode | None = None
    price_min: Price | None = Field(None, description="EUR per agent-hour")
    price_max: Price | None = Field(None, description="EUR per agent-hour")
    min_contract_seats: Seats | None = None
    certifications: list[CertificationCode] | None = None
    gdpr_dpa: bool | None = None
    gdpr_scc: bool | None = None
    gdpr_eu_hosting: bool | None = None
    data_hosting_country: CountryCode | None = None
    bloctel_screening: bool | None = None
    opt_in_only: bool | None = None
    references: Annotated[list[ProviderReferenceIn], Field(max_length=MAX_REFERENCES)] | None = None

    @field_validator("price_max")
    @classmethod
    def _band(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        low = info.data.get("price_min")
        if value is not None and low is not None and low > value:
            raise PydanticCustomError(
                "price_band",
                _(
                    "The maximum price (%(max)s) is below the minimum price (%(min)s).",
                    max=value,
                    min=low,
                ),
            )
        return value


_EXAMPLE: dict[str, Any] = {
    "status": "published",
    "description_fr": "Centre de 300 positions à Rabat, spécialisé énergie et télécoms.",
    "description_en": "300-seat centre in Rabat, focused on energy and telecoms.",
    "sites": [
        {
            "country": "MA",
            "city": "Rabat",
            "timezone": "Africa/Casablanca",
            "seats_total": 300,
            "seats_available_now": 40,
            "seats_available_later": 90,
            "available_from": "2027-01-15",
        },
        {"country": "MA", "city": "Fès", "seats_total": 80, "seats_available_now": 10},
    ],
    "languages": [
        {"language": "fr", "level": "c2", "culture_markets": ["FR", "BE", "CH"]},
        {"language": "es", "level": "b2", "culture_markets": ["ES"]},
    ],
    "services": ["inbound_care", "outbound_telesales"],
    "sectors": [{"sector": "energy", "years": 8}, {"sector": "telecom", "years": 5}],
    "channels": ["phone", "email", "chat"],
    "hours": "extended",
    "price_min": "14.50",
    "price_max": "19.00",
    "min_contract_seats": 10,
    "certifications": ["iso_27001", "iso_18295_nf345"],
    "gdpr_dpa": True,
    "gdpr_scc": True,
    "gdpr_eu_hosting": True,
    "data_hosting_country": "FR",
    "bloctel_screening": True,
    "opt_in_only": False,
    "references": [
        {
            "client_name": "Énergie Verte SA",
            "country": "FR",
            "sector": "energy",
            "description": "Inbound care, 60 agents since 2021",
        },
        {
            "anonymised": True,
            "country": "BE",
            "sector": "telecom",
            "description": "A Belgian mobile operator: retention campaigns",
        },
    ],
}


class ProviderProfileCreate(_ProfileFields):
    """A new profile for a provider organisation (one per organisation). Lists default to
    empty, the status to draft."""

    organisation_id: Annotated[int, Field(ge=1, le=MAX_ID)]

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"organisation_id": 12, **_EXAMPLE}]},
    )


class ProviderProfileUpdate(_ProfileFields):
    """Partial update: only the fields sent change; a list sent replaces the whole list."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"sites": _EXAMPLE["sites"], "price_min": "13.00", "price_max": "18.00"},
                {"status": "published"},
            ]
        },
    )


# --- reading ------------------------------------------------------------------------------


class ProviderOrganisation(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 12,
                    "legal_name": "Atlas Contact Center SARL",
                    "country": "MA",
                    "city": "Rabat",
                    "verified": True,
                }
            ]
        },
    )

    id: int
    legal_name: str
    country: str
    city: str | None
    verified: bool


class ProviderSiteRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 7,
                    "country": "MA",
                    "city": "Rabat",
                    "timezone": "Africa/Casablanca",
                    "seats_total": 300,
                    "seats_available_now": 40,
                    "seats_available_later": 90,
                    "available_from": "2027-01-15",
                }
            ]
        },
    )

    id: int
    country: str
    city: str
    timezone: str
    seats_total: int
    seats_available_now: int
    seats_available_later: int | None
    available_from: date | None


class ProviderLanguageRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [{"language": "fr", "level": "c2", "culture_markets": ["BE", "FR"]}]
        },
    )

    language: str
    level: str
    culture_markets: list[str]


class ProviderSectorRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"sector": "energy", "years": 8}]})

    sector: str
    years: int


class ProviderReferenceRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 2,
                    "client_name": None,
                    "anonymised": True,
                    "country": "BE",
                    "sector": "telecom",
                    "description": "A Belgian mobile operator",
                }
            ]
        },
    )

    id: int
    client_name: str | None
    anonymised: bool
    country: str | None
    sector: str | None
    description: str | None


_READ_EXAMPLE: dict[str, Any] = {
    "id": 3,
    "organisation": {
        "id": 12,
        "legal_name": "Atlas Contact Center SARL",
        "country": "MA",
        "city": "Rabat",
        "verified": True,
    },
    "status": "published",
    "version": 4,
    "seats_total": 380,
    "seats_available_now": 50,
    **{k: v for k, v in _EXAMPLE.items() if k not in ("status", "sites", "references")},
    "sites": [
        {
            "id": 7,
            "country": "MA",
            "city": "Rabat",
            "timezone": "Africa/Casablanca",
            "seats_total": 300,
            "seats_available_now": 40,
            "seats_available_later": 90,
            "available_from": "2027-01-15",
        }
    ],
    "references": [
        {
            "id": 2,
            "client_name": None,
            "anonymised": True,
            "country": "BE",
            "sector": "telecom",
            "description": "A Belgian mobile operator: retention campaigns",
        }
    ],
    "created_at": "2026-11-22T09:00:00Z",
    "updated_at": "2026-11-22T10:30:00Z",
}


class ProviderProfileRead(BaseModel):
    """A profile with everything in it. ``seats_total`` and ``seats_available_now`` are the
    sums over the sites; anonymised references never show the client's name."""

    model_config = ConfigDict(json_schema_extra={"examples": [_READ_EXAMPLE]})

    id: int
    organisation: ProviderOrganisation
    status: ProfileStatus
    version: int
    seats_total: int
    seats_available_now: int
    description_fr: str | None
    description_en: str | None
    sites: list[ProviderSiteRead]
    languages: list[ProviderLanguageRead]
    services: list[str]
    sectors: list[ProviderSectorRead]
    channels: list[str]
    hours: str | None
    price_min: Decimal | None
    price_max: Decimal | None
    min_contract_seats: int
    certifications: list[str]
    gdpr_dpa: bool
    gdpr_scc: bool
    gdpr_eu_hosting: bool
    data_hosting_country: str | None
    bloctel_screening: bool
    opt_in_only: bool
    references: list[ProviderReferenceRead]
    created_at: datetime
    updated_at: datetime


class ProviderSummary(BaseModel):
    """One line of the directory."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 3,
                    "organisation": _READ_EXAMPLE["organisation"],
                    "status": "published",
                    "countries": ["MA"],
                    "cities": ["Rabat", "Fès"],
                    "seats_total": 380,
                    "seats_available_now": 50,
                    "seats_available_at_date": 100,
                    "languages": [{"language": "fr", "level": "c2", "culture_markets": ["FR"]}],
                    "services": ["inbound_care"],
                    "certifications": ["iso_27001"],
                    "hours": "extended",
                    "price_min": "14.50",
                    "price_max": "19.00",
                    "updated_at": "2026-11-22T10:30:00Z",
                }
            ]
        }
    )

    id: int
    organisation: ProviderOrganisation
    status: ProfileStatus
    countries: list[str]
    cities: list[str]
    seats_total: int
    seats_available_now: int
    seats_available_at_date: int | None = Field(
        None, description="Seats free by the date asked in `seats_date` (when given)"
    )
    languages: list[ProviderLanguageRead]
    services: list[str]
    certifications: list[str]
    hours: str | None
    price_min: Decimal | None
    price_max: Decimal | None
    updated_at: datetime


# --- the directory's filters -----------------------------------------------------------


class DirectoryFilters(BaseModel):
    """What the directory asks. Countries: any of them (a site there); services, sectors and
    certifications: every one of them; seats: the sum over the sites, free now or (with
    ``seats_date``) free by that date; ``price_max``: the minimum of the band at most this."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "country": ["MA", "TN"],
                    "language": "fr",
                    "level": "c1",
                    "service": ["inbound_care"],
                    "sector": ["energy"],
                    "seats": 50,
                    "seats_date": "2027-02-01",
                    "certification": ["iso_27001"],
                    "price_max": "18",
                    "open_24_7": False,
                    "q": "atlas",
                }
            ]
        },
    )

    country: list[CountryCode] = Field(default_factory=list)
    language: LanguageCode | None = None
    level: LevelCode | None = None
    service: list[ServiceCode] = Field(default_factory=list)
    sector: list[SectorCode] = Field(default_factory=list)
    seats: Annotated[int, Field(ge=1, le=1_000_000)] | None = None
    seats_date: date | None = None
    certification: list[CertificationCode] = Field(default_factory=list)
    price_max: Price | None = None
    open_24_7: bool = False
    q: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None

    @field_validator("level")
    @classmethod
    def _level_needs_language(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and not info.data.get("language") and "language" in info.data:
            raise PydanticCustomError(
                "language_missing", _("Choose the language this minimum level applies to.")
            )
        return value


# --- ORM -> read schemas --------------------------------------------------------------------


def profile_read(profile: ProviderProfile) -> ProviderProfileRead:
    """Everything of a profile loaded by ``service.get_profile``."""
    return ProviderProfileRead(
        id=profile.id,
        organisation=ProviderOrganisation.model_validate(profile.organisation),
        status=ProfileStatus(profile.status),
        version=profile.version,
        seats_total=profile.seats_total_sum,
        seats_available_now=profile.seats_now_sum,
        description_fr=profile.description_fr,
        description_en=profile.description_en,
        sites=[ProviderSiteRead.model_validate(s) for s in profile.sites],
        languages=[ProviderLanguageRead.model_validate(row) for row in profile.languages],
        services=_ordered(SERVICES, profile.services),
        sectors=[
            ProviderSectorRead(sector=row.code, years=row.years)
            for row in sorted(profile.sectors, key=lambda r: SECTORS.index(r.code))
        ],
        channels=_ordered(CHANNELS, profile.channels),
        hours=profile.hours,
        price_min=profile.price_min,
        price_max=profile.price_max,
        min_contract_seats=profile.min_contract_seats,
        certifications=_ordered(CERTIFICATIONS, profile.certifications),
        gdpr_dpa=profile.gdpr_dpa,
        gdpr_scc=profile.gdpr_scc,
        gdpr_eu_hosting=profile.gdpr_eu_hosting,
        data_hosting_country=profile.data_hosting_country,
        bloctel_screening=profile.bloctel_screening,
        opt_in_only=profile.opt_in_only,
        references=[ProviderReferenceRead.model_validate(r) for r in profile.references],
        created_at=profile.created_at,
        updated_at=profile.updated_at,
    )


def profile_summary(profile: ProviderProfile, seats_date: date | None = None) -> ProviderSummary:
    """One directory line from a profile loaded by ``service.search``."""
    at_date = None
    if seats_date is not None:
        at_date = sum(
            (s.seats_available_later or 0)
            if s.available_from is not None and s.available_from <= seats_date
            else s.seats_available_now
            for s in profile.sites
        )
    return ProviderSummary(
        id=profile.id,
        organisation=ProviderOrganisation.model_validate(profile.organisation),
        status=ProfileStatus(profile.status),
        countries=list(dict.fromkeys(s.country for s in profile.sites)),
        cities=[s.city for s in profile.sites],
        seats_total=profile.seats_total_sum,
        seats_available_now=profile.seats_now_sum,
        seats_available_at_date=at_date,
        languages=[ProviderLanguageRead.model_validate(row) for row in profile.languages],
        services=_ordered(SERVICES, profile.services),
        certifications=_ordered(CERTIFICATIONS, profile.certifications),
        hours=profile.hours,
        price_min=profile.price_min,
        price_max=profile.price_max,
        updated_at=profile.updated_at,
    )


def _ordered(taxonomy: Taxonomy[Any], rows: Iterable[Any]) -> list[str]:
    """Codes of child rows in the catalogue's display order."""
    return sorted((row.code for row in rows), key=taxonomy.index)
