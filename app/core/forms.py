"""HTML form helpers: turn posted fields into a schema, or per-field messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

from app.i18n import gettext as _

M = TypeVar("M", bound=BaseModel)


async def form_values(request: Request) -> dict[str, str]:
    """Posted fields as strings, trimmed (``csrf_token`` left out)."""
    form = await request.form()
    return {k: v.strip() for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}


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
