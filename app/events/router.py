"""JSON API of events: /api/v1/events (events, their days, slots, statuses, registrations)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy.orm import Session

from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.accounts.models import User
from app.core.db import SessionDep
from app.core.errors import API_ERROR_RESPONSES, FieldError, NotFound, PermissionDenied
from app.core.pagination import Page, PageDep
from app.events import service
from app.events.auth import EventDep, ManagedEventDep, RegistrationDep, own_participation
from app.events.models import Event, Participation, ParticipationStatus, Slot
from app.events.schemas import (
    AttendeeRead,
    AwayRead,
    BreakRead,
    DayRead,
    EventCreate,
    EventRead,
    EventUpdate,
    ParticipantPage,
    ParticipantPublic,
    RefusalIn,
    RegistrationIn,
    RegistrationPage,
    RegistrationRead,
    RegistrationUpdate,
    SlotRead,
    StatusChange,
)
from app.i18n import gettext as _
from app.organisations.models import Organisation

router = APIRouter(prefix="/events", tags=["events"], responses=API_ERROR_RESPONSES)


def event_read(event: Event, *, slot_count: int, user: User | None) -> EventRead:
    """The API view of an event (its days and breaks loaded)."""
    manager = policy.can_manage_event(user, event.organiser_id)
    return EventRead(
        id=event.id,
        organiser_id=event.organiser_id,
        organiser_name=event.organiser.legal_name,
        name=event.name,
        description=event.description,
        venue=event.venue,
        city=event.city,
        country=event.country,
        timezone=event.timezone,
        slot_minutes=event.slot_minutes,
        table_count=event.table_count,
        booth_mode=event.booth_mode,
        registration_deadline=event.registration_deadline,
        request_deadline=event.request_deadline,
        request_expiry_hours=event.request_expiry_hours,
        request_quota=event.request_quota,
        max_meetings_per_participant=event.max_meetings_per_participant,
        pairing=event.pairing,  # type: ignore[arg-type]
        weight_set_id=event.weight_set_id,
        status=event.status,  # type: ignore[arg-type]
        version=event.version,
        days=[
            DayRead(
                day=d.day,
                opens_at=d.opens_at,
                closes_at=d.closes_at,
                afternoon_from=d.afternoon_from,
                breaks=[
                    BreakRead(label=b.label, starts_at=b.starts_at, ends_at=b.ends_at)
                    for b in d.breaks
                ],
            )
            for d in event.days
        ],
        slot_count=slot_count,
        actions=service.actions_from(event.status) if manager else [],
    )


def _read(db_session: Session, event: Event, user: User) -> EventRead:
    counts = service.slot_counts(db_session=db_session, event_ids=[event.id])
    return event_read(event, slot_count=counts.get(event.id, 0), user=user)


def registration_read(row: Participation) -> RegistrationRead:
    """The private view of a registration (attendees, organisation and unavailability loaded)."""
    return RegistrationRead(
        id=row.id,
        event_id=row.event_id,
        organisation_id=row.organisation_id,
        organisation_name=row.organisation.legal_name,
        organisation_kind=row.organisation.kind,
        status=row.status,  # type: ignore[arg-type]
        refusal_reason=row.refusal_reason,
        max_meetings=row.max_meetings,
        booth_table=row.booth_table,
        attendees=[
            AttendeeRead(
                id=a.id, full_name=a.full_name, job_title=a.job_title, email=a.email, phone=a.phone
            )
            for a in row.attendees
        ],
        away=[
            AwayRead(kind=u.kind, starts_at=u.starts_at, ends_at=u.ends_at)  # type: ignore[arg-type]
            for u in row.unavailabilities
        ],
        created_at=row.created_at,
        version=row.version,
    )


def participant_public(row: Participation) -> ParticipantPublic:
    org = row.organisation
    return ParticipantPublic(
        id=row.id,
        organisation_id=org.id,
        organisation_name=org.legal_name,
        organisation_kind=org.kind,
        country=org.country,
        city=org.city,
        booth_table=row.booth_table,
    )


def slot_read(slot: Slot, event: Event) -> SlotRead:
    zone = service.zone_of(event)
    local_start = slot.starts_at.astimezone(zone)
    return SlotRead(
        id=slot.id,
        position=slot.position,
        day=local_start.date(),
        session=slot.session,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        local_starts_at=local_start,
        local_ends_at=slot.ends_at.astimezone(zone),
    )


# --- events -----------------------------------------------------------------------------------


@router.get("", response_model=Page[EventRead], summary="List events")
def list_events(db_session: SessionDep, user: CurrentUser, page: PageDep) -> Page[EventRead]:
    """Every event past its draft for everyone signed in; organisers also see their drafts."""
    items, total = service.list_events(
        db_session=db_session, user=user, limit=page.limit, offset=page.offset
    )
    counts = service.slot_counts(db_session=db_session, event_ids=[e.id for e in items])
    return Page[EventRead](
        items=[event_read(e, slot_count=counts.get(e.id, 0), user=user) for e in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "", response_model=EventRead, status_code=status.HTTP_201_CREATED, summary="Create an event"
)
def create_event(db_session: SessionDep, user: CurrentUser, data: EventCreate) -> EventRead:
    """An organiser creates a draft event run by its own organisation (``organiser_id`` may
    be left out); a platform administrator names the organiser organisation. The slots are
    generated from the days, hours, breaks and slot length."""
    if policy.is_platform_admin(user):
        organiser_id = data.organiser_id or user.organisation_id
        if organiser_id is None:
            raise FieldError({"organiser_id": _("Name the organiser organisation.")})
    else:
        organiser_id = policy.require_kind(user, "organiser")
        if data.organiser_id not in (None, organiser_id):
            raise PermissionDenied(_("You can only create events of your own organisation."))
    event = service.create_event(db_session=db_session, organiser_id=organiser_id, data=data)
    return _read(db_session, service.get_event(db_session=db_session, event_id=event.id), user)


@router.get("/{event_id}", response_model=EventRead, summary="Show an event")
def get_event(db_session: SessionDep, user: CurrentUser, event: EventDep) -> EventRead:
    return _read(db_session, event, user)


@router.patch("/{event_id}", response_model=EventRead, summary="Edit an event, its days and breaks")
def update_event(
    db_session: SessionDep, user: CurrentUser, event: ManagedEventDep, data: EventUpdate
) -> EventRead:
    """``days`` replaces every day with its hours and breaks; the slots are generated again.
    Once the agenda holds meetings, the days and the slot length can no longer change (409)."""
    service.update_event(db_session=db_session, event=event, data=data)
    return _read(db_session, service.get_event(db_session=db_session, event_id=event.id), user)


@router.post("/{event_id}/status", response_model=EventRead, summary="Change an event's status")
def change_status(
    db_session: SessionDep, user: CurrentUser, event: ManagedEventDep, data: StatusChange
) -> EventRead:
    """Named actions, each legal from one status: ``open_registration`` (draft),
    ``open_requests`` (registration_open), ``start_scheduling`` (requests_open, two approved
    participants), ``reopen_requests`` (scheduling, no meetings), ``publish`` (scheduling,
    an agenda), ``close`` (published). An illegal move or an unmet precondition is a 409
    with the reason."""
    service.change_status(db_session=db_session, event=event, action=data.action)
    return _read(db_session, event, user)


@router.get("/{event_id}/slots", response_model=list[SlotRead], summary="The event's slots")
def list_slots(db_session: SessionDep, event: EventDep) -> list[SlotRead]:
    return [slot_read(s, event) for s in service.slots_of(db_session=db_session, event_id=event.id)]


# --- registrations -------------------------------------------------------------------------------


@router.get(
    "/{event_id}/registrations",
    response_model=RegistrationPage | ParticipantPage,
    summary="Registrations (organisers) or approved participants (participants)",
)
def list_registrations(
    db_session: SessionDep,
    user: CurrentUser,
    event: EventDep,
    status_: Annotated[
        ParticipationStatus | None, Query(alias="status", description="Organisers only")
    ] = None,
) -> RegistrationPage | ParticipantPage:
    """The event's organisers see every registration with its details; a registered
    participant sees the approved participants' public information only."""
    if policy.can_manage_event(user, event.organiser_id):
        rows = service.list_registrations(
            db_session=db_session, event_id=event.id, status=status_.value if status_ else None
        )
        return RegistrationPage(items=[registration_read(r) for r in rows], total=len(rows))
    mine = own_participation(db_session=db_session, event=event, user=user)
    if mine is None or mine.status != ParticipationStatus.approved.value:
        raise PermissionDenied(_("Only the event's approved participants see who takes part."))
    public = service.approved_participants(db_session=db_session, event_id=event.id)
    return ParticipantPage(items=[participant_public(r) for r in public], total=len(public))


@router.post(
    "/{event_id}/registrations",
    response_model=RegistrationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Register for an event",
)
def register(
    db_session: SessionDep, user: CurrentUser, event: EventDep, data: RegistrationIn
) -> RegistrationRead:
    """A client company or a call centre registers itself (pending the organiser's decision);
    the event's organisers register a company on its behalf (``organisation_id``, approved at
    once, also after the registration deadline). A second registration is a 409."""
    on_behalf = policy.can_manage_event(user, event.organiser_id) and (
        data.organisation_id is not None or user.organisation_id is None
    )
    if on_behalf:
        if data.organisation_id is None:
            raise FieldError({"organisation_id": _("Name the organisation to register.")})
        organisation = db_session.get(Organisation, data.organisation_id)
        if organisation is None:
            raise FieldError({"organisation_id": _("This organisation does not exist.")})
    else:
        if data.organisation_id not in (None, user.organisation_id):
            raise PermissionDenied(_("You can only register your own organisation."))
        if user.organisation is None:
            raise PermissionDenied(_("You do not belong to an organisation."))
        organisation = user.organisation
    row = service.register(
        db_session=db_session,
        event=event,
        organisation=organisation,
        actor=user,
        data=data,
        on_behalf=on_behalf,
    )
    return registration_read(
        service.get_registration(db_session=db_session, event_id=event.id, registration_id=row.id)
    )


@router.get(
    "/{event_id}/registrations/mine",
    response_model=RegistrationRead,
    summary="My organisation's registration",
)
def my_registration(db_session: SessionDep, user: CurrentUser, event: EventDep) -> RegistrationRead:
    row = own_participation(db_session=db_session, event=event, user=user)
    if row is None:
        raise NotFound(_("Your organisation is not registered for this event."))
    return registration_read(row)


@router.get(
    "/{event_id}/registrations/{registration_id}",
    response_model=RegistrationRead,
    summary="Show a registration",
)
def get_registration(registration: RegistrationDep) -> RegistrationRead:
    """The organisation itself and the event's organisers; 404 for anyone else."""
    return registration_read(registration)


@router.patch(
    "/{event_id}/registrations/{registration_id}",
    response_model=RegistrationRead,
    summary="Edit a registration",
)
def update_registration(
    db_session: SessionDep,
    user: CurrentUser,
    event: EventDep,
    registration: RegistrationDep,
    data: RegistrationUpdate,
) -> RegistrationRead:
    """Attendees and times away (replaced when given), maximum of meetings, booth table."""
    service.update_registration(
        db_session=db_session,
        event=event,
        registration=registration,
        data=data,
        by_organiser=policy.can_manage_event(user, event.organiser_id),
    )
    return registration_read(
        service.get_registration(
            db_session=db_session, event_id=event.id, registration_id=registration.id
        )
    )


@router.post(
    "/{event_id}/registrations/{registration_id}/approve",
    response_model=RegistrationRead,
    summary="Approve a registration",
)
def approve(
    db_session: SessionDep, user: CurrentUser, event: ManagedEventDep, registration: RegistrationDep
) -> RegistrationRead:
    service.approve(db_session=db_session, event=event, registration=registration, actor=user)
    return registration_read(registration)


@router.post(
    "/{event_id}/registrations/{registration_id}/refuse",
    response_model=RegistrationRead,
    summary="Refuse a registration, with the reason",
)
def refuse(
    db_session: SessionDep,
    user: CurrentUser,
    event: ManagedEventDep,
    registration: RegistrationDep,
    data: RefusalIn,
) -> RegistrationRead:
    service.refuse(
        db_session=db_session,
        event=event,
        registration=registration,
        actor=user,
        reason=data.reason,
    )
    return registration_read(registration)


@router.post(
    "/{event_id}/registrations/{registration_id}/withdraw",
    response_model=RegistrationRead,
    summary="Withdraw a registration",
)
def withdraw(
    db_session: SessionDep, event: EventDep, registration: RegistrationDep
) -> RegistrationRead:
    """The organisation leaves the event (its organisers may withdraw it too)."""
    service.withdraw(db_session=db_session, event=event, registration=registration)
    return registration_read(registration)
