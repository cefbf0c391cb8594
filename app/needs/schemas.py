"""API schemas of needs, shortlists and expressions of interest (apart from the ORM)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from app.catalog import (
    CERTIFICATIONS,
    GDPR_REQUIREMENTS,
    HOURS,
    LANGUAGE_LEVELS,
    SECTORS,
    SERVICES,
)
from app.core.fields import CountryCode, LanguageCode
from app.core.types import MAX_ID
from app.i18n import gettext as _
from app.matching.weights import CRITERIA
from app.needs.models import InterestStatus, Need, NeedInterest, NeedShortlist, NeedStatus

# The codes come from the catalogues at run time: pydantic checks the Literal, mypy sees str.
if TYPE_CHECKING:
    ServiceCode = str
    SectorCode = str
    HoursCode = str
    CertificationCode = str
    LevelCode = str
    GdprCode = str
    CriterionCode = str
else:
    ServiceCode = Literal[SERVICES.codes]
    SectorCode = Literal[SECTORS.codes]
    HoursCode = Literal[HOURS.codes]
    CertificationCode = Literal[CERTIFICATIONS.codes]
    LevelCode = Literal[LANGUAGE_LEVELS.codes]
    GdprCode = Literal[GDPR_REQUIREMENTS.codes]
    CriterionCode = Literal[CRITERIA]


T = TypeVar("T")


def _unique(values: list[T]) -> list[T]:
    seen: list[T] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Description = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Budget = Annotated[Decimal, Field(gt=0, max_digits=8, decimal_places=2)]


class LanguageRequirement(BaseModel):
    """A language the agents must speak, with the minimum level (CEFR A1–C2 or native)."""

    language: LanguageCode
    min_level: LevelCode

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"language": "fr", "min_level": "c1"}]}
    )


def _check_past(value: date | None) -> date | None:
    if value is not None and value < date.today():
        raise PydanticCustomError("date_past", _("The start date cannot be in the past."))
    return value


class _NeedFields(BaseModel):
    """Fields shared by create and update; lists replace the whole set when given."""

    model_config = ConfigDict(extra="forbid")

    @field_validator(
        "services",
        "target_markets",
        "required_certifications",
        "preferred_countries",
        "excluded_countries",
        "priorities",
        check_fields=False,
    )
    @classmethod
    def _dedupe(cls, value: list[Any] | None) -> list[Any] | None:
        return _unique(value) if value is not None else value

    @field_validator("languages", check_fields=False)
    @classmethod
    def _one_row_per_language(cls, value: list[Any] | None) -> list[Any] | None:
        if value is None:
            return value
        seen: set[str] = set()
        for row in value:
            if row.language in seen:
                raise PydanticCustomError(
                    "duplicate_language",
                    _("The language %(code)s is listed twice.", code=row.language),
                )
            seen.add(row.language)
        return value

    @field_validator("excluded_countries", check_fields=False)
    @classmethod
    def _preferred_not_excluded(
        cls, value: list[str] | None, info: ValidationInfo
    ) -> list[str] | None:
        both = set(value or ()) & set(info.data.get("preferred_countries") or ())
        if both:
            raise PydanticCustomError(
                "country_conflict",
                _(
                    "A country cannot be both preferred and excluded: %(codes)s.",
                    codes=", ".join(sorted(both)),
                ),
            )
        return value


_CREATE_EXAMPLE: dict[str, Any] = {
    "organisation_id": 12,
    "title": "Service client énergie – 40 conseillers francophones",
    "description": "Service client entrant pour nos clients particuliers (contrats, "
    "relevés, facturation). Démarrage progressif sur 3 mois.",
    "services": ["inbound_care", "back_office"],
    "sector": "energy",
    "target_markets": ["FR", "BE"],
    "languages": [{"language": "fr", "min_level": "c1"}, {"language": "nl", "min_level": "b2"}],
    "seats": 40,
    "start_date": "2027-03-01",
    "duration_months": 24,
    "hours": "extended",
    "budget_max": "22.50",
    "required_certifications": ["iso_27001"],
    "gdpr": "dpa_scc",
    "outbound_fr_consumers": False,
    "preferred_countries": ["MA", "TN"],
    "excluded_countries": [],
    "min_capacity_share": 0.5,
    "priorities": ["languages", "price"],
    "anonymous": True,
    "status": "draft",
}


class NeedCreate(_NeedFields):
    organisation_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="The client organisation; defaults to the signed-in user's own",
    )
    title: Title
    description: Description = ""
    services: list[ServiceCode] = Field(default_factory=list, max_length=20)
    sector: SectorCode | None = None
    target_markets: list[CountryCode] = Field(default_factory=list, max_length=30)
    languages: list[LanguageRequirement] = Field(default_factory=list, max_length=10)
    seats: int = Field(gt=0, le=100_000, description="Agents (seats) asked")
    start_date: Annotated[date, AfterValidator(_check_past)] = Field(
        description="When the agents are needed; not in the past"
    )
    duration_months: int | None = Field(None, gt=0, le=240)
    hours: HoursCode | None = None
    budget_max: Budget | None = Field(None, description="Ceiling in EUR per agent-hour")
    required_certifications: list[CertificationCode] = Field(default_factory=list)
    gdpr: GdprCode = "none"
    outbound_fr_consumers: bool = Field(
        False, description="Outbound calls to consumers in France (Bloctel, opt-in files)"
    )
    preferred_countries: list[CountryCode] = Field(default_factory=list, max_length=30)
    excluded_countries: list[CountryCode] = Field(default_factory=list, max_length=30)
    min_capacity_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of the seats a provider must have free by the start date",
    )
    priorities: list[CriterionCode] = Field(default_factory=list, max_length=len(CRITERIA))
    anonymous: bool = Field(
        False, description="Hide the client's name until it shortlists or accepts a provider"
    )
    status: Literal["draft", "open"] = "draft"

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_CREATE_EXAMPLE]})


class NeedUpdate(_NeedFields):
    """Partial update: only the fields sent change. ``version`` (optional) must be the
    version read, or the update is refused with 409 (someone else changed the need)."""

    version: int | None = Field(None, gt=0)
    title: Title | None = None
    description: Description | None = None
    services: list[ServiceCode] | None = None
    sector: SectorCode | None = None
    target_markets: list[CountryCode] | None = None
    languages: list[LanguageRequirement] | None = None
    seats: int | None = Field(None, gt=0, le=100_000)
    start_date: date | None = None
    duration_months: int | None = Field(None, gt=0, le=240)
    hours: HoursCode | None = None
    budget_max: Budget | None = None
    required_certifications: list[CertificationCode] | None = None
    gdpr: GdprCode | None = None
    outbound_fr_consumers: bool | None = None
    preferred_countries: list[CountryCode] | None = None
    excluded_countries: list[CountryCode] | None = None
    min_capacity_share: float | None = Field(None, ge=0, le=1)
    priorities: list[CriterionCode] | None = None
    anonymous: bool | None = None

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "version": 3,
                    "seats": 60,
                    "budget_max": "24.00",
                    "languages": [{"language": "fr", "min_level": "native"}],
                }
            ]
        },
    )


class ClientSummary(BaseModel):
    """The client behind a need (absent when the need is anonymous to the viewer)."""

    id: int
    legal_name: str
    country: str
    city: str | None = None

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {"id": 12, "legal_name": "Énergie Rhône SAS", "country": "FR", "city": "Lyon"}
            ]
        },
    )


class NeedRead(BaseModel):
    id: int
    status: NeedStatus
    anonymous: bool
    client_visible: bool = Field(description="False while the client's identity is hidden")
    client: ClientSummary | None
    client_country: str = Field(description="Country of the client (always shown)")
    title: str
    description: str
    services: list[str]
    sector: str | None
    target_markets: list[str]
    languages: list[LanguageRequirement]
    seats: int
    start_date: date
    duration_months: int | None
    hours: str | None
    budget_max: Decimal | None
    required_certifications: list[str]
    gdpr: str
    outbound_fr_consumers: bool
    preferred_countries: list[str]
    excluded_countries: list[str]
    min_capacity_share: float
    priorities: list[str]
    version: int
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **{k: v for k, v in _CREATE_EXAMPLE.items() if k != "organisation_id"},
                    "id": 7,
                    "status": "open",
                    "client_visible": False,
                    "client": None,
                    "client_country": "FR",
                    "version": 2,
                    "published_at": "2026-11-22T09:30:00Z",
                    "created_at": "2026-11-20T16:02:11Z",
                    "updated_at": "2026-11-22T09:30:00Z",
                }
            ]
        }
    )


class ShortlistAdd(BaseModel):
    provider_id: int = Field(ge=1, le=MAX_ID, description="The provider organisation to shortlist")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"provider_id": 31}]})


class ShortlistRead(BaseModel):
    need_id: int
    provider_id: int
    provider_name: str
    provider_country: str
    created_at: datetime

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "need_id": 7,
                    "provider_id": 31,
                    "provider_name": "Atlas Contact Center SARL",
                    "provider_country": "MA",
                    "created_at": "2026-11-22T10:00:00Z",
                }
            ]
        }
    )


class InterestCreate(BaseModel):
    provider_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="The provider organisation; defaults to the signed-in user's own",
    )
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] = ""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "provider_id": 31,
                    "message": "Nous avons 45 positions francophones libres à Rabat dès mars.",
                }
            ]
        },
    )


class InterestRead(BaseModel):
    need_id: int
    provider_id: int
    provider_name: str
    provider_country: str
    status: InterestStatus
    message: str
    created_at: datetime
    decided_at: datetime | None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "need_id": 7,
                    "provider_id": 31,
                    "provider_name": "Atlas Contact Center SARL",
                    "provider_country": "MA",
                    "status": "pending",
                    "message": "Nous avons 45 positions francophones libres à Rabat dès mars.",
                    "created_at": "2026-11-22T10:00:00Z",
                    "decided_at": None,
                }
            ]
        }
    )


def need_read(need: Need, *, client_visible: bool) -> NeedRead:
    """The API view of a loaded need; the client is left out unless ``client_visible``."""
    organisation = need.organisation
    return NeedRead(
        id=need.id,
        status=NeedStatus(need.status),
        anonymous=need.anonymous,
        client_visible=client_visible,
        client=ClientSummary.model_validate(organisation) if client_visible else None,
        client_country=organisation.country,
        title=need.title,
        description=need.description,
        services=need.service_codes,
        sector=need.sector,
        target_markets=need.market_codes,
        languages=[
            LanguageRequirement(language=row.language, min_level=row.min_level)
            for row in need.languages
        ],
        seats=need.seats,
        start_date=need.start_date,
        duration_months=need.duration_months,
        hours=need.hours,
        budget_max=need.budget_max,
        required_certifications=need.certification_codes,
        gdpr=need.gdpr,
        outbound_fr_consumers=need.outbound_fr_consumers,
        preferred_countries=need.preferred_countries,
        excluded_countries=need.excluded_countries,
        min_capacity_share=need.min_capacity_share,
        priorities=need.priority_codes,
        version=need.version,
        published_at=need.published_at,
        created_at=need.created_at,
        updated_at=need.updated_at,
    )


def shortlist_read(row: NeedShortlist) -> ShortlistRead:
    return ShortlistRead(
        need_id=row.need_id,
        provider_id=row.provider_id,
        provider_name=row.provider.legal_name,
        provider_country=row.provider.country,
        created_at=row.created_at,
    )


def interest_read(row: NeedInterest) -> InterestRead:
    return InterestRead(
        need_id=row.need_id,
        provider_id=row.provider_id,
        provider_name=row.provider.legal_name,
        provider_country=row.provider.country,
        status=InterestStatus(row.status),
        message=row.message,
        created_at=row.created_at,
        decided_at=row.decided_at,
    )
