"""Field types shared by every domain's schemas: ISO country and language codes.

One definition, so the API and the forms of every domain accept the same codes and refuse
the others with the same message naming the field.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from app.catalog import is_country, is_language
from app.i18n import gettext as _


def _country(value: str) -> str:
    code = value.strip().upper()
    if not is_country(code):
        raise PydanticCustomError(
            "country",
            _(
                "Unknown country code %(code)s: use ISO 3166 alpha-2, e.g. FR, MA.",
                code=repr(value),
            ),
        )
    return code


def _language(value: str) -> str:
    code = value.strip().lower()
    if not is_language(code):
        raise PydanticCustomError(
            "language",
            _("Unknown language code %(code)s: use ISO 639-1, e.g. fr, en, ar.", code=repr(value)),
        )
    return code


CountryCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=10),
    AfterValidator(_country),
    Field(json_schema_extra={"pattern": "^[A-Z]{2}$", "examples": ["FR"]}),
]
LanguageCode = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=10),
    AfterValidator(_language),
    Field(json_schema_extra={"pattern": "^[a-z]{2}$", "examples": ["fr"]}),
]
