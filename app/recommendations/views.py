"""HTML of recommendations: the "Recommended call centres" section of a need page and its
full list (/needs/{id}/matches), "Needs that fit you" for a call centre
(/providers/{id}/matches, /providers/me/matches), and the organisers' weight sets
(/weight-sets). Sections included in other teams' pages compute their data through the
Jinja globals below, with the session of the objects the page already loaded."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session, object_session

from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.core.db import SessionDep
from app.core.errors import FieldError, NotFound
from app.core.flash import flash
from app.core.forms import PostedForm, values_of
from app.core.pagination import MAX_LIMIT, PageNumber
from app.core.templating import env, render
from app.core.types import PathId
from app.i18n import current_locale
from app.i18n import gettext as _
from app.matching import CRITERIA, DEFAULT_WEIGHTS
from app.matching.sentences import criterion_label
from app.matchmaking.contacts import attended_events
from app.needs import auth as needs_auth
from app.needs import service as needs_service
from app.needs.models import Need, NeedStatus
from app.providers import service as providers_service
from app.providers.models import ProviderProfile
from app.recommendations import service
from app.recommendations.cache import caches_of
from app.recommendations.models import ScoringWeightSet
from app.recommendations.schemas import WeightSetIn, WeightSetUpdate

router = APIRouter(include_in_schema=False)

PER_PAGE = 20


M = TypeVar("M", bound=BaseModel)


def _weight_set_or_none(db_session: Session, raw: str | None) -> ScoringWeightSet | None:
    """A weight set from the ``weights`` query parameter (ignored when not a number)."""
    if raw and raw.isdigit():
        try:
            return service.get_weight_set(db_session=db_session, weight_set_id=int(raw))
        except NotFound:
            return None
    return None


# --- sections included in the need and provider pages ------------------------------------


@jinja2.pass_context
def need_recommendations(context: jinja2.runtime.Context, need: Need) -> dict[str, Any] | None:
    """Top call centres for the need page (None when the viewer may not see them)."""
    request: Request = context["request"]
    user = getattr(request.state, "user", None)
    db_session = object_session(need)
    if db_session is None or not service.can_see_need_matches(user, need):
        return None
    if need.status == NeedStatus.closed.value:
        return {"closed": True}
    weight_set = _weight_set_or_none(db_session, request.query_params.get("weights"))
    index = caches_of(request.app.state).providers.get(db_session)
    result = service.need_matches(
        db_session=db_session,
        index=index,
        need=need,
        weight_set=weight_set,
        limit=service.SECTION_SIZE,
        locale=current_locale.get(),
        voice=service.need_voice(user, need),
    )
    return {
        "closed": False,
        "result": result,
        "need": need,
        "back": request.url.path,
        "can_edit": needs_auth.can_edit(need, user),
    }


@jinja2.pass_context
def provider_recommendations(
    context: jinja2.runtime.Context, profile: ProviderProfile
) -> dict[str, Any] | None:
    """Top open needs for a call centre's own page (None for other viewers)."""
    request: Request = context["request"]
    user = getattr(request.state, "user", None)
    db_session = object_session(profile)
    if db_session is None or not service.can_see_provider_matches(user, profile):
        return None
    caches = caches_of(request.app.state)
    result = service.provider_matches(
        db_session=db_session,
        need_index=caches.needs.get(db_session),
        profile=profile,
        user=user,
        limit=service.SECTION_SIZE,
        locale=current_locale.get(),
    )
    return {
        "result": result,
        "profile": profile,
        "back": request.url.path,
        "is_member": policy.is_member(user, profile.organisation_id),
    }


def _next(path: str, query: dict[str, Any] | None = None) -> str:
    target = path + ("?" + urlencode(query) if query else "")
    return urlencode({"next": target})


env.globals.update(
    need_recommendations=need_recommendations,
    provider_recommendations=provider_recommendations,
    reco_next=_next,
    reco_criterion=lambda code: criterion_label(code, _),
)


# --- the full lists ----------------------------------------------------------------------


def _pages(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


@router.get("/needs/{need_id}/matches", name="recommendations_need")
def need_matches_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    need_id: PathId,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = PER_PAGE,
    excluded: Annotated[bool, Query()] = False,
    excluded_page: PageNumber = 1,
    weights: Annotated[str | None, Query(max_length=12)] = None,
) -> Response:
    need = needs_service.get(db_session=db_session, need_id=need_id)
    service.ensure_can_see_need_matches(user, need)
    weight_set = _weight_set_or_none(db_session, weights)
    index = caches_of(request.app.state).providers.get(db_session)
    result = service.need_matches(
        db_session=db_session,
        index=index,
        need=need,
        weight_set=weight_set,
        limit=per_page,
        offset=(page - 1) * per_page,
        include_excluded=excluded,
        excluded_offset=(excluded_page - 1) * per_page,
        locale=current_locale.get(),
        voice=service.need_voice(user, need),
    )
    query = {
        k: v
        for k, v in (
            ("per_page", per_page if per_page != PER_PAGE else None),
            ("weights", weight_set.id if weight_set else None),
        )
        if v
    }
    return render(
        request,
        "recommendations/need_matches.html",
        {
            "need": need,
            "result": result,
            "page": page,
            "per_page": per_page,
            "pages": _pages(result.total, per_page),
            "excluded": excluded,
            "excluded_page": excluded_page,
            "excluded_pages": _pages(result.excluded_total, per_page),
            "query": query,
            "weight_set": weight_set,
            "weight_sets": service.list_weight_sets(db_session=db_session)[0],
            "can_edit": needs_auth.can_edit(need, user),
            "attended_events": attended_events(db_session=db_session, user=user),
            "back": request.url.path + ("?" + request.url.query if request.url.query else ""),
        },
    )


@router.get("/providers/me/matches", name="recommendations_my_provider")
def my_provider_matches(db_session: SessionDep, user: CurrentUser) -> Response:
    """ "Needs that fit you" for the signed-in call centre."""
    organisation_id = policy.require_kind(user, "provider")
    profile = providers_service.get_by_organisation(
        db_session=db_session, organisation_id=organisation_id
    )
    if profile is None:
        return RedirectResponse("/providers/me/edit", status_code=303)
    return RedirectResponse(f"/providers/{profile.id}/matches", status_code=303)


@router.get("/providers/{provider_id}/matches", name="recommendations_provider")
def provider_matches_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    provider_id: PathId,
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = PER_PAGE,
    excluded: Annotated[bool, Query()] = False,
    excluded_page: PageNumber = 1,
) -> Response:
    profile = providers_service.get_profile(db_session=db_session, provider_id=provider_id)
    service.ensure_can_see_provider_matches(user, profile)
    caches = caches_of(request.app.state)
    result = service.provider_matches(
        db_session=db_session,
        need_index=caches.needs.get(db_session),
        profile=profile,
        user=user,
        limit=per_page,
        offset=(page - 1) * per_page,
        include_excluded=excluded,
        excluded_offset=(excluded_page - 1) * per_page,
        locale=current_locale.get(),
    )
    query = {"per_page": per_page} if per_page != PER_PAGE else {}
    return render(
        request,
        "recommendations/provider_matches.html",
        {
            "profile": profile,
            "result": result,
            "page": page,
            "per_page": per_page,
            "pages": _pages(result.total, per_page),
            "excluded": excluded,
            "excluded_page": excluded_page,
            "excluded_pages": _pages(result.excluded_total, per_page),
            "query": query,
            "is_member": policy.is_member(user, profile.organisation_id),
            "attended_events": attended_events(db_session=db_session, user=user),
            "back": request.url.path + ("?" + request.url.query if request.url.query else ""),
        },
    )


# --- weight sets (organisers) --------------------------------------------------------------


def _criteria_rows(values: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "code": c,
            "label": criterion_label(c, _),
            "default": DEFAULT_WEIGHTS[c],
            "value": values.get(c, ""),
        }
        for c in CRITERIA
    ]


def _read_weights(values: dict[str, str]) -> tuple[dict[str, float], dict[str, str]]:
    weights: dict[str, float] = {}
    errors: dict[str, str] = {}
    for code in CRITERIA:
        raw = values.get(f"w_{code}", "").replace(",", ".")
        if raw == "":
            continue
        try:
            number = float(raw)
        except ValueError:
            errors[f"w_{code}"] = _("Enter a number from 0 to 100.")
            continue
        if not 0 <= number <= 100:
            errors[f"w_{code}"] = _("Enter a number from 0 to 100.")
        else:
            weights[code] = number
    return weights, errors


def _weight_form(
    request: Request,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    weight_set: ScoringWeightSet | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "recommendations/weight_set_form.html",
        {
            "values": values,
            "errors": errors,
            "weight_set": weight_set,
            "rows": _criteria_rows({c: values.get(f"w_{c}", "") for c in CRITERIA}),
        },
        status_code=status_code,
    )


def _validated(model: type[M], payload: dict[str, Any]) -> tuple[M | None, dict[str, str]]:
    from pydantic import ValidationError

    try:
        return model.model_validate(payload), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ())]
            errors.setdefault(loc[0] if loc else "__all__", str(err["msg"]))
        return None, errors


@router.get("/weight-sets", name="recommendations_weight_sets")
def weight_sets_page(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    policy.require_organiser_or_admin(user)
    mine = None if policy.is_platform_admin(user) else user.organisation_id
    rows, total = service.list_weight_sets(db_session=db_session, organisation_id=mine)
    return render(
        request,
        "recommendations/weight_sets.html",
        {
            "weight_sets": rows,
            "total": total,
            "criteria": CRITERIA,
            "defaults": DEFAULT_WEIGHTS,
        },
    )


@router.api_route("/weight-sets/new", methods=["GET", "POST"], name="recommendations_new_set")
def new_weight_set_page(
    request: Request, db_session: SessionDep, user: CurrentUser, posted: PostedForm
) -> Response:
    policy.require_organiser_or_admin(user)
    if request.method == "GET":
        return _weight_form(request, values={}, errors={})
    values = values_of(posted)
    weights, errors = _read_weights(values)
    payload: dict[str, Any] = {"name": values.get("name", ""), "weights": weights}
    if values.get("organisation_id", "").isdigit():
        payload["organisation_id"] = int(values["organisation_id"])
    data, more = _validated(WeightSetIn, payload)
    errors.update(more)
    if data is not None and not errors:
        try:
            row = service.create_weight_set(db_session=db_session, user=user, data=data)
        except FieldError as exc:
            db_session.rollback()
            errors = exc.errors
        else:
            flash(request, _("The weight set %(name)s is saved.", name=row.name))
            return RedirectResponse(f"/weight-sets?saved={row.id}", status_code=303)
    return _weight_form(request, values=values, errors=errors, status_code=400)


@router.api_route(
    "/weight-sets/{weight_set_id}/edit", methods=["GET", "POST"], name="recommendations_edit_set"
)
def edit_weight_set_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    weight_set_id: PathId,
    posted: PostedForm,
) -> Response:
    row = service.get_weight_set(db_session=db_session, weight_set_id=weight_set_id)
    service.ensure_can_edit_weight_set(user, row)
    if request.method == "GET":
        values = {"name": row.name, **{f"w_{c}": _plain(v) for c, v in row.weights.items()}}
        return _weight_form(request, values=values, errors={}, weight_set=row)
    values = values_of(posted)
    weights, errors = _read_weights(values)
    data, more = _validated(WeightSetUpdate, {"name": values.get("name", ""), "weights": weights})
    errors.update(more)
    if data is not None and not errors:
        try:
            service.update_weight_set(db_session=db_session, user=user, weight_set=row, data=data)
        except FieldError as exc:
            db_session.rollback()
            errors = exc.errors
            row = service.get_weight_set(db_session=db_session, weight_set_id=weight_set_id)
        else:
            flash(request, _("The weight set %(name)s is saved.", name=row.name))
            return RedirectResponse(f"/weight-sets?saved={row.id}", status_code=303)
    return _weight_form(request, values=values, errors=errors, weight_set=row, status_code=400)


@router.post("/weight-sets/{weight_set_id}/delete", name="recommendations_delete_set")
def delete_weight_set_page(
    request: Request, db_session: SessionDep, user: CurrentUser, weight_set_id: PathId
) -> Response:
    row = service.get_weight_set(db_session=db_session, weight_set_id=weight_set_id)
    name = row.name
    service.delete_weight_set(db_session=db_session, user=user, weight_set=row)
    flash(request, _("The weight set %(name)s is deleted.", name=name))
    return RedirectResponse("/weight-sets", status_code=303)


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
