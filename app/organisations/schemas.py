"""API schemas of organisations (kept apart from the ORM model)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from app.i18n import gettext as _
from app.organisations.models import OrganisationKind, OrganisationSize


def _country_code(value: str) -> str:
    code = value.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise PydanticCustomError(
            "country", _("Unknown country code %(code)s: use ISO 3166 alpha-2, e.g. FR, MA.",
                         code=repr(value))
        )
    return code

CountryCode = Annotated[
    str, StringConstraints(min_length=2, max_length=2), AfterValidator(_country_code)
]
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
    created_at: datetime
    updated_at: datetime


class VerificationUpdate(BaseModel):
    """Set by an organiser or a platform administrator after checking the company."""

    verified: bool

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"verified": True}]})
