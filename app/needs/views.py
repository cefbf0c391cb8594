"""HTML pages of needs: the open-needs list (for call centres), the need page, and the
editor for clients. Every read goes through the identity rule of the service."""

from __future__ import annotations

from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.accounts.models import User
from app.catalog import (
    CERTIFICATIONS,
    CLIENT_MARKETS,
    GDPR_REQUIREMENTS,
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
from app.core.errors import Conflict, DomainError, FieldError, PermissionDenied
from app.core.flash import flash
from app.core.forms import PostedForm, values_of
from app.core.pagination import MAX_LIMIT, PageNumber
from app.core.templating import env, render
from app.core.types import PathId
from app.i18n import current_locale
from app.i18n import gettext as _
from app.matching.sentences import criterion_label
from app.matching.weights import CRITERIA
from app.matchmaking.contacts import meeting_offers
from app.needs import auth, forms, service
from app.needs.models import Need, NeedInterest
from app.needs.schemas import NeedCreate, NeedUpdate
from app.needs.service import NeedFilters

router = APIRouter(prefix="/needs", include_in_schema=False)

SHARE_OPTIONS = ("0", "0.25", "0.5", "0.75", "1")
# Languages offered first in the editor's suggestions (the product's usual ones).
COMMON_LANGUAGES = ("fr", "en", "es", "de", "it", "nl", "pt", "ar", "wo", "lb")


def catalog_label(taxonomy: str, code: str | None) -> str:
    """Label of a catalogue code in the page's language ('' for None)."""
    if not code:
        return ""
    return label(taxonomy, code, current_locale.get())


def need_status_label(status: str) -> str:
    labels = {"draft": _("Draft"), "open": _("Open"), "closed": _("Closed")}
    return labels.get(status, status)


def interest_status_label(status: str) -> str:
    labels = {"pending": _("Pending"), "accepted": _("Accepted"), "declined": _("Declined")}
    return labels.get(status, status)


def criterion_name(code: str) -> str:
    return criterion_label(code, _)


env.globals.update(
    catalog_label=catalog_label,
    need_status_label=need_status_label,
    interest_status_label=interest_status_label,
    criterion_name=criterion_name,
)


def _options() -> dict[str, Any]:
    locale = current_locale.get()
    common = language_choices(locale, COMMON_LANGUAGES)
    others = [c for c in language_choices(locale) if c[0] not in COMMON_LANGUAGES]
    return {
        "service_options": SERVICES.choices(locale),
        "sector_options": SECTORS.choices(locale),
        "hours_options": HOURS.choices(locale),
        "level_options": LANGUAGE_LEVELS.choices(locale),
        "certification_options": CERTIFICATIONS.choices(locale),
        "gdpr_options": GDPR_REQUIREMENTS.choices(locale),
        "market_options": country_choices(locale, CLIENT_MARKETS),
        "provider_country_options": country_choices(locale, PROVIDER_COUNTRIES),
        "language_suggestions": common + others,
        "criterion_options": [(c, criterion_name(c)) for c in CRITERIA],
        "share_options": [(s, f"{round(float(s) * 100)} %") for s in SHARE_OPTIONS],
    }


def _editor(
    request: Request,
    form: forms.NeedForm,
    errors: dict[str, str],
    *,
    need: Need | None = None,
    extra_rows: int = 1,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "needs/form.html",
        {
            "form": form,
            "errors": errors,
            "need": need,
            "rows": form.padded_rows(extra_rows),
            **_options(),
        },
        status_code=status_code,
    )


def _require_client(user: User) -> int:
    if not service.is_client(user):
        raise PermissionDenied(_("Only members of a client company can post needs."))
    return policy.require_kind(user, "client")


# --- the list of open needs -------------------------------------------------------------------


@router.get("", name="needs_list")
def list_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    service_: Annotated[str | None, Query(alias="service", max_length=40)] = None,
    sector: Annotated[str | None, Query(max_length=40)] = None,
    language: Annotated[str | None, Query(max_length=20)] = None,
    market: Annotated[str | None, Query(max_length=40)] = None,
    min_seats: Annotated[str | None, Query(max_length=6)] = None,
    max_seats: Annotated[str | None, Query(max_length=6)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 20,
) -> Response:
    errors: dict[str, str] = {}
    chosen = {
        "service": service_ or "",
        "sector": sector or "",
        "language": language or "",
        "market": market or "",
        "min_seats": min_seats or "",
        "max_seats": max_seats or "",
        "q": q or "",
    }
    if service_ and service_ not in SERVICES:
        errors["service"] = _("Unknown service.")
    if sector and sector not in SECTORS:
        errors["sector"] = _("Unknown sector.")
    lang_code = forms.language_code(language) if language else None
    if language and lang_code not in dict(language_choices("en")):
        errors["language"] = _(
            "Unknown language %(code)s: use ISO 639-1, e.g. fr, en.", code=repr(language)
        )
    market_code = forms.country_code(market) if market else None
    if market and market_code not in dict(country_choices("en")):
        errors["market"] = _("%(code)s is not a country.", code=repr(market))
    seats: dict[str, int | None] = {"min_seats": None, "max_seats": None}
    for name, raw in (("min_seats", min_seats), ("max_seats", max_seats)):
        if raw:
            if raw.isdigit() and int(raw) > 0:
                seats[name] = int(raw)
            else:
                errors[name] = _("Enter a whole number of seats above 0.")
    items: list[Need] = []
    total = 0
    if not errors:
        items, total = service.list_open(
            db_session=db_session,
            filters=NeedFilters(
                service=service_,
                sector=sector,
                language=lang_code,
                market=market_code,
                min_seats=seats["min_seats"],
                max_seats=seats["max_seats"],
                q=q,
            ),
            limit=per_page,
            offset=(page - 1) * per_page,
        )
    visible = service.visibility(db_session=db_session, needs=items, user=user)
    relations: tuple[set[int], dict[int, str]] = (set(), {})
    if service.is_provider(user) and items:
        relations = service.provider_relations(
            db_session=db_session,
            provider_id=policy.require_kind(user, "provider"),
            need_ids=[n.id for n in items],
        )
    base_query = urlencode({k: v for k, v in chosen.items() if v})
    return render(
        request,
        "needs/list.html",
        {
            "needs": items,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // per_page)),
            "visible": visible,
            "shortlisted": relations[0],
            "interests": relations[1],
            "chosen": chosen,
            "errors": errors,
            "base_query": base_query + "&" if base_query else "",
            "is_client": service.is_client(user),
            **_options(),
        },
        status_code=400 if errors else 200,
    )


# --- the editor --------------------------------------------------------------------------------


@router.api_route("/new", methods=["GET", "POST"], name="needs_new")
def create_page(
    request: Request, db_session: SessionDep, user: CurrentUser, posted: PostedForm
) -> Response:
    organisation_id = _require_client(user)
    if request.method == "GET":
        form = forms.NeedForm(values={"gdpr": "none", "min_capacity_share": "0.5"})
        return _editor(request, form, {})
    form = forms.read_form(posted)
    action = (values_of(posted)).get("action", "save")
    if action == "add_language":
        return _editor(request, form, {}, extra_rows=2)
    data, errors = forms.validate(NeedCreate, form)
    if data is not None:
        data.status = "open" if action == "publish" else "draft"
        try:
            need = service.create(db_session=db_session, organisation_id=organisation_id, data=data)
        except FieldError as exc:
            db_session.rollback()  # nothing half-written survives
            errors = exc.errors
        else:
            flash(
                request,
                _("Your need is published: call centres can see it.")
                if need.status == "open"
                else _("Your need is saved as a draft."),
            )
            return RedirectResponse(f"/needs/{need.id}", status_code=303)
    return _editor(request, form, errors, status_code=400)


_CLEARABLE = {
    "sector": None,
    "hours": None,
    "duration_months": None,
    "budget_max": None,
    "description": "",
}


@router.api_route("/{need_id}/edit", methods=["GET", "POST"], name="needs_edit")
def edit_page(
    request: Request, db_session: SessionDep, user: CurrentUser, need_id: PathId, posted: PostedForm
) -> Response:
    need = auth.editable_need(db_session, user, need_id)
    if request.method == "GET":
        return _editor(request, forms.form_from_need(need), {}, need=need)
    form = forms.read_form(posted)
    action = (values_of(posted)).get("action", "save")
    if action == "add_language":
        return _editor(request, form, {}, need=need, extra_rows=2)
    data, errors = forms.validate(NeedUpdate, form)
    for required in ("title", "seats", "start_date"):
        if not form.values.get(required):
            errors[required] = _("This field is required.")
    if data is not None and not errors:
        for name, empty in _CLEARABLE.items():
            if not form.values.get(name):
                setattr(data, name, empty)  # explicitly cleared
        try:
            need = service.update(db_session=db_session, need=need, data=data)
            if action == "publish":
                service.open_(db_session=db_session, need=need)
        except (FieldError, Conflict) as exc:
            db_session.rollback()
            errors = exc.errors if isinstance(exc, FieldError) else {"__all__": str(exc.detail)}
            need = service.get(db_session=db_session, need_id=need_id)
        else:
            flash(
                request,
                _("Your need is published: call centres can see it.")
                if action == "publish"
                else _("Your changes are saved."),
            )
            return RedirectResponse(f"/needs/{need.id}", status_code=303)
    return _editor(request, form, errors, need=need, status_code=400)


# --- the need page -------------------------------------------------------------------------------


@router.get("/{need_id}", name="needs_show")
def show_page(
    request: Request, db_session: SessionDep, user: CurrentUser, need_id: PathId
) -> Response:
    need = auth.readable_need(db_session, user, need_id)
    visible = service.visibility(db_session=db_session, needs=[need], user=user)[need.id]
    owner = auth.can_edit(need, user)
    provider = service.is_provider(user)
    context = {
        "need": need,
        "client_visible": visible,
        "owner": owner,
        "provider": provider,
        "shortlist": [],
        "interests": [],
        "my_interest": None,
        "my_message": "",
        "shortlisted": False,
        "in_contact": [],
    }
    if owner:
        context["shortlist"] = service.shortlist_of(db_session=db_session, need_ids=[need.id])
        context["interests"] = service.interests_for_needs(
            db_session=db_session, need_ids=[need.id]
        )
        context["in_contact"] = service.in_contact(db_session=db_session, need_id=need.id)
    elif provider:
        shortlisted, interests = service.provider_relations(
            db_session=db_session,
            provider_id=policy.require_kind(user, "provider"),
            need_ids=[need.id],
        )
        context["shortlisted"] = need.id in shortlisted
        context["my_interest"] = interests.get(need.id)
        if context["my_interest"] is not None:
            mine = service.get_interest(
                db_session=db_session,
                need_id=need.id,
                provider_id=policy.require_kind(user, "provider"),
            )
            context["my_message"] = mine.message
        context["in_contact"] = service.in_contact(
            db_session=db_session,
            need_id=need.id,
            provider_id=policy.require_kind(user, "provider"),
        )
    # "Ask to meet at <event>" for directory contacts of this need attending an event.
    context["meeting_offers"] = meeting_offers(
        db_session=db_session,
        user=user,
        others=(
            [i.provider_id for i in cast("list[NeedInterest]", context["interests"])]
            if owner
            else [need.organisation_id]
        ),
    )
    return render(request, "needs/detail.html", context)


def _back(request: Request, need_id: PathId, default: str | None = None) -> RedirectResponse:
    target = request.query_params.get("next") or default or f"/needs/{need_id}"
    if not target.startswith("/") or target.startswith("//"):
        target = f"/needs/{need_id}"
    return RedirectResponse(target, status_code=303)


def _action_error(request: Request, exc: DomainError) -> Response:
    from app.core.templating import render_error_page

    return render_error_page(request, exc.status_code, _first_message(exc))


def _first_message(exc: DomainError) -> str:
    if isinstance(exc, FieldError):
        return " ".join(exc.errors.values())
    return str(exc.detail)


@router.post("/{need_id}/open", name="needs_open")
def open_action(
    request: Request, db_session: SessionDep, user: CurrentUser, need_id: PathId
) -> Response:
    need = auth.editable_need(db_session, user, need_id)
    was = need.status
    try:
        service.open_(db_session=db_session, need=need)
    except FieldError as exc:
        db_session.rollback()
        return _action_error(request, exc)
    flash(
        request,
        _("“%(title)s” is reopened.", title=need.title)
        if was == "closed"
        else _("“%(title)s” is published: call centres can see it.", title=need.title),
    )
    return _back(request, need_id)


@router.post("/{need_id}/close", name="needs_close")
def close_action(
    request: Request, db_session: SessionDep, user: CurrentUser, need_id: PathId
) -> Response:
    need = auth.editable_need(db_session, user, need_id)
    service.close(db_session=db_session, need=need)
    flash(request, _("“%(title)s” is closed.", title=need.title))
    return _back(request, need_id)


@router.post("/{need_id}/interest", name="needs_express_interest")
def interest_action(
    request: Request, db_session: SessionDep, user: CurrentUser, need_id: PathId, posted: PostedForm
) -> Response:
    need = auth.readable_need(db_session, user, need_id)
    provider_id = policy.require_kind(user, "provider")
    message = values_of(posted).get("message", "")[:2000]
    already = service.has_interest(db_session=db_session, need_id=need.id, provider_id=provider_id)
    try:
        service.express_interest(
            db_session=db_session, need=need, provider_id=provider_id, message=message
        )
    except Conflict as exc:
        db_session.rollback()
        return _action_error(request, exc)
    flash(
        request,
        _("Your message is updated.")
        if already
        else _("Your interest is sent: the client will accept or decline it."),
    )
    return _back(request, need_id)


@router.post("/{need_id}/interests/{provider_id}/{decision}", name="needs_decide_interest")
def decide_action(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    need_id: PathId,
    provider_id: PathId,
    decision: str,
) -> Response:
    if decision not in ("accept", "decline"):
        raise FieldError({"decision": _("Accept or decline.")})
    need = auth.editable_need(db_session, user, need_id)
    row = service.decide_interest(
        db_session=db_session, need=need, provider_id=provider_id, accept=decision == "accept"
    )
    flash(
        request,
        _(
            "You are in contact with %(name)s: their contact person is listed under “In contact”.",
            name=row.provider.legal_name,
        )
        if decision == "accept"
        else _("The interest of %(name)s is declined.", name=row.provider.legal_name),
    )
    return _back(request, need_id)


@router.post("/{need_id}/shortlist", name="needs_shortlist")
def shortlist_action(
    request: Request, db_session: SessionDep, user: CurrentUser, need_id: PathId, posted: PostedForm
) -> Response:
    """Shortlist a provider (the matches pages post ``provider_id`` here)."""
    need = auth.editable_need(db_session, user, need_id)
    raw = values_of(posted).get("provider_id", "")
    if not raw.isdigit():
        raise FieldError({"provider_id": _("Choose a call centre.")})
    try:
        row = service.shortlist(db_session=db_session, need=need, provider_id=int(raw))
    except FieldError as exc:
        db_session.rollback()
        return _action_error(request, exc)
    flash(
        request,
        _(
            "%(name)s is on the shortlist of “%(title)s”.",
            name=service.organisation_name(db_session=db_session, organisation_id=row.provider_id),
            title=need.title,
        ),
    )
    return _back(request, need_id)


@router.post("/{need_id}/shortlist/{provider_id}/remove", name="needs_unshortlist")
def unshortlist_action(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    need_id: PathId,
    provider_id: PathId,
) -> Response:
    need = auth.editable_need(db_session, user, need_id)
    if service.unshortlist(db_session=db_session, need=need, provider_id=provider_id):
        flash(
            request,
            _(
                "%(name)s is removed from the shortlist.",
                name=service.organisation_name(db_session=db_session, organisation_id=provider_id),
            ),
        )
    return _back(request, need_id)
