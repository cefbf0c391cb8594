"""HTML pages of call centres: the directory (filters, sort, pages), a provider's page and
the multi-section profile editor.

The editor works without JavaScript: sites, languages and references are rows of inputs;
"Add a site" (``action=add:sites``) and "Remove" (``action=remove:sites:<n>``) submit the
form, which comes back with one row more or less and everything typed kept. With
``static/js/profile-editor.js`` the same buttons add and remove rows in place.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup, escape
from pydantic import ValidationError
from sqlalchemy.orm import Session

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
from app.catalog.base import Taxonomy
from app.core.db import SessionDep
from app.core.errors import FieldError, NotFound
from app.core.flash import flash
from app.core.forms import PostedForm
from app.core.pagination import MAX_LIMIT
from app.core.templating import render
from app.core.types import MAX_ID, PathId
from app.i18n import gettext as _
from app.i18n import lazy_gettext
from app.matchmaking.contacts import meeting_offers
from app.organisations import service as organisations
from app.organisations.models import Organisation, OrganisationKind
from app.providers import auth, forms, service
from app.providers.auth import EditableProfile, ReadableProfile
from app.providers.models import ProfileStatus, ProviderProfile
from app.providers.schemas import (
    DirectoryFilters,
    ProviderProfileCreate,
)

router = APIRouter(prefix="/providers", include_in_schema=False)

# Database ids are 32-bit integers: a larger one is refused before any query.
OrganisationQueryId = Annotated[int, Query(ge=1, le=MAX_ID)]

PER_PAGE = 20
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


def _choices(taxonomy: Taxonomy[Any]) -> list[tuple[str, str]]:
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


# --- the directory ------------------------------------------------------------------------


@router.get("", name="providers_directory")
def directory_page(
    request: Request,
    user: CurrentUser,
    db_session: SessionDep,
    page: int = Query(1, ge=1),
    per_page: int = Query(PER_PAGE, ge=1, le=MAX_LIMIT),
) -> Response:
    shown, raw = forms.filters_from_query(request.query_params)
    errors: dict[str, str] = {}
    sort = shown["sort"] if shown["sort"] in service.SORTS else "name"
    try:
        filters = DirectoryFilters.model_validate(raw)
    except ValidationError as exc:
        errors = forms.errors_from(exc)
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


def _editor(
    request: Request,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    profile: ProviderProfile | None = None,
    organisation: Organisation | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "providers/edit.html",
        {
            "values": values,
            "errors": errors,
            "profile": profile,
            "organisation": organisation or (profile.organisation if profile else None),
            "sections": [(anchor, str(title)) for anchor, title in SECTIONS],
            "row_fields": forms.ROW_FIELDS,
            **_options(),
        },
        status_code=status_code,
    )


def _save(
    db_session: Session,
    values: dict[str, Any],
    *,
    profile: ProviderProfile | None = None,
    organisation_id: int | None = None,
) -> tuple[ProviderProfile | None, dict[str, str]]:
    """Validate and save; returns (profile, errors)."""
    data, errors = forms.validate(values, profile=profile, organisation_id=organisation_id)
    if data is None:
        return None, errors
    try:
        if isinstance(data, ProviderProfileCreate):
            saved = service.create_profile(db_session=db_session, data=data)
        else:
            assert profile is not None
            saved = service.update_profile(db_session=db_session, profile=profile, data=data)
    except FieldError as exc:
        db_session.rollback()  # nothing half-written survives
        return None, forms.errors_from_detail(exc.detail, values)
    return saved, {}


@router.api_route("/new", methods=["GET", "POST"], name="providers_new")
def create_page(
    request: Request,
    user: CurrentUser,
    db_session: SessionDep,
    organisation_id: OrganisationQueryId,
    posted: PostedForm,
) -> Response:
    auth.require_creator(user, organisation_id)
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
        values, action = forms.values_from_form(posted)
        if action == "save":
            saved, errors = _save(db_session, values, organisation_id=organisation_id)
            if saved is not None:
                flash(request, _saved_message(saved))
                return RedirectResponse(f"/providers/{saved.id}", status_code=303)
    else:
        values = forms.values_from_profile(None)
    return _editor(
        request,
        values=values,
        errors=errors,
        organisation=organisation,
        status_code=400 if errors else 200,
    )


def _saved_message(profile: ProviderProfile) -> str:
    if profile.status == ProfileStatus.published.value:
        return _("Profile saved and published in the directory.")
    return _("Profile saved (not published in the directory).")


@router.get("/me/edit", name="providers_my_profile")
def my_profile(user: CurrentUser, db_session: SessionDep) -> Response:
    """The signed-in call centre's editor: its profile, or a new one."""
    organisation_id = policy.require_kind(user, OrganisationKind.provider)
    existing = service.get_by_organisation(db_session=db_session, organisation_id=organisation_id)
    if existing is not None:
        return RedirectResponse(f"/providers/{existing.id}/edit", status_code=303)
    return RedirectResponse(f"/providers/new?organisation_id={organisation_id}", status_code=303)


@router.get("/organisation/{organisation_id}", name="providers_of_organisation")
def organisation_profile(
    user: CurrentUser, db_session: SessionDep, organisation_id: PathId
) -> Response:
    """From an organisation's page to its call-centre profile (or its editor, for members)."""
    existing = service.get_by_organisation(db_session=db_session, organisation_id=organisation_id)
    if existing is not None:
        auth.readable(user, existing)
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
    db_session: SessionDep,
    user: CurrentUser,
    profile: ReadableProfile,
    seats_date: date | None = None,
) -> Response:
    return render(
        request,
        "providers/detail.html",
        {
            "profile": profile,
            "seats_date": seats_date,
            "can_edit": policy.can_edit_organisation(user, profile.organisation_id),
            "meeting_offers": meeting_offers(
                db_session=db_session, user=user, others=[profile.organisation_id]
            ),
            **_options(),
        },
    )


@router.api_route("/{provider_id}/edit", methods=["GET", "POST"], name="providers_edit")
def edit_page(
    request: Request, db_session: SessionDep, profile: EditableProfile, posted: PostedForm
) -> Response:
    errors: dict[str, str] = {}
    if request.method == "POST":
        values, action = forms.values_from_form(posted)
        if action == "save":
            saved, errors = _save(db_session, values, profile=profile)
            if saved is not None:
                flash(request, _saved_message(saved))
                return RedirectResponse(f"/providers/{saved.id}", status_code=303)
            profile = service.get_profile(db_session=db_session, provider_id=profile.id)
    else:
        values = forms.values_from_profile(profile)
    values["version"] = str(profile.version) if not values.get("version") else values["version"]
    return _editor(
        request, values=values, errors=errors, profile=profile, status_code=400 if errors else 200
    )
