"""HTML pages of call centres: the directory (filters, sort, pages), a provider's page and
the multi-section profile editor.

The editor works without JavaScript: sites, languages and references are rows of inputs;
"Add a site" (``action=add:sites``) and "Remove" (``action=remove:sites:<n>``) submit the
form, which comes back with one row more or less and everything typed kept. With
``static/js/profile-editor.js`` the same buttons add and remove rows in place.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup, escape
from pydantic import ValidationError
from starlette.datastructures import FormData, MultiDict

from app import i18n
from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.catalog import (
    CERTIFICATIONS,
    CHANNELS,
    GDPR_OFFERS,
    HOURS,
    LANGUAGE_LEVELS,
    PROVIDER_COUNTRIES,
    SECTORS,
    SERVICES,
    country_choices,
    label,
    language_choices,
)
from app.core.db import SessionDep
from app.core.errors import FieldError, NotFound
from app.core.forms import PostedForm
from app.core.pagination import MAX_LIMIT
from app.core.templating import render
from app.core.types import MAX_ID, PathId
from app.i18n import gettext as _
from app.i18n import lazy_gettext
from app.organisations import service as organisations
from app.organisations.models import OrganisationKind
from app.providers import service
from app.providers.models import ProfileStatus, ProviderProfile
from app.providers.schemas import (
    DirectoryFilters,
    ProviderProfileCreate,
    ProviderProfileUpdate,
)

router = APIRouter(prefix="/providers", include_in_schema=False)

# Database ids are 32-bit integers: a larger one is refused before any query.
OrganisationQueryId = Annotated[int, Query(ge=1, le=MAX_ID)]

PER_PAGE = 20
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
_ROW_KEY = re.compile(r"^(sites|languages|references)\.(\d+)\.(\w+)$")
# Editor sections, in order: (anchor, title).
SECTIONS = (
    ("identity", lazy_gettext("Identity and description")),
    ("sites", lazy_gettext("Sites and seats")),
    ("languages", lazy_gettext("Languages")),
    ("services", lazy_gettext("Services and sectors")),
    ("channels", lazy_gettext("Channels and hours")),
    ("prices", lazy_gettext("Prices and contract")),
    ("compliance", lazy_gettext("Certifications and compliance")),
    ("references", lazy_gettext("References")),
)


def _label(taxonomy: str, code: str | None) -> str:
    return label(taxonomy, code, i18n.current_locale.get()) if code else ""


def _choices(taxonomy) -> list[tuple[str, str]]:
    return taxonomy.choices(i18n.current_locale.get())


@lru_cache(maxsize=8)
def _countries(locale: str) -> tuple[tuple[str, str], ...]:
    """The focus countries first, then every other one (sorted once per locale)."""
    first = country_choices(locale, PROVIDER_COUNTRIES)
    rest = [c for c in country_choices(locale) if c[0] not in PROVIDER_COUNTRIES]
    return tuple(first + rest)


@lru_cache(maxsize=8)
def _languages(locale: str) -> tuple[tuple[str, str], ...]:
    return tuple(language_choices(locale))


@lru_cache(maxsize=8)
def _option_pieces(kind: str, locale: str) -> tuple[tuple[str, str], ...]:
    choices = _countries(locale) if kind == "country" else _languages(locale)
    return tuple(
        (code, f'<option value="{escape(code)}">{escape(text)}</option>') for code, text in choices
    )


def choice_options(kind: str, selected: str | None) -> Markup:
    """The ``<option>`` tags of the long lists ("country", "language"), escaped once per
    locale: a page with several country selects renders in a fraction of the time."""
    pieces = _option_pieces(kind, i18n.current_locale.get())
    return Markup(
        "".join(
            html.replace("<option ", "<option selected ", 1) if code == selected else html
            for code, html in pieces
        )
    )


def _translated(err: dict) -> str:
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


def _key(loc: tuple | list, sectors: list[str] | None = None) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query")]
    if parts[:1] == ["sectors"] and len(parts) >= 2:
        if len(parts) == 3 and parts[2] == "years" and sectors and int(parts[1]) < len(sectors):
            return f"sector_years.{sectors[int(parts[1])]}"
        return "sectors"
    if parts[:1] and parts[0] in CODE_LISTS:
        return parts[0]
    return ".".join(parts) or "__all__"


def _errors_from(exc: ValidationError, sectors: list[str] | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors():
        errors.setdefault(_key(err["loc"], sectors), _translated(err))
    return errors


# --- the directory ------------------------------------------------------------------------


def _filters_from_query(query: MultiDict) -> tuple[dict[str, Any], dict[str, Any]]:
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


@router.get("", name="providers_directory")
def directory_page(
    request: Request,
    user: CurrentUser,
    db_session: SessionDep,
    page: int = Query(1, ge=1),
    per_page: int = Query(PER_PAGE, ge=1, le=MAX_LIMIT),
):
    shown, raw = _filters_from_query(request.query_params)
    errors: dict[str, str] = {}
    sort = shown["sort"] if shown["sort"] in service.SORTS else "name"
    try:
        filters = DirectoryFilters.model_validate(raw)
    except ValidationError as exc:
        errors = _errors_from(exc)
        filters = None
    items: list[ProviderProfile] = []
    total = 0
    if filters is not None:
        items, total = service.search(
            db_session=db_session,
            filters=filters,
            sort=sort,
            limit=per_page,
            offset=(page - 1) * per_page,
        )
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page",) and v != ""]
    return render(
        request,
        "providers/directory.html",
        {
            "providers": items,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // per_page)),
            "base_query": urlencode(kept) + "&" if kept else "",
            "filters": shown,
            "seats_date": filters.seats_date if filters else None,
            "errors": errors,
            "sort": sort,
            **_options(),
        },
        status_code=400 if errors else 200,
    )


def _options() -> dict[str, Any]:
    return {
        "country_options": "country",
        "language_options": "language",
        "choice_options": choice_options,
        "level_options": _choices(LANGUAGE_LEVELS),
        "service_options": _choices(SERVICES),
        "sector_options": _choices(SECTORS),
        "channel_options": _choices(CHANNELS),
        "hours_options": _choices(HOURS),
        "certification_options": _choices(CERTIFICATIONS),
        "gdpr_options": _choices(GDPR_OFFERS),
        "sort_options": [
            ("name", _("Name")),
            ("seats", _("Seats available (most first)")),
            ("price", _("Price (lowest first)")),
            ("updated", _("Recently updated")),
        ],
        "lbl": _label,
        "seats_at": service.seats_at,
    }


# --- the editor ---------------------------------------------------------------------------


def _blank_row(kind: str) -> dict[str, str]:
    return {field: "" for field in ROW_FIELDS[kind]}


def _values_from_profile(profile: ProviderProfile | None) -> dict[str, Any]:
    if profile is None:
        return {
            "publish": "on",
            "sites": [_blank_row("sites")],
            "languages": [_blank_row("languages")],
            "references": [],
            "services": [],
            "channels": [],
            "certifications": [],
            "sectors": {},
        }

    def text(value) -> str:
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


def _values_from_form(form: FormData) -> tuple[dict[str, Any], str]:
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
        match = _ROW_KEY.match(key)
        if match and match.group(3) in ROW_FIELDS[match.group(1)]:
            kind, index, field = match.group(1), int(match.group(2)), match.group(3)
            rows[kind].setdefault(index, _blank_row(kind))[field] = value
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
        values[action[4:]].append(_blank_row(action[4:]))
    return values, action


def _payload(values: dict[str, Any]) -> dict[str, Any]:
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


def _editor(request, *, values, errors, profile=None, organisation=None, status_code=200):
    return render(
        request,
        "providers/edit.html",
        {
            "values": values,
            "errors": errors,
            "profile": profile,
            "organisation": organisation or (profile.organisation if profile else None),
            "sections": [(anchor, str(title)) for anchor, title in SECTIONS],
            "row_fields": ROW_FIELDS,
            **_options(),
        },
        status_code=status_code,
    )


def _save(db_session, values: dict[str, Any], *, profile=None, organisation_id=None):
    """Validate and save; returns (profile, errors)."""
    payload = _payload(values)
    if profile is None or values["publish"]:
        payload["status"] = "published" if values["publish"] else "draft"
    elif profile.status != ProfileStatus.closed.value:
        payload["status"] = "draft"
    # Nothing typed in a row that was dropped: renumber so errors point at what is shown.
    for kind in ROW_FIELDS:
        values[kind] = [row for row in values[kind] if any(row.values())]
    sectors = list(values["sectors"])
    try:
        if profile is None:
            data = ProviderProfileCreate.model_validate(
                {**payload, "organisation_id": organisation_id}
            )
        else:
            data = ProviderProfileUpdate.model_validate(payload)
    except ValidationError as exc:
        return None, _errors_from(exc, sectors)
    if profile is not None and values.get("version") and values["version"] != str(profile.version):
        return None, {
            "__all__": _(
                "This profile was changed by someone else meanwhile: review it and save again."
            )
        }
    try:
        if profile is None:
            saved = service.create_profile(db_session=db_session, data=data)
        else:
            saved = service.update_profile(db_session=db_session, profile=profile, data=data)
    except FieldError as exc:
        db_session.rollback()  # nothing half-written survives
        return None, {_key(d["loc"], sectors): d["msg"] for d in exc.detail}
    return saved, {}


@router.api_route("/new", methods=["GET", "POST"], name="providers_new")
def create_page(
    request: Request,
    user: CurrentUser,
    db_session: SessionDep,
    organisation_id: OrganisationQueryId,
    posted: PostedForm,
):
    policy.require_member(user, organisation_id)
    organisation = organisations.get(db_session=db_session, organisation_id=organisation_id)
    if organisation.kind != OrganisationKind.provider.value:
        raise FieldError(
            {
                "organisation_id": _(
                    "Only a call centre (an organisation of kind provider) has a provider profile."
                )
            }
        )
    existing = service.get_by_organisation(db_session=db_session, organisation_id=organisation_id)
    if existing is not None:
        return RedirectResponse(f"/providers/{existing.id}/edit", status_code=303)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values, action = _values_from_form(posted)
        if action == "save":
            saved, errors = _save(db_session, values, organisation_id=organisation_id)
            if saved is not None:
                return RedirectResponse(f"/providers/{saved.id}", status_code=303)
    else:
        values = _values_from_profile(None)
    return _editor(
        request,
        values=values,
        errors=errors,
        organisation=organisation,
        status_code=400 if errors else 200,
    )


def _readable(user, profile: ProviderProfile) -> ProviderProfile:
    """Published profiles are for every signed-in user; drafts and closed ones only for the
    centre's members (others get 404)."""
    if profile.status != ProfileStatus.published.value:
        policy.require_member(user, profile.organisation_id, hide=True)
    return profile


def _editable(user, profile: ProviderProfile) -> ProviderProfile:
    policy.require_member(
        user, profile.organisation_id, hide=profile.status != ProfileStatus.published.value
    )
    return profile


@router.get("/me/edit", name="providers_my_profile")
def my_profile(user: CurrentUser, db_session: SessionDep):
    """The signed-in call centre's editor: its profile, or a new one."""
    organisation_id = policy.require_kind(user, OrganisationKind.provider)
    existing = service.get_by_organisation(db_session=db_session, organisation_id=organisation_id)
    if existing is not None:
        return RedirectResponse(f"/providers/{existing.id}/edit", status_code=303)
    return RedirectResponse(f"/providers/new?organisation_id={organisation_id}", status_code=303)


@router.get("/organisation/{organisation_id}", name="providers_of_organisation")
def organisation_profile(user: CurrentUser, db_session: SessionDep, organisation_id: PathId):
    """From an organisation's page to its call-centre profile (or its editor, for members)."""
    existing = service.get_by_organisation(db_session=db_session, organisation_id=organisation_id)
    if existing is not None:
        _readable(user, existing)
        return RedirectResponse(f"/providers/{existing.id}", status_code=303)
    organisation = organisations.get(db_session=db_session, organisation_id=organisation_id)
    if organisation.kind == OrganisationKind.provider.value and policy.can_edit_organisation(
        user, organisation_id
    ):
        return RedirectResponse(
            f"/providers/new?organisation_id={organisation_id}", status_code=303
        )
    raise NotFound(_("Organisation %(id)s has no call-centre profile.", id=organisation_id))


@router.get("/{provider_id}", name="providers_show")
def show_page(
    request: Request,
    user: CurrentUser,
    db_session: SessionDep,
    provider_id: PathId,
    seats_date: date | None = None,
):
    profile = _readable(user, service.get_profile(db_session=db_session, provider_id=provider_id))
    return render(
        request,
        "providers/detail.html",
        {
            "profile": profile,
            "seats_date": seats_date,
            "can_edit": policy.can_edit_organisation(user, profile.organisation_id),
            **_options(),
        },
    )


@router.api_route("/{provider_id}/edit", methods=["GET", "POST"], name="providers_edit")
def edit_page(
    request: Request,
    user: CurrentUser,
    db_session: SessionDep,
    provider_id: PathId,
    posted: PostedForm,
):
    profile = _editable(user, service.get_profile(db_session=db_session, provider_id=provider_id))
    errors: dict[str, str] = {}
    if request.method == "POST":
        values, action = _values_from_form(posted)
        if action == "save":
            saved, errors = _save(db_session, values, profile=profile)
            if saved is not None:
                return RedirectResponse(f"/providers/{saved.id}", status_code=303)
            profile = service.get_profile(db_session=db_session, provider_id=provider_id)
    else:
        values = _values_from_profile(profile)
    values["version"] = str(profile.version) if not values.get("version") else values["version"]
    return _editor(
        request, values=values, errors=errors, profile=profile, status_code=400 if errors else 200
    )
