"""The call-centre profile editor's form and the directory's filters: posted fields -> the
values the template shows and a ProviderProfileCreate/Update payload, and pydantic errors ->
a message per form field (sites, languages and references are rows of fields)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from starlette.datastructures import FormData, ImmutableMultiDict

from app.i18n import gettext as _
from app.providers.models import ProfileStatus, ProviderProfile
from app.providers.schemas import ProviderProfileCreate, ProviderProfileUpdate

ROW_FIELDS: dict[str, tuple[str, ...]] = {
    "sites": (
        "country",
        "city",
        "timezone",
        "seats_total",
        "seats_available_now",
        "seats_available_later",
        "available_from",
    ),
    "languages": ("language", "level", "culture_markets"),
    "references": ("client_name", "anonymised", "country", "sector", "description"),
}
SCALAR_FIELDS = (
    "description_fr",
    "description_en",
    "hours",
    "price_min",
    "price_max",
    "min_contract_seats",
    "data_hosting_country",
)
FLAGS = ("gdpr_dpa", "gdpr_scc", "gdpr_eu_hosting", "bloctel_screening", "opt_in_only")
CODE_LISTS = ("services", "channels", "certifications")
ROW_KEY = re.compile(r"^(sites|languages|references)\.(\d+)\.(\w+)$")


def translated(err: ErrorDetails | dict[str, Any]) -> str:
    """Pydantic's built-in messages in the user's language (ours are translated already)."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("int_parsing", "int_from_float"):
        return _("Enter a whole number.")
    if kind in ("decimal_parsing", "float_parsing", "decimal_type"):
        return _("Enter a number, e.g. 14.50.")
    if kind in ("decimal_max_places", "decimal_max_digits"):
        return _("Use at most two decimals.")
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return _("Enter a date as YYYY-MM-DD.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Must be at least %(min)s.", min=ctx.get("ge", ctx.get("gt", 0)))
    if kind in ("less_than_equal", "less_than"):
        return _("Must be at most %(max)s.", max=ctx.get("le", ctx.get("lt", "")))
    if kind in ("string_too_long", "too_long"):
        return _("Too long: at most %(max)s.", max=ctx.get("max_length", ""))
    if kind in ("string_too_short",):
        return _("This field is required.")
    if kind in ("literal_error", "enum"):
        return _("Choose one of the options offered.")
    return str(err.get("msg", ""))


def error_key(loc: Sequence[object], sectors: list[str] | None = None) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query")]
    if parts[:1] == ["sectors"] and len(parts) >= 2:
        if len(parts) == 3 and parts[2] == "years" and sectors and int(parts[1]) < len(sectors):
            return f"sector_years.{sectors[int(parts[1])]}"
        return "sectors"
    if parts[:1] and parts[0] in CODE_LISTS:
        return parts[0]
    return ".".join(parts) or "__all__"


def errors_from(exc: ValidationError, sectors: list[str] | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        errors.setdefault(error_key(err["loc"], sectors), translated(err))
    return errors


def filters_from_query(
    query: ImmutableMultiDict[str, str],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Raw filter values as typed (for the form) and the values to validate."""
    shown: dict[str, Any] = {
        "country": query.get("country", ""),
        "language": query.get("language", ""),
        "level": query.get("level", ""),
        "service": query.get("service", ""),
        "sector": query.get("sector", ""),
        "seats": query.get("seats", ""),
        "seats_date": query.get("seats_date", ""),
        "certification": query.get("certification", ""),
        "price_max": query.get("price_max", ""),
        "open_24_7": query.get("open_24_7", ""),
        "q": query.get("q", ""),
        "sort": query.get("sort", "name"),
    }
    raw: dict[str, Any] = {
        "country": [v for v in query.getlist("country") if v],
        "service": [v for v in query.getlist("service") if v],
        "sector": [v for v in query.getlist("sector") if v],
        "certification": [v for v in query.getlist("certification") if v],
        "open_24_7": query.get("open_24_7", "") not in ("", "0", "false"),
    }
    for name in ("language", "level", "seats", "seats_date", "price_max", "q"):
        if shown[name].strip():
            raw[name] = shown[name].strip()
    return shown, raw


def blank_row(kind: str) -> dict[str, str]:
    return {field: "" for field in ROW_FIELDS[kind]}


def values_from_profile(profile: ProviderProfile | None) -> dict[str, Any]:
    if profile is None:
        return {
            "publish": "on",
            "sites": [blank_row("sites")],
            "languages": [blank_row("languages")],
            "references": [],
            "services": [],
            "channels": [],
            "certifications": [],
            "sectors": {},
        }

    def text(value: object) -> str:
        return "" if value is None else str(value)

    values: dict[str, Any] = {name: text(getattr(profile, name)) for name in SCALAR_FIELDS}
    values["min_contract_seats"] = text(profile.min_contract_seats or "")
    for flag in FLAGS:
        values[flag] = "on" if getattr(profile, flag) else ""
    values["publish"] = "on" if profile.status == ProfileStatus.published.value else ""
    values["sites"] = [
        {field: text(getattr(site, field)) for field in ROW_FIELDS["sites"]}
        for site in profile.sites
    ]
    values["languages"] = [
        {
            "language": row.language,
            "level": row.level,
            "culture_markets": ", ".join(row.culture_markets or ()),
        }
        for row in profile.languages
    ]
    values["references"] = [
        {
            "client_name": text(r.client_name),
            "anonymised": "on" if r.anonymised else "",
            "country": text(r.country),
            "sector": text(r.sector),
            "description": text(r.description),
        }
        for r in profile.references
    ]
    for name in CODE_LISTS:
        values[name] = [row.code for row in getattr(profile, name)]
    values["sectors"] = {row.code: str(row.years or "") for row in profile.sectors}
    return values


def values_from_form(form: FormData) -> tuple[dict[str, Any], str]:
    """Everything typed, as the template shows it, and the button pressed."""
    multi: dict[str, list[str]] = defaultdict(list)
    for key, value in form.multi_items():
        if isinstance(value, str):
            multi[key].append(value.strip())
    single = {key: items[-1] for key, items in multi.items()}
    values: dict[str, Any] = {name: single.get(name, "") for name in SCALAR_FIELDS}
    for flag in (*FLAGS, "publish"):
        values[flag] = "on" if single.get(flag) else ""
    for name in CODE_LISTS:
        values[name] = [code for code in multi.get(name, []) if code]
    values["sectors"] = {
        code: single.get(f"sector_years.{code}", "") for code in multi.get("sectors", []) if code
    }
    values["version"] = single.get("version", "")
    rows: dict[str, dict[int, dict[str, str]]] = {kind: {} for kind in ROW_FIELDS}
    for key, value in single.items():
        match = ROW_KEY.match(key)
        if match and match.group(3) in ROW_FIELDS[match.group(1)]:
            kind, index, field = match.group(1), int(match.group(2)), match.group(3)
            rows[kind].setdefault(index, blank_row(kind))[field] = value
    action = single.get("action", "save")
    for kind in ROW_FIELDS:
        ordered = [rows[kind][i] for i in sorted(rows[kind])]
        if action.startswith(f"remove:{kind}:"):
            try:
                position = sorted(rows[kind]).index(int(action.rsplit(":", 1)[1]))
            except ValueError:
                position = -1
            if position >= 0:
                ordered.pop(position)
        values[kind] = ordered
    if action.startswith("add:") and action[4:] in ROW_FIELDS:
        values[action[4:]].append(blank_row(action[4:]))
    return values, action


def payload(values: dict[str, Any]) -> dict[str, Any]:
    """What the schemas validate: blank rows dropped, blank fields left out."""
    payload: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        payload[name] = values[name] or None
    for flag in FLAGS:
        payload[flag] = bool(values[flag])
    for name in CODE_LISTS:
        payload[name] = values[name]
    payload["sectors"] = [
        {"sector": code, "years": years or 0} for code, years in values["sectors"].items()
    ]
    for kind in ROW_FIELDS:
        rows = []
        for row in values[kind]:
            if not any(row.values()):
                continue
            item: dict[str, Any] = {k: v for k, v in row.items() if v != ""}
            if kind == "references":
                item["anonymised"] = bool(row["anonymised"])
            rows.append(item)
        payload[kind] = rows
    return payload


def validate(
    values: dict[str, Any],
    *,
    profile: ProviderProfile | None = None,
    organisation_id: int | None = None,
) -> tuple[ProviderProfileCreate | ProviderProfileUpdate | None, dict[str, str]]:
    """The create (no ``profile``) or update payload of the form, or None and a message per
    field. Rows left blank are dropped from ``values`` too, so that errors point at the rows
    shown; a form loaded before someone else's save is refused."""
    data_payload = payload(values)
    if profile is None or values["publish"]:
        data_payload["status"] = "published" if values["publish"] else "draft"
    elif profile.status != ProfileStatus.closed.value:
        data_payload["status"] = "draft"
    for kind in ROW_FIELDS:
        values[kind] = [row for row in values[kind] if any(row.values())]
    sectors = list(values["sectors"])
    data: ProviderProfileCreate | ProviderProfileUpdate
    try:
        if profile is None:
            data = ProviderProfileCreate.model_validate(
                {**data_payload, "organisation_id": organisation_id}
            )
        else:
            data = ProviderProfileUpdate.model_validate(data_payload)
    except ValidationError as exc:
        return None, errors_from(exc, sectors)
    if profile is not None and values.get("version") and values["version"] != str(profile.version):
        return None, {
            "__all__": _(
                "This profile was changed by someone else meanwhile: review it and save again."
            )
        }
    return data, {}


def errors_from_detail(detail: list[dict[str, Any]], values: dict[str, Any]) -> dict[str, str]:
    """A service's ``FieldError`` detail as a message per form field."""
    sectors = list(values["sectors"])
    return {error_key(d["loc"], sectors): d["msg"] for d in detail}
