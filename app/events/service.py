"""Use cases of events: create and edit an event with its days, generate its slots in its
time zone, move it through its statuses, register organisations, and the organiser's
dashboard figures. Functions flush, never commit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session, selectinload

from app.accounts import policy
from app.accounts.models import User
from app.agenda.models import Meeting, MeetingStatus
from app.core.db import utcnow
from app.core.errors import Conflict, FieldError, NotFound
from app.events.models import (
    Attendee,
    Event,
    EventBreak,
    EventDay,
    EventStatus,
    MeetingRequest,
    Participation,
    ParticipationStatus,
    RequestStatus,
    Slot,
    Unavailability,
    UnavailabilityKind,
)
from app.events.schemas import (
    AwayIn,
    DayIn,
    EventCreate,
    EventUpdate,
    RegistrationIn,
    RegistrationUpdate,
)
from app.i18n import gettext as _
from app.notifications.models import NotificationKind
from app.notifications.service import notify_organisation
from app.organisations.models import Organisation, OrganisationKind
from app.recommendations.models import ScoringWeightSet

# Statuses in which organisations may register themselves (organisers: the same, and after
# the registration deadline too).
REGISTRATION_STATUSES = (EventStatus.registration_open.value, EventStatus.requests_open.value)
PARTICIPANT_KINDS = (OrganisationKind.client.value, OrganisationKind.provider.value)


def meetings_exist(event: Event) -> bool:
    """Whether the event's agenda holds meetings (cancelled ones aside): then its slots,
    which the meetings stand in, may no longer be regenerated."""
    db_session = object_session(event)
    if db_session is None:
        return False
    found = db_session.scalar(
        select(Meeting.id)
        .where(Meeting.event_id == event.id, Meeting.status != MeetingStatus.cancelled.value)
        .limit(1)
    )
    return found is not None


def conflict(field_name: str, message: str) -> Conflict:
    """A 409 naming the field, in the same shape as a 422's detail."""
    return Conflict([{"loc": ["body", field_name], "msg": message}])


# --- reading events ----------------------------------------------------------------------------


def _event_query() -> Select[tuple[Event]]:
    return select(Event).options(
        selectinload(Event.days).selectinload(EventDay.breaks),
        selectinload(Event.organiser),
    )


def get_event(*, db_session: Session, event_id: int) -> Event:
    """Return an event with its days, breaks and organiser, or raise NotFound."""
    event = db_session.scalar(_event_query().where(Event.id == event_id))
    if event is None:
        raise NotFound(_("This event does not exist."))
    return event


def can_see(user: User | None, event: Event) -> bool:
    """Drafts are seen by the organisers who run them; any other status by everyone."""
    return event.status != EventStatus.draft.value or policy.can_manage_event(
        user, event.organiser_id
    )


def list_events(
    *, db_session: Session, user: User, limit: int = 20, offset: int = 0
) -> tuple[list[Event], int]:
    """Return the events the user may see (drafts only of its own organiser organisation)."""
    condition: Any = Event.status != EventStatus.draft.value
    if policy.is_platform_admin(user):
        condition = Event.id.is_not(None)
    elif policy.is_organiser(user) and user.organisation_id is not None:
        condition = or_(condition, Event.organiser_id == user.organisation_id)
    total = db_session.scalar(select(func.count()).select_from(Event).where(condition)) or 0
    first_day = (
        select(func.min(EventDay.day)).where(EventDay.event_id == Event.id).scalar_subquery()
    )
    items = db_session.scalars(
        _event_query()
        .where(condition)
        .order_by(first_day.desc().nulls_last(), Event.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(items), total


def slot_counts(*, db_session: Session, event_ids: Sequence[int]) -> dict[int, int]:
    """Return the number of slots of each event."""
    if not event_ids:
        return {}
    rows = db_session.execute(
        select(Slot.event_id, func.count())
        .where(Slot.event_id.in_(event_ids))
        .group_by(Slot.event_id)
    ).all()
    return {event_id: count for event_id, count in rows}


def slots_of(*, db_session: Session, event_id: int) -> list[Slot]:
    """Return the slots of an event in chronological order."""
    return list(
        db_session.scalars(
            select(Slot).where(Slot.event_id == event_id).order_by(Slot.position)
        ).all()
    )


def zone_of(event: Event) -> ZoneInfo:
    return ZoneInfo(event.timezone)


def weight_sets_for(*, db_session: Session, organiser_id: int) -> list[ScoringWeightSet]:
    """Return the scoring weight sets an organiser organisation may choose for its events."""
    return list(
        db_session.scalars(
            select(ScoringWeightSet)
            .where(ScoringWeightSet.organisation_id == organiser_id)
            .order_by(ScoringWeightSet.name)
        ).all()
    )


# --- slots ------------------------------------------------------------------------------------


class _BreakLike(Protocol):
    @property
    def starts_at(self) -> time: ...
    @property
    def ends_at(self) -> time: ...


class _DayLike(Protocol):
    @property
    def day(self) -> date: ...
    @property
    def opens_at(self) -> time: ...
    @property
    def closes_at(self) -> time: ...
    @property
    def afternoon_from(self) -> time | None: ...
    @property
    def breaks(self) -> Sequence[_BreakLike]: ...


@dataclass(frozen=True)
class PlannedSlot:
    day: date
    session: str
    starts_at: datetime
    ends_at: datetime


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time of a day in a zone, as a UTC moment (fold=0 when ambiguous)."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def sessions_of(day: _DayLike) -> list[tuple[str, time, time]]:
    """The day's sessions as (suffix, start, end): morning and afternoon, or one."""
    if day.afternoon_from is None:
        return [("", day.opens_at, day.closes_at)]
    return [("am", day.opens_at, day.afternoon_from), ("pm", day.afternoon_from, day.closes_at)]


def plan_slots(*, days: Sequence[_DayLike], slot_minutes: int, timezone: str) -> list[PlannedSlot]:
    """Cut each session of each day into slots of ``slot_minutes`` of real time.

    Slots start at the session's opening and follow one another; a slot never overlaps a
    break (the next one starts when the break ends) nor runs past the end of its session,
    so time left shorter than a slot before a break or a session's end stays unused.
    Hours are wall-clock times in the event's zone, turned into UTC moments first: on a day
    when the clocks change every slot still lasts ``slot_minutes``."""
    zone = ZoneInfo(timezone)
    length = timedelta(minutes=slot_minutes)
    planned: list[PlannedSlot] = []
    for number, day in enumerate(sorted(days, key=lambda d: d.day), start=1):
        breaks = sorted(
            (local_moment(day.day, b.starts_at, zone), local_moment(day.day, b.ends_at, zone))
            for b in day.breaks
        )
        for suffix, start, end in sessions_of(day):
            label = f"d{number}-{suffix}" if suffix else f"d{number}"
            cursor = local_moment(day.day, start, zone)
            session_end = local_moment(day.day, end, zone)
            while cursor + length <= session_end:
                slot_end = cursor + length
                clash = next((b for b in breaks if b[0] < slot_end and b[1] > cursor), None)
                if clash is not None:
                    cursor = clash[1]
                    continue
                planned.append(PlannedSlot(day.day, label, cursor, slot_end))
                cursor = slot_end
    return planned


def regenerate_slots(*, db_session: Session, event: Event) -> list[Slot]:
    """Replace the event's slots by those its days, hours, breaks and slot length give."""
    db_session.execute(delete(Slot).where(Slot.event_id == event.id))
    day_ids = {d.day: d.id for d in event.days}
    rows = [
        Slot(
            event_id=event.id,
            event_day_id=day_ids[p.day],
            position=position,
            starts_at=p.starts_at,
            ends_at=p.ends_at,
            session=p.session,
        )
        for position, p in enumerate(
            plan_slots(days=event.days, slot_minutes=event.slot_minutes, timezone=event.timezone)
        )
    ]
    db_session.add_all(rows)
    db_session.flush()
    return rows


# --- creating and editing ------------------------------------------------------------------------


def _day_rows(days: Sequence[DayIn], event_id: int | None = None) -> list[EventDay]:
    return [
        EventDay(
            event_id=event_id,
            day=d.day,
            opens_at=d.opens_at,
            closes_at=d.closes_at,
            afternoon_from=d.afternoon_from,
            breaks=[
                EventBreak(label=b.label, starts_at=b.starts_at, ends_at=b.ends_at)
                for b in d.breaks
            ],
        )
        for d in days
    ]


def _check_settings(
    *, db_session: Session, event: Event, first_day: date | None, now: datetime
) -> None:
    errors: dict[str, str] = {}
    if event.weight_set_id is not None:
        weight_set = db_session.get(ScoringWeightSet, event.weight_set_id)
        if weight_set is None or weight_set.organisation_id != event.organiser_id:
            errors["weight_set_id"] = _("Choose one of your organisation's weight sets.")
    if not event.booth_mode and event.table_count is None:
        errors["table_count"] = _("Give the number of tables, or choose booth mode.")
    start = local_moment(first_day, time(0, 0), zone_of(event)) if first_day is not None else None
    reg, req = event.registration_deadline, event.request_deadline
    if reg is not None and start is not None and reg > start:
        errors["registration_deadline"] = _("Registration must close before the first day.")
    if req is not None and start is not None and req > start:
        errors["request_deadline"] = _("Requests must close before the first day.")
    if reg is not None and req is not None and req < reg:
        errors["request_deadline"] = _("Requests cannot close before registration does.")
    if errors:
        raise FieldError(errors)


def create_event(
    *, db_session: Session, organiser_id: int, data: EventCreate, now: datetime | None = None
) -> Event:
    """Create a draft event with its days and breaks, and generate its slots."""
    organiser = db_session.get(Organisation, organiser_id)
    if organiser is None or organiser.kind != OrganisationKind.organiser.value:
        raise FieldError({"organiser_id": _("Choose an organiser organisation.")})
    fields = data.model_dump(exclude={"days", "organiser_id"})
    fields["pairing"] = data.pairing.value
    event = Event(organiser_id=organiser_id, status=EventStatus.draft.value, **fields)
    _check_settings(
        db_session=db_session, event=event, first_day=data.days[0].day, now=now or utcnow()
    )
    event.days = _day_rows(data.days)
    db_session.add(event)
    db_session.flush()
    regenerate_slots(db_session=db_session, event=event)
    return event


def _days_differ(current: Sequence[EventDay], wanted: Sequence[DayIn]) -> bool:
    def shape(days: Sequence[Any]) -> list[Any]:
        return [
            (
                d.day,
                d.opens_at,
                d.closes_at,
                d.afternoon_from,
                [
                    (b.label, b.starts_at, b.ends_at)
                    for b in sorted(d.breaks, key=lambda b: b.starts_at)
                ],
            )
            for d in sorted(days, key=lambda d: d.day)
        ]

    return shape(current) != shape(wanted)


def update_event(
    *, db_session: Session, event: Event, data: EventUpdate, now: datetime | None = None
) -> Event:
    """Change an event's settings and days; refuse a stale version, and a change of the slot
    length, the time zone or the days once meetings exist."""
    if data.version is not None and data.version != event.version:
        raise conflict(
            "version", _("Someone else saved this event meanwhile: reload it and try again.")
        )
    changes = data.model_dump(exclude_unset=True, exclude={"days", "version"})
    if "pairing" in changes and changes["pairing"] is not None:
        changes["pairing"] = data.pairing.value if data.pairing else None
    new_days = data.days if "days" in data.model_fields_set and data.days is not None else None
    schedule_changes = (new_days is not None and _days_differ(event.days, new_days)) or any(
        k in changes and changes[k] is not None and changes[k] != getattr(event, k)
        for k in ("slot_minutes", "timezone")
    )
    if schedule_changes and meetings_exist(event):
        raise conflict(
            "days",
            _(
                "The agenda already holds meetings: the days, hours and slot length can no "
                "longer change."
            ),
        )
    for name in ("name", "timezone", "slot_minutes", "booth_mode", "pairing"):
        if name in changes and changes[name] is None:
            raise FieldError({name: _("This field cannot be empty.")})
    for name, value in changes.items():
        setattr(event, name, value)
    first_day = new_days[0].day if new_days else (event.days[0].day if event.days else None)
    _check_settings(db_session=db_session, event=event, first_day=first_day, now=now or utcnow())
    if new_days is not None and _days_differ(event.days, new_days):
        db_session.execute(delete(Slot).where(Slot.event_id == event.id))
        for day in list(event.days):
            db_session.delete(day)
        event.days.clear()
        db_session.flush()
        event.days.extend(_day_rows(new_days))
        db_session.flush()
    event.version += 1
    db_session.flush()
    if schedule_changes:
        regenerate_slots(db_session=db_session, event=event)
    return event


# --- statuses ------------------------------------------------------------------------------------


Check = Callable[[Session, Event, datetime], str | None]


def _needs_slots(db_session: Session, event: Event, now: datetime) -> str | None:
    if not slot_counts(db_session=db_session, event_ids=[event.id]).get(event.id):
        return _("The event has no meeting slots: give it days and opening hours first.")
    return None


def _registration_deadline_ahead(db_session: Session, event: Event, now: datetime) -> str | None:
    if event.registration_deadline is not None and event.registration_deadline <= now:
        return _("The registration deadline has passed: move it later first.")
    return _needs_slots(db_session, event, now)


def _request_deadline_ahead(db_session: Session, event: Event, now: datetime) -> str | None:
    if event.request_deadline is not None and event.request_deadline <= now:
        return _("The request deadline has passed: move it later first.")
    return _needs_slots(db_session, event, now)


def _two_participants(db_session: Session, event: Event, now: datetime) -> str | None:
    approved = db_session.scalar(
        select(func.count())
        .select_from(Participation)
        .where(
            Participation.event_id == event.id,
            Participation.status == ParticipationStatus.approved.value,
        )
    )
    if (approved or 0) < 2:
        return _("At least two approved participants are needed to build an agenda.")
    return None


def _no_meetings(db_session: Session, event: Event, now: datetime) -> str | None:
    if meetings_exist(event):
        return _("The agenda already holds meetings.")
    return None


def _has_meetings(db_session: Session, event: Event, now: datetime) -> str | None:
    if not meetings_exist(event):
        return _("Build the agenda first: it holds no meetings yet.")
    return None


@dataclass(frozen=True)
class Transition:
    """A named status action: from which statuses, to which, and what must hold first."""

    action: str
    sources: tuple[EventStatus, ...]
    target: EventStatus
    checks: tuple[Check, ...] = ()


STATUS_TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "open_registration",
            (EventStatus.draft,),
            EventStatus.registration_open,
            (_registration_deadline_ahead,),
        ),
        Transition(
            "open_requests",
            (EventStatus.registration_open,),
            EventStatus.requests_open,
            (_request_deadline_ahead,),
        ),
        Transition(
            "start_scheduling",
            (EventStatus.requests_open,),
            EventStatus.scheduling,
            (_two_participants,),
        ),
        Transition(
            "reopen_requests", (EventStatus.scheduling,), EventStatus.requests_open, (_no_meetings,)
        ),
        Transition("publish", (EventStatus.scheduling,), EventStatus.published, (_has_meetings,)),
        Transition("close", (EventStatus.published,), EventStatus.closed),
    )
}


def actions_from(status: str) -> list[str]:
    """Return the actions whose source is this status (legal moves, preconditions aside)."""
    return [t.action for t in STATUS_TRANSITIONS.values() if status in t.sources]


def change_status(
    *, db_session: Session, event: Event, action: str, now: datetime | None = None
) -> Event:
    """Apply a named status action, or refuse it with the reason."""
    transition = STATUS_TRANSITIONS.get(action)
    if transition is None:
        raise FieldError({"action": _("Unknown action %(action)s.", action=repr(action))})
    if event.status not in transition.sources:
        raise conflict(
            "action",
            _(
                "An event in the status %(status)s cannot take the action %(action)s.",
                status=event.status,
                action=action,
            ),
        )
    moment = now or utcnow()
    for check in transition.checks:
        reason = check(db_session, event, moment)
        if reason is not None:
            raise conflict("action", reason)
    event.status = transition.target.value
    event.version += 1
    db_session.flush()
    return event


# --- registrations ---------------------------------------------------------------------------


def _registration_query() -> Select[tuple[Participation]]:
    return select(Participation).options(
        selectinload(Participation.attendees),
        selectinload(Participation.unavailabilities),
        selectinload(Participation.organisation),
    )


def get_registration(*, db_session: Session, event_id: int, registration_id: int) -> Participation:
    """Return a registration of this event with its details, or raise NotFound."""
    row = db_session.scalar(
        _registration_query().where(
            Participation.id == registration_id, Participation.event_id == event_id
        )
    )
    if row is None:
        raise NotFound(_("This registration does not exist."))
    return row


def registration_of(
    *, db_session: Session, event_id: int, organisation_id: int | None
) -> Participation | None:
    """Return the registration of an organisation for an event, if any."""
    if organisation_id is None:
        return None
    return db_session.scalar(
        _registration_query().where(
            Participation.event_id == event_id, Participation.organisation_id == organisation_id
        )
    )


def list_registrations(
    *, db_session: Session, event_id: int, status: str | None = None
) -> list[Participation]:
    """Return an event's registrations (every detail), newest first."""
    query = _registration_query().where(Participation.event_id == event_id)
    if status is not None:
        query = query.where(Participation.status == status)
    return list(db_session.scalars(query.order_by(Participation.id.desc())).all())


def approved_participants(*, db_session: Session, event_id: int) -> list[Participation]:
    """Return the approved participants with their organisation, by name."""
    return list(
        db_session.scalars(
            select(Participation)
            .join(Organisation, Organisation.id == Participation.organisation_id)
            .options(selectinload(Participation.organisation))
            .where(
                Participation.event_id == event_id,
                Participation.status == ParticipationStatus.approved.value,
            )
            .order_by(Organisation.legal_name)
        ).all()
    )


def registrations_of_organisation(
    *, db_session: Session, organisation_id: int
) -> list[Participation]:
    """Return an organisation's registrations with their event (for its dashboard)."""
    return list(
        db_session.scalars(
            select(Participation)
            .options(selectinload(Participation.event).selectinload(Event.days))
            .where(Participation.organisation_id == organisation_id)
            .order_by(Participation.id.desc())
        ).all()
    )


def _away_rows(
    *, db_session: Session, event: Event, away: Sequence[AwayIn]
) -> list[Unavailability]:
    zone = zone_of(event)
    days = {d.day: d for d in event.days}
    chosen: dict[datetime, Unavailability] = {}
    slot_ids = [a.slot_id for a in away if a.slot_id is not None]
    slots = (
        {
            s.id: s
            for s in db_session.scalars(
                select(Slot).where(Slot.event_id == event.id, Slot.id.in_(slot_ids))
            )
        }
        if slot_ids
        else {}
    )
    for item in away:
        if item.kind == UnavailabilityKind.slot:
            slot = slots.get(item.slot_id or 0)
            if slot is None:
                raise FieldError({"away": _("This slot is not one of the event's.")})
            start, end = slot.starts_at, slot.ends_at
        else:
            assert item.day is not None
            day = days.get(item.day)
            if day is None:
                raise FieldError(
                    {"away": _("%(day)s is not a day of the event.", day=item.day.isoformat())}
                )
            start = local_moment(day.day, day.opens_at, zone)
            end = local_moment(day.day, day.closes_at, zone)
            if item.kind == UnavailabilityKind.half_day:
                if day.afternoon_from is None:
                    raise FieldError(
                        {"away": _("This day has one session: choose the whole day or slots.")}
                    )
                noon = local_moment(day.day, day.afternoon_from, zone)
                start, end = (start, noon) if item.half == "morning" else (noon, end)
        previous = chosen.get(start)
        if previous is None or previous.ends_at < end:
            chosen[start] = Unavailability(kind=item.kind.value, starts_at=start, ends_at=end)
    return [chosen[k] for k in sorted(chosen)]


def _check_details(
    *,
    db_session: Session,
    event: Event,
    organisation: Organisation,
    max_meetings: int | None,
    booth_table: int | None,
    registration_id: int | None = None,
) -> None:
    errors: dict[str, str] = {}
    cap = event.max_meetings_per_participant
    if max_meetings is not None and cap is not None and max_meetings > cap:
        errors["max_meetings"] = _("The event allows at most %(n)s meetings each.", n=cap)
    if booth_table is not None:
        if organisation.kind != OrganisationKind.provider.value:
            errors["booth_table"] = _("Only call centres keep a table of their own.")
        elif not event.booth_mode:
            errors["booth_table"] = _("This event has no booths: tables are given by the agenda.")
        elif event.table_count is not None and booth_table > event.table_count:
            errors["booth_table"] = _("The room has %(n)s tables.", n=event.table_count)
    if errors:
        raise FieldError(errors)
    if booth_table is not None:
        taken = db_session.scalar(
            select(Participation.id).where(
                Participation.event_id == event.id,
                Participation.booth_table == booth_table,
                Participation.id != (registration_id or 0),
            )
        )
        if taken is not None:
            raise conflict(
                "booth_table", _("Table %(n)s is already another call centre's.", n=booth_table)
            )


def _integrity_conflict(exc: IntegrityError) -> Conflict:
    text = str(exc.orig)
    if "booth_table" in text:
        return conflict("booth_table", _("This table is already another call centre's."))
    return conflict("organisation_id", _("This organisation is already registered for this event."))


def _flush_guarded(db_session: Session, rows: Sequence[Any]) -> None:
    """Flush inside a savepoint so that a unique violation (a concurrent twin) becomes a
    409 and leaves the session usable."""
    try:
        with db_session.begin_nested():
            db_session.add_all(rows)
            db_session.flush()
    except IntegrityError as exc:
        raise _integrity_conflict(exc) from exc


def _attendee_rows(data: RegistrationIn | RegistrationUpdate) -> list[Attendee]:
    return [
        Attendee(full_name=a.full_name, job_title=a.job_title, email=a.email, phone=a.phone)
        for a in data.attendees or []
    ]


def register(
    *,
    db_session: Session,
    event: Event,
    organisation: Organisation,
    actor: User,
    data: RegistrationIn,
    on_behalf: bool = False,
    now: datetime | None = None,
) -> Participation:
    """Register an organisation for an event, or refuse with the reason.

    Organisations register while registration or requests are open and before the
    registration deadline; an organiser (``on_behalf``) may register a company after the
    deadline, and that registration is approved at once."""
    moment = now or utcnow()
    if organisation.kind not in PARTICIPANT_KINDS:
        raise FieldError(
            {
                "organisation_id": _(
                    "Only client companies and call centres register; organisers run events."
                )
            }
        )
    if event.status not in REGISTRATION_STATUSES:
        raise conflict("status", _("This event is not open for registration."))
    deadline = event.registration_deadline
    if not on_behalf and deadline is not None and moment > deadline:
        raise conflict(
            "registration_deadline",
            _(
                "Registration closed on %(when)s; the organiser can still register you.",
                when=deadline.astimezone(zone_of(event)).strftime("%Y-%m-%d %H:%M"),
            ),
        )
    existing = registration_of(
        db_session=db_session, event_id=event.id, organisation_id=organisation.id
    )
    if existing is not None and existing.status != ParticipationStatus.withdrawn.value:
        raise conflict(
            "organisation_id", _("This organisation is already registered for this event.")
        )
    _check_details(
        db_session=db_session,
        event=event,
        organisation=organisation,
        max_meetings=data.max_meetings,
        booth_table=data.booth_table,
        registration_id=existing.id if existing else None,
    )
    away = _away_rows(db_session=db_session, event=event, away=data.away)
    status = ParticipationStatus.approved if on_behalf else ParticipationStatus.pending
    if existing is not None:  # coming back after withdrawing: the same row again
        row = existing
        row.attendees = _attendee_rows(data)
        row.unavailabilities = away
        row.max_meetings, row.booth_table = data.max_meetings, data.booth_table
        row.refusal_reason = None
        row.version += 1
    else:
        row = Participation(
            event_id=event.id,
            organisation_id=organisation.id,
            max_meetings=data.max_meetings,
            booth_table=data.booth_table,
            registered_by_id=actor.id,
            attendees=_attendee_rows(data),
            unavailabilities=away,
        )
    row.status = status.value
    if on_behalf:
        row.decided_by_id, row.decided_at = actor.id, moment
    _flush_guarded(db_session, [row])
    link = f"/events/{event.id}"
    if on_behalf:
        notify_organisation(
            db_session=db_session,
            organisation_id=organisation.id,
            kind=NotificationKind.registration_approved,
            params={"event_name": event.name},
            link=link,
            event_id=event.id,
            now=moment,
        )
    else:
        notify_organisation(
            db_session=db_session,
            organisation_id=event.organiser_id,
            kind=NotificationKind.registration_received,
            params={"event_name": event.name, "organisation_name": organisation.legal_name},
            link=f"/events/{event.id}/registrations",
            event_id=event.id,
            now=moment,
        )
    return row


def update_registration(
    *,
    db_session: Session,
    event: Event,
    registration: Participation,
    data: RegistrationUpdate,
    by_organiser: bool = False,
) -> Participation:
    """Change who attends, the times away, the maximum of meetings and the booth table."""
    if data.version is not None and data.version != registration.version:
        raise conflict(
            "version", _("This registration was changed meanwhile: reload it and try again.")
        )
    editable = (
        (*REGISTRATION_STATUSES, EventStatus.scheduling.value)
        if by_organiser
        else REGISTRATION_STATUSES
    )
    if event.status not in editable:
        raise conflict("status", _("Registrations of this event can no longer change."))
    fields = data.model_fields_set
    max_meetings = data.max_meetings if "max_meetings" in fields else registration.max_meetings
    booth_table = data.booth_table if "booth_table" in fields else registration.booth_table
    _check_details(
        db_session=db_session,
        event=event,
        organisation=db_session.get(Organisation, registration.organisation_id),  # type: ignore[arg-type]
        max_meetings=max_meetings,
        booth_table=booth_table,
        registration_id=registration.id,
    )
    if data.attendees is not None:
        registration.attendees = _attendee_rows(data)
    if data.away is not None:
        away = _away_rows(db_session=db_session, event=event, away=data.away)
        registration.unavailabilities.clear()
        db_session.flush()
        registration.unavailabilities.extend(away)
    registration.max_meetings, registration.booth_table = max_meetings, booth_table
    registration.version += 1
    _flush_guarded(db_session, [registration])
    return registration


def approve(
    *,
    db_session: Session,
    event: Event,
    registration: Participation,
    actor: User,
    now: datetime | None = None,
) -> Participation:
    """Approve a pending (or refused) registration and tell the organisation."""
    if registration.status not in (
        ParticipationStatus.pending.value,
        ParticipationStatus.refused.value,
    ):
        raise conflict("status", _("Only pending or refused registrations can be approved."))
    return _decide(db_session, event, registration, actor, ParticipationStatus.approved, None, now)


def refuse(
    *,
    db_session: Session,
    event: Event,
    registration: Participation,
    actor: User,
    reason: str,
    now: datetime | None = None,
) -> Participation:
    """Refuse a registration with a reason and tell the organisation."""
    if registration.status not in (
        ParticipationStatus.pending.value,
        ParticipationStatus.approved.value,
    ):
        raise conflict("status", _("Only pending or approved registrations can be refused."))
    if not reason.strip():
        raise FieldError({"reason": _("Give the reason: the organisation will read it.")})
    return _decide(
        db_session, event, registration, actor, ParticipationStatus.refused, reason.strip(), now
    )


def _decide(
    db_session: Session,
    event: Event,
    registration: Participation,
    actor: User,
    status: ParticipationStatus,
    reason: str | None,
    now: datetime | None,
) -> Participation:
    moment = now or utcnow()
    registration.status = status.value
    registration.refusal_reason = reason
    registration.decided_by_id, registration.decided_at = actor.id, moment
    registration.version += 1
    db_session.flush()
    approved = status == ParticipationStatus.approved
    notify_organisation(
        db_session=db_session,
        organisation_id=registration.organisation_id,
        kind=(
            NotificationKind.registration_approved
            if approved
            else NotificationKind.registration_refused
        ),
        params=(
            {"event_name": event.name}
            if approved
            else {"event_name": event.name, "reason": reason or ""}
        ),
        link=f"/events/{event.id}",
        event_id=event.id,
        now=moment,
    )
    return registration


def withdraw(*, db_session: Session, event: Event, registration: Participation) -> Participation:
    """Withdraw a registration (the organisation leaves the event)."""
    if registration.status == ParticipationStatus.withdrawn.value:
        raise conflict("status", _("This registration is already withdrawn."))
    if event.status in (EventStatus.published.value, EventStatus.closed.value):
        raise conflict("status", _("The agenda is published: ask the organiser."))
    registration.status = ParticipationStatus.withdrawn.value
    registration.booth_table = None
    registration.version += 1
    db_session.flush()
    return registration


# --- the organiser's dashboard ---------------------------------------------------------------


@dataclass
class EventFigures:
    registrations: dict[str, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    # Accepted among the requests answered or expired (pending and cancelled left out).
    acceptance_rate: float | None = None
    # Approved participants with no request sent or received.
    without_request: list[Participation] = field(default_factory=list)
    # Approved participants with no accepted request yet.
    without_accepted: list[Participation] = field(default_factory=list)


REMINDER_GROUPS = ("without_request", "without_accepted")


def event_figures(*, db_session: Session, event_id: int) -> EventFigures:
    """Return the dashboard figures of an event (five queries)."""
    figures = EventFigures()
    figures.registrations = {
        status: count
        for status, count in db_session.execute(
            select(Participation.status, func.count())
            .where(Participation.event_id == event_id)
            .group_by(Participation.status)
        ).all()
    }
    figures.requests = {
        status: count
        for status, count in db_session.execute(
            select(MeetingRequest.status, func.count())
            .where(MeetingRequest.event_id == event_id)
            .group_by(MeetingRequest.status)
        ).all()
    }
    accepted = figures.requests.get(RequestStatus.accepted.value, 0)
    closed = accepted + sum(
        figures.requests.get(s.value, 0) for s in (RequestStatus.declined, RequestStatus.expired)
    )
    figures.acceptance_rate = accepted / closed if closed else None
    involved: set[int] = set()
    with_accepted: set[int] = set()
    for sender, recipient, status in db_session.execute(
        select(MeetingRequest.sender_id, MeetingRequest.recipient_id, MeetingRequest.status).where(
            MeetingRequest.event_id == event_id
        )
    ):
        involved.update((sender, recipient))
        if status == RequestStatus.accepted.value:
            with_accepted.update((sender, recipient))
    approved = approved_participants(db_session=db_session, event_id=event_id)
    figures.without_request = [p for p in approved if p.id not in involved]
    figures.without_accepted = [p for p in approved if p.id not in with_accepted]
    return figures


def remind(
    *,
    db_session: Session,
    event: Event,
    group: str,
    message: str,
    now: datetime | None = None,
) -> int:
    """Send an event reminder to every participant of a dashboard group; return how many."""
    if group not in REMINDER_GROUPS:
        raise FieldError({"group": _("Choose whom to remind.")})
    if not message.strip():
        raise FieldError({"message": _("Write the reminder.")})
    figures = event_figures(db_session=db_session, event_id=event.id)
    targets: list[Participation] = getattr(figures, group)
    for participation in targets:
        notify_organisation(
            db_session=db_session,
            organisation_id=participation.organisation_id,
            kind=NotificationKind.event_reminder,
            params={"event_name": event.name, "message": message.strip()},
            link=f"/events/{event.id}",
            event_id=event.id,
            now=now,
        )
    return len(targets)
