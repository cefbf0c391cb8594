"""API schemas of organisations (kept apart from the ORM model)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
)

from app.core.fields import CountryCode
from app.organisations.models import OrganisationKind, OrganisationSize

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
City = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]
RegistrationNumber = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]


class OrganisationCreate(BaseModel):
    kind: OrganisationKind
    legal_name: Name
    country: CountryCode
    city: City | None = None
    registration_number: RegistrationNumber | None = Field(
        None, description="Company number; checked where a checksum exists (SIREN, VAT, ICE...)"
    )
    website: HttpUrl | None = None
    size: OrganisationSize | None = None

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "provider",
                    "legal_name": "Atlas Contact Center SARL",
                    "country": "MA",
                    "city": "Rabat",
                    "registration_number": "001561191000066",
                    "website": "https://atlas-contact.example",
                    "size": "250-999",
                }
            ]
        },
    )


class OrganisationUpdate(BaseModel):
    """Partial update: only the fields sent are changed. The kind never changes."""

    legal_name: Name | None = None
    country: CountryCode | None = None
    city: City | None = None
    registration_number: RegistrationNumber | None = None
    website: HttpUrl | None = None
    size: OrganisationSize | None = None

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"city": "Casablanca", "size": "1000+"}]},
    )


class OrganisationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: OrganisationKind
    legal_name: str
    country: str
    city: str | None
    registration_number: str | None
    registration_scheme: str | None
    website: str | None
    size: OrganisationSize | None
    verified: bool
    contested_registration_number: str | None = Field(
        None,
        description="A number this organisation claims while another holds it: an organiser "
        "decides (POST /organisations/{id}/registration-claim)",
    )
    created_at: datetime
    updated_at: datetime


class VerificationUpdate(BaseModel):
    """Set by an organiser or a platform administrator after checking the company."""

    verified: bool

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"verified": True}]})


class ClaimDecision(BaseModel):
    """An organiser's decision on a contested registration number: ``grant`` gives it to
    the claimant (the holder loses it and its verification), ``refuse`` drops the claim."""

    decision: Literal["grant", "refuse"]

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"decision": "grant"}]}
    )


class DuplicateClaimRead(BaseModel):
    claimant: OrganisationRead
    holder: OrganisationRead | None


class VerificationQueue(BaseModel):
    """What organisers check: contested registration numbers, then unverified
    organisations (a page of them, longest waiting first)."""

    duplicate_claims: list[DuplicateClaimRead]
    unverified: list[OrganisationRead]
    unverified_total: int
    limit: int
    offset: int
