"""API schemas of recommendations and weight sets (apart from the ORM)."""

from __future__ import annotations

import math
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from app.core.types import MAX_ID
from app.i18n import gettext as _
from app.matching import CRITERIA, Weights

MAX_WEIGHT = 100.0


# --- weight sets ------------------------------------------------------------------------


def check_weights(value: dict[str, float] | None) -> dict[str, float]:
    """Overrides {criterion: 0..100}; unknown criteria and out-of-range weights refused, and
    the weights once merged with the defaults must not all be zero."""
    out: dict[str, float] = {}
    for code, weight in (value or {}).items():
        if code not in CRITERIA:
            raise PydanticCustomError(
                "criterion",
                _(
                    "Unknown criterion %(code)s; known: %(known)s.",
                    code=repr(code),
                    known=", ".join(CRITERIA),
                ),
            )
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int | float)
            or not math.isfinite(weight)
            or not 0 <= weight <= MAX_WEIGHT
        ):
            raise PydanticCustomError(
                "weight", _("The weight of %(code)s must be a number from 0 to 100.", code=code)
            )
        out[code] = float(weight)
    if not any(Weights().merged(out).base().values()):
        raise PydanticCustomError("weights", _("At least one weight must be above 0."))
    return out


def _clean_name(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value:
        raise PydanticCustomError("name", _("Give the set a name."))
    return value


def _clean_weights(value: object) -> dict[str, float] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise PydanticCustomError("weights", _("Weights are an object {criterion: weight}."))
    return check_weights(value)


class WeightSetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120)
    weights: dict[str, float] = Field(
        default_factory=dict,
        description="Overrides of the default weights: {criterion code: 0..100}",
    )
    organisation_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="The organiser organisation (a platform admin names it)"
    )

    _name = field_validator("name")(_clean_name)
    _weights = field_validator("weights", mode="before")(_clean_weights)


class WeightSetUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=120)
    weights: dict[str, float] | None = None

    _name = field_validator("name")(_clean_name)
    _weights = field_validator("weights", mode="before")(_clean_weights)


class WeightSetRead(BaseModel):
    id: int
    organisation_id: int
    name: str
    weights: dict[str, float] = Field(description="The overrides as saved")
    effective: dict[str, float] = Field(description="Every criterion's weight once merged")
    created_at: datetime
    updated_at: datetime


# --- matches ----------------------------------------------------------------------------


class MatchPart(BaseModel):
    criterion: str
    label: str
    points: float = Field(description="Rounded to 0.1; the parts add up to the score")
    max_points: float
    sentence: str


class MatchCriterion(BaseModel):
    criterion: str
    label: str


class MatchHint(BaseModel):
    field: str = Field(description="A field of the need that is not filled in")
    sentence: str


class MatchProvider(BaseModel):
    id: int = Field(description="The call-centre profile id (/api/v1/providers/{id})")
    organisation_id: int
    name: str
    country: str
    cities: list[str]
    verified: bool


class ProviderMatch(BaseModel):
    provider: MatchProvider
    score: float = Field(description="0–100, rounded to 0.1")
    parts: list[MatchPart]
    left_out: list[MatchCriterion]
    shortlisted: bool


class MatchExclusionReason(BaseModel):
    reason: str
    label: str
    sentence: str


class MatchExcludedProvider(BaseModel):
    provider: MatchProvider
    reasons: list[MatchExclusionReason]


class MatchWeights(BaseModel):
    weight_set_id: int | None
    weight_set_name: str | None
    base: dict[str, float] = Field(description="Defaults merged with the weight set")
    priorities: list[str] = Field(description="Criteria the need marks as mattering most")
    priority_factor: float
    effective: dict[str, float] = Field(description="Weights after the need's priorities")


class NeedMatchesPage(BaseModel):
    need_id: int
    items: list[ProviderMatch]
    total: int = Field(description="Call centres that pass the hard filters")
    limit: int
    offset: int
    excluded_total: int
    excluded: list[MatchExcludedProvider] = Field(
        description="With include_excluded=true: a page of excluded call centres"
    )
    excluded_offset: int
    weights: MatchWeights
    left_out: list[MatchCriterion] = Field(description="Criteria the need does not express")
    missing: list[MatchHint] = Field(description="What to add for better matches")


class MatchNeed(BaseModel):
    id: int
    title: str
    client_name: str | None = Field(description="None while an anonymous client is hidden")
    client_country: str
    seats: int
    start_date: date
    anonymous: bool


class NeedMatch(BaseModel):
    need: MatchNeed
    score: float
    parts: list[MatchPart]
    left_out: list[MatchCriterion]
    interest: str | None = Field(description="Your expression of interest: pending...")
    shortlisted: bool = Field(description="The client shortlisted your centre")


class MatchExcludedNeed(BaseModel):
    need: MatchNeed
    reasons: list[MatchExclusionReason]


class ProviderMatchesPage(BaseModel):
    provider_id: int
    items: list[NeedMatch]
    total: int
    limit: int
    offset: int
    excluded_total: int
    excluded: list[MatchExcludedNeed]
    excluded_offset: int
    weights: MatchWeights
