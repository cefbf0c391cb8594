"""HTML form helpers: read a posted form (bounded), turn its fields into a schema, or
per-field messages.

Handlers that do slow or blocking work (database, password hashing) are plain ``def``
functions, run in the threadpool; they take the posted form as a dependency
(``PostedForm``), read on the event loop before the handler runs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, TypeVar

from fastapi import Depends
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from app.core.errors import BadRequest
from app.i18n import gettext as _

M = TypeVar("M", bound=BaseModel)

# No form of the site has more than a few dozen fields nor a field of more than a few KB.
MAX_FORM_FIELDS = 200
MAX_FORM_FIELD_BYTES = 256 * 1024
NUL = "\x00"


async def posted_form(request: Request) -> FormData:
    """The posted form (empty for GET), bounded; 400 when unreadable or holding NUL."""
    if request.method in ("GET", "HEAD"):
        return FormData()
    try:
        form = await request.form(max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FORM_FIELD_BYTES)
    except HTTPException as exc:
        if exc.status_code == 413:  # the body limit: answered as such
            raise
        raise BadRequest(_("This form could not be read: %(why)s", why=exc.detail)) from None
    for key, value in form.multi_items():
        if NUL in key or (isinstance(value, str) and NUL in value):
            raise BadRequest(
                _("NUL characters are not allowed (field: %(names)s).", names=key.replace(NUL, ""))
            )
    return form


PostedForm = Annotated[FormData, Depends(posted_form)]


def values_of(form: FormData) -> dict[str, str]:
    """Posted fields as strings, trimmed (``csrf_token`` left out)."""
    return {k: v.strip() for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


def raw_field(form: FormData, name: str) -> str:
    """A field exactly as typed (a password: trimming would change it)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


async def form_values(request: Request) -> dict[str, str]:
    """Posted fields as strings, trimmed (``csrf_token`` left out)."""
    return values_of(await posted_form(request))


def errors_by_field(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ()) if part != "body"]
        field = loc[0] if loc else "__all__"
        # pydantic's own "Field required" is English only: say it in the page's language.
        message = _("This field is required.") if err.get("type") == "missing" else err["msg"]
        errors.setdefault(field, str(message))
    return errors


def parse_form(
    schema: type[M], values: Mapping[str, str | bool | None]
) -> tuple[M | None, dict[str, str]]:
    """Validate form values (empty strings mean "not given") against ``schema``."""
    data = {k: v for k, v in values.items() if v not in ("", None)}
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        return None, errors_by_field(exc)
