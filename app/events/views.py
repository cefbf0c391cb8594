"""HTML pages of events: the list, the event page with its programme, the organiser's
editor, status actions, registration, the registrations page and the event dashboard."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import iter_route_contexts
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.accounts.models import User
from app.core.db import SessionDep
from app.core.errors import Conflict, DomainError, FieldError, PermissionDenied
from app.core.forms import PostedForm
from app.core.templating import env, render
from app.core.types import PathId
from app.events import forms, service
from app.events.auth import EventDep, ManagedEventDep, own_participation
from app.events.models import Event, EventStatus, Participation, ParticipationStatus, Slot
from app.events.schemas import EventCreate, EventUpdate, RegistrationIn, RegistrationUpdate
from app.i18n import gettext as _
from app.organisations.models import Organisation

router = APIRouter(prefix="/events", include_in_schema=False)

TZ_COOKIE = "tz"


def event_status_label(status: str) -> str:
    labels = {
        "draft": _("Draft"),
        "registration_open": _("Registration open"),
        "requests_open": _("Meeting requests open"),
        "scheduling": _("Agenda being built"),
        "published": _("Agenda published"),
        "closed": _("Closed"),
    }
    return labels.get(status, status)


def registration_status_label(status: str) -> str:
    labels = {
        "pending": _("Pending"),
        "approved": _("Approved"),
        "refused": _("Refused"),
        "withdrawn": _("Withdrawn"),
    }
    return labels.get(status, status)


def request_status_label(status: str) -> str:
    labels = {
        "pending": _("Pending"),
        "accepted": _("Accepted"),
        "declined": _("Declined"),
        "cancelled": _("Cancelled"),
        "expired": _("Expired"),
    }
    return labels.get(status, status)


ACTION_LABELS = {
    "open_registration": (
        lambda: _("Open registration"),
        lambda: _("Companies will be able to register for the event."),
    ),
    "open_requests": (
        lambda: _("Open meeting requests"),
        lambda: _("Participants will be able to ask one another for meetings."),
    ),
    "start_scheduling": (
        lambda: _("Close requests and build the agenda"),
        lambda: _("Participants can no longer send requests; the agenda is built next."),
    ),
    "reopen_requests": (
        lambda: _("Reopen meeting requests"),
        lambda: _("Participants will again be able to send requests."),
    ),
    "publish": (
        lambda: _("Publish the agenda"),
        lambda: _("Every participant will see its meetings."),
    ),
    "close": (
        lambda: _("Close the event"),
        lambda: _("The event is over; nothing changes any more."),
    ),
}


def action_label(action: str) -> str:
    entry = ACTION_LABELS.get(action)
    return entry[0]() if entry else action


def kind_name(kind: str) -> str:
    return {"client": _("Client company"), "provider": _("Call centre")}.get(kind, kind)


env.globals.update(
    event_status_label=event_status_label,
    registration_status_label=registration_status_label,
    request_status_label=request_status_label,
    event_action_label=action_label,
    event_kind_name=kind_name,
)


# --- time zones -------------------------------------------------------------------------------


def viewer_zone(request: Request, user: User | None) -> ZoneInfo | None:
    """The viewer's zone: the account's, else the ``tz`` cookie our script sets."""
    for name in ((user.timezone if user else None), unquote(request.cookies.get(TZ_COOKIE, ""))):
        if name:
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return None


@dataclass
class Clock:
    """Formats moments in the event's zone, and in the viewer's when its clock differs."""

    event_zone: ZoneInfo
    viewer: ZoneInfo | None
    # A moment of the event (its first slot): the offsets are compared then.
    reference: datetime | None = None

    def _differs_at(self, moment: datetime) -> bool:
        if self.viewer is None:
            return False
        return (
            moment.astimezone(self.viewer).utcoffset()
            != moment.astimezone(self.event_zone).utcoffset()
        )

    @property
    def differs(self) -> bool:
        return self._differs_at(self.reference or datetime.now(tz=self.event_zone))

    def local(self, moment: datetime | None, fmt: str = "%H:%M") -> str:
        return moment.astimezone(self.event_zone).strftime(fmt) if moment else ""

    def mine(self, moment: datetime | None, fmt: str = "%H:%M") -> str:
        """The moment on the viewer's clock ('' when it reads the same as the event's)."""
        if moment is None or self.viewer is None or not self._differs_at(moment):
            return ""
        return moment.astimezone(self.viewer).strftime(fmt)

    def both(self, moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        """'2027-03-16 09:00 (Africa/Casablanca) · 10:00 your time'."""
        if moment is None:
            return "—"
        text = f"{self.local(moment, fmt)} ({self.event_zone.key})"
        mine = self.mine(moment, fmt)
        if mine:
            text += " · " + _("%(time)s your time", time=mine)
        return text


def clock_for(
    request: Request, user: User | None, event: Event, slots: list[Slot] | None = None
) -> Clock:
    reference = slots[0].starts_at if slots else None
    return Clock(service.zone_of(event), viewer_zone(request, user), reference)


@dataclass
class ProgrammeDay:
    day: date
    sessions: list[tuple[str, list[Slot]]]


def programme(slots: list[Slot], clock: Clock) -> list[ProgrammeDay]:
    """The slots grouped by local day, then by session."""
    days: dict[date, dict[str, list[Slot]]] = defaultdict(lambda: defaultdict(list))
    for slot in slots:
        days[slot.starts_at.astimezone(clock.event_zone).date()][slot.session].append(slot)
    return [ProgrammeDay(d, list(days[d].items())) for d in sorted(days)]


def session_label(session: str) -> str:
    if session.endswith("-am"):
        return _("Morning")
    if session.endswith("-pm"):
        return _("Afternoon")
    return _("Meetings")


env.globals.update(event_session_label=session_label)


def sibling_pages(request: Request, event_id: int) -> dict[str, str]:
    """Links to the event's pages served by other packages (the participant catalogue and
    the requests of app/matchmaking), when this application has them."""
    # Included routers are nested (FastAPI's _IncludedRouter): walk them for the paths.
    paths = {getattr(route, "path", "") for route in iter_route_contexts(request.app.routes)}
    wanted = {
        "catalogue": "/events/{event_id}/catalogue",
        "requests": "/events/{event_id}/requests",
    }
    return {
        name: path.replace("{event_id}", str(event_id))
        for name, path in wanted.items()
        if path in paths
    }


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --- list and page --------------------------------------------------------------------------


@router.get("", name="events_list")
def list_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    per_page = 20
    items, total = service.list_events(
        db_session=db_session, user=user, limit=per_page, offset=(page - 1) * per_page
    )
    mine = {
        p.event_id: p
        for p in (
            service.registrations_of_organisation(
                db_session=db_session, organisation_id=user.organisation_id
            )
            if user.organisation_id
            else []
        )
    }
    return render(
        request,
        "events/list.html",
        {
            "events": items,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // per_page)),
            "mine": mine,
            # The page creates events for the user's own organiser organisation; a platform
            # administrator without one creates them through the API (naming organiser_id).
            "can_create": policy.is_organiser(user),
        },
    )


def _weight_set_options(db_session: Session, organiser_id: int | None) -> list[tuple[str, str]]:
    if organiser_id is None:
        return []
    return [
        (str(w.id), w.name)
        for w in service.weight_sets_for(db_session=db_session, organiser_id=organiser_id)
    ]


def _editor(
    request: Request,
    db_session: Session,
    form: forms.EventForm,
    errors: dict[str, str],
    *,
    event: Event | None,
    organiser_id: int | None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "events/form.html",
        {
            "form": form,
            "errors": errors,
            "event": event,
            "weight_set_options": _weight_set_options(db_session, organiser_id),
            "pairing_options": [
                ("client_provider", _("Client companies with call centres only")),
                ("any", _("Any two participants")),
            ],
            "locked": event is not None and service.meetings_exist(event),
        },
        status_code=status_code,
    )


def _organiser_of(user: User) -> int:
    if policy.is_organiser(user) and user.organisation_id is not None:
        return user.organisation_id
    raise PermissionDenied(_("Only members of an organiser organisation create events."))


@router.api_route("/new", methods=["GET", "POST"], name="event_new")
def new_event(
    request: Request, db_session: SessionDep, user: CurrentUser, posted: PostedForm
) -> Response:
    organiser_id = _organiser_of(user)
    if request.method == "GET":
        return _editor(
            request, db_session, forms.blank_event_form(), {}, event=None, organiser_id=organiser_id
        )
    form, action = forms.event_form_from_post(posted)
    if action != "save":
        return _editor(request, db_session, form, {}, event=None, organiser_id=organiser_id)
    data, placement, errors = forms.event_payload(form)
    data.pop("version", None)
    try:
        payload = EventCreate.model_validate(data)
    except ValidationError as exc:
        errors = {**forms.event_errors(exc, form, placement), **errors}
    if errors:
        return _editor(
            request,
            db_session,
            form,
            errors,
            event=None,
            organiser_id=organiser_id,
            status_code=400,
        )
    try:
        event = service.create_event(db_session=db_session, organiser_id=organiser_id, data=payload)
    except FieldError as exc:
        db_session.rollback()
        return _editor(
            request,
            db_session,
            form,
            exc.errors,
            event=None,
            organiser_id=organiser_id,
            status_code=400,
        )
    return _redirect(f"/events/{event.id}?done=created")


DONE_MESSAGES = {
    "created": lambda: _("The event is created as a draft. Open registration when it is ready."),
    "saved": lambda: _("The event is saved; its slots were generated again."),
    "status": lambda: _("The event's status is changed."),
    "registered": lambda: _("Your registration is sent: the organiser will approve it."),
    "updated": lambda: _("Your registration is saved."),
    "withdrawn": lambda: _("Your registration is withdrawn."),
    "approved": lambda: _("The registration is approved; the organisation is told."),
    "refused": lambda: _("The registration is refused; the organisation is told why."),
    "added": lambda: _("The company is registered and approved."),
    "reminded": lambda: _("The reminder is sent."),
}


def done_message(request: Request) -> str | None:
    done = request.query_params.get("done", "")
    entry = DONE_MESSAGES.get(done)
    return entry() if entry else None


@router.get("/{event_id}", name="event_page")
def event_page(
    request: Request, db_session: SessionDep, user: CurrentUser, event: EventDep
) -> Response:
    slots = service.slots_of(db_session=db_session, event_id=event.id)
    clock = clock_for(request, user, event, slots)
    manager = policy.can_manage_event(user, event.organiser_id)
    mine = own_participation(db_session=db_session, event=event, user=user)
    can_register = (
        mine is None or mine.status == ParticipationStatus.withdrawn.value
    ) and policy.organisation_kind(user) in service.PARTICIPANT_KINDS
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "clock": clock,
            "programme": programme(slots, clock),
            "slot_count": len(slots),
            "manager": manager,
            "mine": mine,
            "can_register": can_register and event.status in service.REGISTRATION_STATUSES,
            "actions": service.actions_from(event.status) if manager else [],
            "done": done_message(request),
            "siblings": sibling_pages(request, event.id),
        },
    )


@router.api_route("/{event_id}/edit", methods=["GET", "POST"], name="event_edit")
def edit_event(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    event: ManagedEventDep,
    posted: PostedForm,
) -> Response:
    if request.method == "GET":
        return _editor(
            request,
            db_session,
            forms.event_form_from(event),
            {},
            event=event,
            organiser_id=event.organiser_id,
        )
    form, action = forms.event_form_from_post(posted)
    if action != "save":
        return _editor(request, db_session, form, {}, event=event, organiser_id=event.organiser_id)
    data, placement, errors = forms.event_payload(form)
    for name in (
        "description",
        "venue",
        "city",
        "country",
        "table_count",
        "request_expiry_hours",
        "request_quota",
        "max_meetings_per_participant",
        "weight_set_id",
    ):
        data.setdefault(name, None)
    payload: EventUpdate | None = None
    try:
        payload = EventUpdate.model_validate(data)
    except ValidationError as exc:
        errors = {**forms.event_errors(exc, form, placement), **errors}
    if payload is not None and not payload.days:
        errors.setdefault("days", _("Give at least one day."))
    if errors or payload is None:
        return _editor(
            request,
            db_session,
            form,
            errors,
            event=event,
            organiser_id=event.organiser_id,
            status_code=400,
        )
    try:
        service.update_event(db_session=db_session, event=event, data=payload)
    except (FieldError, Conflict) as exc:
        db_session.rollback()
        messages = (
            exc.errors
            if isinstance(exc, FieldError)
            else {str(d["loc"][-1]): d["msg"] for d in exc.detail}
        )
        if "version" in messages:
            messages["__all__"] = messages.pop("version")
        fresh = service.get_event(db_session=db_session, event_id=event.id)
        return _editor(
            request,
            db_session,
            form,
            messages,
            event=fresh,
            organiser_id=event.organiser_id,
            status_code=400 if isinstance(exc, FieldError) else 409,
        )
    return _redirect(f"/events/{event.id}?done=saved")


def _conflict_text(exc: DomainError) -> str:
    if isinstance(exc, FieldError):
        return " ".join(exc.errors.values())
    if isinstance(exc.detail, list):
        return " ".join(str(d.get("msg", "")) for d in exc.detail if isinstance(d, dict))
    return str(exc.detail)


@router.api_route("/{event_id}/status", methods=["GET", "POST"], name="event_status")
def status_action(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    event: ManagedEventDep,
    posted: PostedForm,
    action: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """GET asks to confirm the action; POST applies it (or shows why it cannot)."""
    if request.method == "POST":
        action = str(posted.get("action", ""))
    if action not in service.STATUS_TRANSITIONS:
        return render(
            request,
            "errors/error.html",
            {"status_code": 400, "message": _("Unknown action.")},
            status_code=400,
        )
    error = None
    if request.method == "POST":
        try:
            service.change_status(db_session=db_session, event=event, action=action)
            return _redirect(f"/events/{event.id}?done=status")
        except (Conflict, FieldError) as exc:
            db_session.rollback()
            error = _conflict_text(exc)
            event = service.get_event(db_session=db_session, event_id=event.id)
    entry = ACTION_LABELS[action]
    return render(
        request,
        "events/status.html",
        {
            "event": event,
            "action": action,
            "title": entry[0](),
            "explanation": entry[1](),
            "error": error,
        },
        status_code=409 if error else 200,
    )


# --- registration ---------------------------------------------------------------------------


def _registration_page(
    request: Request,
    db_session: Session,
    user: User,
    event: Event,
    form: forms.RegistrationForm,
    errors: dict[str, str],
    *,
    registration: Participation | None,
    status_code: int = 200,
) -> Response:
    slots = service.slots_of(db_session=db_session, event_id=event.id)
    clock = clock_for(request, user, event, slots)
    return render(
        request,
        "events/register.html",
        {
            "event": event,
            "form": form,
            "errors": errors,
            "registration": registration,
            "clock": clock,
            "programme": programme(slots, clock),
            "is_provider": policy.organisation_kind(user) == "provider",
            "deadline_passed": event.registration_deadline is not None
            and event.registration_deadline < datetime.now(tz=event.registration_deadline.tzinfo),
        },
        status_code=status_code,
    )


def _domain_errors(exc: DomainError) -> dict[str, str]:
    if isinstance(exc, FieldError):
        return dict(exc.errors)
    if isinstance(exc.detail, list):
        return {
            str(d["loc"][-1]): str(d["msg"])
            for d in exc.detail
            if isinstance(d, dict) and d.get("loc")
        }
    return {"__all__": str(exc.detail)}


@router.api_route("/{event_id}/register", methods=["GET", "POST"], name="event_register")
def register_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    event: EventDep,
    posted: PostedForm,
) -> Response:
    """A client company or a call centre registers, or edits its registration."""
    if policy.organisation_kind(user) not in service.PARTICIPANT_KINDS:
        raise PermissionDenied(
            _("Only client companies and call centres register; organisers run events.")
        )
    mine = own_participation(db_session=db_session, event=event, user=user)
    active = (
        mine if mine is not None and mine.status != ParticipationStatus.withdrawn.value else None
    )
    if request.method == "GET":
        slots = service.slots_of(db_session=db_session, event_id=event.id)
        return _registration_page(
            request,
            db_session,
            user,
            event,
            forms.registration_form_from(active, slots, event),
            {},
            registration=active,
        )
    form, action = forms.registration_form_from_post(posted)
    form.values.pop("organisation_id", None)
    if action != "save":
        return _registration_page(request, db_session, user, event, form, {}, registration=active)
    data = forms.registration_payload(form)
    try:
        if active is None:
            data.pop("version", None)
            payload_in = RegistrationIn.model_validate(data)
            assert user.organisation is not None
            service.register(
                db_session=db_session,
                event=event,
                organisation=user.organisation,
                actor=user,
                data=payload_in,
            )
            done = "registered"
        else:
            payload_up = RegistrationUpdate.model_validate(data)
            service.update_registration(
                db_session=db_session, event=event, registration=active, data=payload_up
            )
            done = "updated"
    except ValidationError as exc:
        return _registration_page(
            request,
            db_session,
            user,
            event,
            form,
            forms.registration_errors(exc),
            registration=active,
            status_code=400,
        )
    except (FieldError, Conflict) as exc:
        db_session.rollback()
        event = service.get_event(db_session=db_session, event_id=event.id)
        return _registration_page(
            request,
            db_session,
            user,
            event,
            form,
            _domain_errors(exc),
            registration=active,
            status_code=400 if isinstance(exc, FieldError) else 409,
        )
    return _redirect(f"/events/{event.id}?done={done}")


@router.post("/{event_id}/withdraw", name="event_withdraw")
def withdraw_page(db_session: SessionDep, user: CurrentUser, event: EventDep) -> Response:
    mine = own_participation(db_session=db_session, event=event, user=user)
    if mine is None:
        raise PermissionDenied(_("Your organisation is not registered for this event."))
    service.withdraw(db_session=db_session, event=event, registration=mine)
    return _redirect(f"/events/{event.id}?done=withdrawn")


# --- the organiser's pages -------------------------------------------------------------------


def _registrations_page(
    request: Request,
    db_session: Session,
    event: Event,
    *,
    form: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    rows = service.list_registrations(db_session=db_session, event_id=event.id)
    registered = {
        r.organisation_id for r in rows if r.status != ParticipationStatus.withdrawn.value
    }
    candidates = [
        (str(o.id), f"{o.legal_name} · {kind_name(o.kind)} · {o.country}")
        for o in db_session.scalars(
            select(Organisation)
            .where(Organisation.kind.in_(service.PARTICIPANT_KINDS))
            .order_by(Organisation.legal_name)
            .limit(2000)
        )
        if o.id not in registered
    ]
    by_status: dict[str, list[Participation]] = defaultdict(list)
    for row in rows:
        by_status[row.status].append(row)
    return render(
        request,
        "events/registrations.html",
        {
            "event": event,
            "by_status": by_status,
            "statuses": [s.value for s in ParticipationStatus],
            "candidates": candidates,
            "form": form,
            "errors": errors,
            "done": done_message(request),
            "open": event.status in service.REGISTRATION_STATUSES,
        },
        status_code=status_code,
    )


@router.api_route("/{event_id}/registrations", methods=["GET", "POST"], name="event_registrations")
def registrations_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    event: ManagedEventDep,
    posted: PostedForm,
) -> Response:
    """Every registration by status; POST registers a company on its behalf."""
    if request.method == "GET":
        return _registrations_page(request, db_session, event, form={}, errors={})
    form = {k: str(posted.get(k, "")).strip() for k in ("organisation_id", "max_meetings")}
    organisation = None
    if form["organisation_id"].isdigit():
        organisation = db_session.get(Organisation, int(form["organisation_id"]))
    if organisation is None:
        return _registrations_page(
            request,
            db_session,
            event,
            form=form,
            errors={"organisation_id": _("Choose a company.")},
            status_code=400,
        )
    try:
        payload = RegistrationIn.model_validate(
            {"max_meetings": form["max_meetings"] or None, "organisation_id": organisation.id}
        )
        service.register(
            db_session=db_session,
            event=event,
            organisation=organisation,
            actor=user,
            data=payload,
            on_behalf=True,
        )
    except ValidationError as exc:
        return _registrations_page(
            request,
            db_session,
            event,
            form=form,
            errors=forms.registration_errors(exc),
            status_code=400,
        )
    except (FieldError, Conflict) as exc:
        db_session.rollback()
        event = service.get_event(db_session=db_session, event_id=event.id)
        return _registrations_page(
            request,
            db_session,
            event,
            form=form,
            errors=_domain_errors(exc),
            status_code=400 if isinstance(exc, FieldError) else 409,
        )
    return _redirect(f"/events/{event.id}/registrations?done=added")


@router.post("/{event_id}/registrations/{registration_id}/approve", name="event_approve")
def approve_page(
    db_session: SessionDep, user: CurrentUser, event: ManagedEventDep, registration_id: PathId
) -> Response:
    row = service.get_registration(
        db_session=db_session, event_id=event.id, registration_id=registration_id
    )
    service.approve(db_session=db_session, event=event, registration=row, actor=user)
    return _redirect(f"/events/{event.id}/registrations?done=approved")


@router.post("/{event_id}/registrations/{registration_id}/refuse", name="event_refuse")
def refuse_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    event: ManagedEventDep,
    registration_id: PathId,
    posted: PostedForm,
) -> Response:
    row = service.get_registration(
        db_session=db_session, event_id=event.id, registration_id=registration_id
    )
    reason = str(posted.get("reason", "")).strip()
    try:
        service.refuse(
            db_session=db_session, event=event, registration=row, actor=user, reason=reason
        )
    except FieldError as exc:
        db_session.rollback()
        event = service.get_event(db_session=db_session, event_id=event.id)
        return _registrations_page(
            request,
            db_session,
            event,
            form={},
            errors={f"reason-{registration_id}": exc.errors.get("reason", "")},
            status_code=400,
        )
    return _redirect(f"/events/{event.id}/registrations?done=refused")


def _dashboard(
    request: Request,
    db_session: Session,
    event: Event,
    *,
    form: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    figures = service.event_figures(db_session=db_session, event_id=event.id)
    return render(
        request,
        "events/dashboard.html",
        {
            "event": event,
            "figures": figures,
            "registration_statuses": [s.value for s in ParticipationStatus],
            "request_statuses": ["pending", "accepted", "declined", "cancelled", "expired"],
            "form": form,
            "errors": errors,
            "done": done_message(request),
        },
        status_code=status_code,
    )


@router.api_route("/{event_id}/dashboard", methods=["GET", "POST"], name="event_dashboard")
def dashboard_page(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    event: ManagedEventDep,
    posted: PostedForm,
) -> Response:
    """The organiser's figures; POST sends a reminder to a group of participants."""
    if request.method == "GET":
        return _dashboard(
            request,
            db_session,
            event,
            form={"group": "without_accepted", "message": ""},
            errors={},
        )
    form = {k: str(posted.get(k, "")).strip() for k in ("group", "message")}
    try:
        service.remind(
            db_session=db_session, event=event, group=form["group"], message=form["message"]
        )
    except FieldError as exc:
        db_session.rollback()
        return _dashboard(request, db_session, event, form=form, errors=exc.errors, status_code=400)
    return _redirect(f"/events/{event.id}/dashboard?done=reminded")


def dashboard_events(*, db_session: Session, user: User) -> dict[str, Any]:
    """What the /dashboard page shows about events: an organiser's events, or the events the
    user's organisation is registered for with its status."""
    result: dict[str, Any] = {"organised": [], "registrations": []}
    if policy.is_organiser(user) and user.organisation_id is not None:
        result["organised"] = list(
            db_session.scalars(
                select(Event)
                .where(Event.organiser_id == user.organisation_id)
                .order_by(Event.id.desc())
                .limit(50)
            )
        )
    elif user.organisation_id is not None:
        result["registrations"] = service.registrations_of_organisation(
            db_session=db_session, organisation_id=user.organisation_id
        )
    return result


__all__ = ["router", "dashboard_events", "EventStatus"]
