"""HTML pages of matchmaking at an event: the participant catalogue (filters, scores,
recommended, preferences, ask to meet), the send form, and the requests page (received with
accept/decline, sent with cancel, mutual interest highlighted). Refusals show their reason
in the user's language, on the page the user acted from."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from app.catalog import LANGUAGE_LEVELS, SECTORS, SERVICES, language_choices
from app.core.db import SessionDep, utcnow
from app.core.errors import DomainError, FieldError
from app.core.forms import PostedForm, values_of
from app.core.templating import env, render
from app.core.types import PathId
from app.events.models import MeetingRequest, PreferenceLevel, RequestStatus
from app.i18n import current_locale
from app.i18n import gettext as _
from app.matchmaking import service
from app.matchmaking.auth import Viewer, ViewerDep
from app.matchmaking.catalogue import CatalogueFilters, catalogue
from app.recommendations.cache import caches_of

router = APIRouter(prefix="/events", include_in_schema=False)

PAGE_SIZE = 20


def request_status_label(status: str) -> str:
    labels = {
        RequestStatus.pending.value: _("Pending"),
        RequestStatus.accepted.value: _("Accepted"),
        RequestStatus.declined.value: _("Declined"),
        RequestStatus.cancelled.value: _("Cancelled"),
        RequestStatus.expired.value: _("Expired"),
    }
    return labels.get(status, status)


def preference_label(level: str | None) -> str:
    labels = {
        PreferenceLevel.must_meet.value: _("Must meet"),
        PreferenceLevel.would_like.value: _("Would like to meet"),
        PreferenceLevel.no_thanks.value: _("No thanks"),
    }
    return labels.get(level or "", _("No preference"))


env.globals.update(request_status_label=request_status_label, preference_label=preference_label)

NOTICES = {
    "created": lambda: _("Your request was sent."),
    "reopened": lambda: _("Your request was sent."),
    "existing": lambda: _("You had already asked this participant: your request stands."),
    "mutual": lambda: _(
        "Mutual interest: this participant had already asked you, so its request is accepted."
    ),
    "accepted": lambda: _("Request accepted."),
    "declined": lambda: _("Request declined."),
    "cancelled": lambda: _("Request cancelled."),
    "preference": lambda: _("Your preference is saved."),
}


def _notice(code: str | None) -> str | None:
    found = NOTICES.get(code or "")
    return found() if found else None


def _filters_from(params: dict[str, str]) -> tuple[CatalogueFilters, dict[str, str]]:
    seats = params.get("seats_min", "").strip()
    errors: dict[str, str] = {}
    seats_min = None
    if seats:
        if seats.isdigit():
            seats_min = int(seats)
        else:
            errors["seats_min"] = _("Enter a whole number of seats.")
    return (
        CatalogueFilters(
            q=params.get("q") or None,
            side=params.get("side") or None,
            country=(params.get("country") or "").strip().upper()[:2] or None,
            language=(params.get("language") or "").strip().lower()[:3] or None,
            min_level=params.get("min_level")
            if params.get("min_level") in LANGUAGE_LEVELS.codes
            else None,
            service=params.get("service") or None,
            sector=params.get("sector") or None,
            seats_min=seats_min,
            sort="name" if params.get("sort") == "name" else "score",
        ),
        errors,
    )


_FILTER_KEYS = (
    "q",
    "side",
    "country",
    "language",
    "min_level",
    "service",
    "sector",
    "seats_min",
    "sort",
)


def _catalogue_page(
    request: Request,
    db_session: SessionDep,
    viewer: Viewer,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    params = {k: v for k, v in request.query_params.items() if k in _FILTER_KEYS}
    filters, errors = _filters_from(params)
    raw_page = request.query_params.get("page", "1")
    page_number = max(1, int(raw_page)) if raw_page.isdigit() and len(raw_page) < 6 else 1
    caches = caches_of(request.app.state)
    result = catalogue(
        db_session=db_session,
        viewer=viewer,
        provider_index=caches.providers.get(db_session),
        need_index=caches.needs.get(db_session),
        filters=filters,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
        locale=current_locale.get(),
    )
    locale = current_locale.get()
    pages = max(1, -(-result.total // PAGE_SIZE))
    query = urlencode({k: v for k, v in params.items() if v})
    return render(
        request,
        "matchmaking/catalogue.html",
        {
            "event": viewer.event,
            "viewer": viewer,
            "result": result,
            "chosen": params,
            "errors": errors,
            "error": error,
            "notice": _notice(request.query_params.get("notice")),
            "page": page_number,
            "pages": pages,
            "base_query": f"{query}&" if query else "",
            "service_options": SERVICES.choices(locale),
            "sector_options": SECTORS.choices(locale),
            "level_options": LANGUAGE_LEVELS.choices(locale),
            "language_options": language_choices(locale),
            "can_send": service.requests_open(viewer.event, utcnow()) is None,
        },
        status_code=400 if errors and status_code == 200 else status_code,
    )


@router.get("/{event_id}/catalogue")
def catalogue_page(request: Request, db_session: SessionDep, viewer: ViewerDep) -> Response:
    return _catalogue_page(request, db_session, viewer)


@router.post("/{event_id}/catalogue/{participant_id}/preference")
def set_preference(
    request: Request,
    db_session: SessionDep,
    viewer: ViewerDep,
    participant_id: PathId,
    posted: PostedForm,
) -> Response:
    values = values_of(posted)
    level = str(values.get("level") or "")
    try:
        me = viewer.require_participant()
        if level:
            if level not in {p.value for p in PreferenceLevel}:
                raise FieldError({"level": _("Choose a preference.")})
            service.set_preference(
                db_session=db_session,
                event=viewer.event,
                owner=me,
                target_id=participant_id,
                level=PreferenceLevel(level),
            )
        else:
            service.delete_preference(
                db_session=db_session, event=viewer.event, owner=me, target_id=participant_id
            )
    except DomainError as exc:
        db_session.rollback()
        return _catalogue_page(
            request, db_session, viewer, error=service.error_message(exc), status_code=_status(exc)
        )
    back = str(values.get("next") or "")
    target = (
        back
        if back.startswith(f"/events/{viewer.event.id}/")
        else f"/events/{viewer.event.id}/catalogue"
    )
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}notice=preference#p-{participant_id}", status_code=303)


def _status(exc: DomainError) -> int:
    # A form refused by a business rule answers 400 (the house rule for forms); 403/404/409 stay.
    return 400 if isinstance(exc, FieldError) else exc.status_code


@router.api_route("/{event_id}/catalogue/{participant_id}/ask", methods=["GET", "POST"])
def ask_to_meet(
    request: Request,
    db_session: SessionDep,
    viewer: ViewerDep,
    participant_id: PathId,
    posted: PostedForm,
) -> Response:
    """The send form: a message to the participant; on success the requests page."""
    me = viewer.require_participant()
    target = service.meetable_target_or_none(
        db_session=db_session, event=viewer.event, me=me, target_id=participant_id
    )
    values: dict[str, Any] = {"message": ""}
    error = None
    status_code = 200
    if request.method == "POST":
        values = values_of(posted)
        try:
            result = service.send_request(
                db_session=db_session,
                event=viewer.event,
                sender=me,
                recipient_id=participant_id,
                message=str(values.get("message") or ""),
                user=viewer.user,
            )
        except DomainError as exc:
            db_session.rollback()
            error, status_code = service.error_message(exc), _status(exc)
            target = service.meetable_target_or_none(
                db_session=db_session, event=viewer.event, me=me, target_id=participant_id
            )
        else:
            return RedirectResponse(
                f"/events/{viewer.event.id}/requests?notice={result.outcome.value}"
                f"#r-{result.request.id}",
                status_code=303,
            )
    return render(
        request,
        "matchmaking/ask.html",
        {
            "event": viewer.event,
            "target": target,
            "participant_id": participant_id,
            "values": values,
            "error": error,
            "errors": {"message": error} if error else {},
        },
        status_code=status_code,
    )


def _requests_page(
    request: Request,
    db_session: SessionDep,
    viewer: Viewer,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    status_param = request.query_params.get("status") or None
    if status_param not in {s.value for s in RequestStatus}:
        status_param = None
    me = viewer.participation.id if viewer.participation is not None else None
    received: list[MeetingRequest] = []
    sent: list[MeetingRequest] = []
    everything: list[MeetingRequest] = []
    if me is None:
        rows, total = service.list_requests(
            db_session=db_session,
            event=viewer.event,
            participation_id=None,
            status=status_param,
            limit=100,
        )
        everything = rows
    else:
        received, _r = service.list_requests(
            db_session=db_session,
            event=viewer.event,
            participation_id=me,
            direction=service.Direction.received,
            status=status_param,
            limit=100,
        )
        sent, _s = service.list_requests(
            db_session=db_session,
            event=viewer.event,
            participation_id=me,
            direction=service.Direction.sent,
            status=status_param,
            limit=100,
        )
        total = len(received) + len(sent)
    mutual = service.mutual_request_ids(
        db_session=db_session,
        event_id=viewer.event.id,
        request_ids=[r.id for r in [*received, *sent, *everything]],
    )
    return render(
        request,
        "matchmaking/requests.html",
        {
            "event": viewer.event,
            "viewer": viewer,
            "received": received,
            "sent": sent,
            "everything": everything,
            "total": total,
            "mutual": mutual,
            "status": status_param,
            "statuses": [(s.value, request_status_label(s.value)) for s in RequestStatus],
            "error": error,
            "notice": _notice(request.query_params.get("notice")),
        },
        status_code=status_code,
    )


@router.get("/{event_id}/requests")
def requests_page(request: Request, db_session: SessionDep, viewer: ViewerDep) -> Response:
    return _requests_page(request, db_session, viewer)


@router.post("/{event_id}/requests/{request_id}/{action}")
def answer_request(
    request: Request,
    db_session: SessionDep,
    viewer: ViewerDep,
    request_id: PathId,
    action: str,
    posted: PostedForm,
) -> Response:
    values = values_of(posted)
    if action not in ("accept", "decline", "cancel"):
        return _requests_page(
            request, db_session, viewer, error=_("Unknown action."), status_code=404
        )
    try:
        me = viewer.require_participant()
        row = service.get_request(
            db_session=db_session, event_id=viewer.event.id, request_id=request_id
        )
        service.ensure_can_read_request(row, me, viewer.manager)
        if action == "accept":
            service.accept_request(
                db_session=db_session,
                event=viewer.event,
                request=row,
                participation=me,
                user=viewer.user,
            )
        elif action == "decline":
            service.decline_request(
                db_session=db_session,
                event=viewer.event,
                request=row,
                participation=me,
                user=viewer.user,
                reason=str(values.get("reason") or ""),
            )
        else:
            service.cancel_request(
                db_session=db_session,
                event=viewer.event,
                request=row,
                participation=me,
                user=viewer.user,
            )
    except DomainError as exc:
        db_session.rollback()
        return _requests_page(
            request, db_session, viewer, error=service.error_message(exc), status_code=_status(exc)
        )
    done = {"accept": "accepted", "decline": "declined", "cancel": "cancelled"}[action]
    return RedirectResponse(
        f"/events/{viewer.event.id}/requests?notice={done}#r-{request_id}", status_code=303
    )
