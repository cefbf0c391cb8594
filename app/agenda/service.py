"""Use cases of the agenda: write an optimiser result back as the event's draft, and say
what the draft achieves (meetings by origin, required meetings left out and why, breaks,
participants with few meetings). Functions flush, never commit."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.agenda.instance import InstanceMap
from app.agenda.models import (
    ACTIVE_RUN_STATUSES,
    AgendaRun,
    AgendaRunStatus,
    Meeting,
    MeetingSeat,
    MeetingStatus,
)
from app.core.db import utcnow
from app.core.errors import Conflict, FieldError, NotFound
from app.events.models import Event, Participation, ParticipationStatus, Slot, Unavailability
from app.events.service import slots_of
from app.i18n import gettext as _
from app.matchmaking.wanted import wanted_meetings
from app.organisations.models import Organisation

#: The summary lists the participants with fewer meetings than this.
FEW_MEETINGS = 3


class LeftOutReason:
    """Why a required meeting is not in the draft, most telling first."""

    no_common_slot = "no_common_slot"
    max_meetings = "max_meetings"
    no_common_free_slot = "no_common_free_slot"
    no_table = "no_table"


def _reason_text(code: str) -> str:
    texts = {
        LeftOutReason.no_common_slot: _("The two participants are never available at once."),
        LeftOutReason.max_meetings: _("One of them has reached its maximum of meetings."),
        LeftOutReason.no_common_free_slot: _(
            "Every slot where both are available holds another meeting of one of them."
        ),
        LeftOutReason.no_table: _("No table was left in the slots where both are free."),
    }
    return texts[code]


def live_meetings(*, db_session: Session, event_id: int) -> list[Meeting]:
    """Return the event's meetings that are not cancelled, by slot then table."""
    return list(
        db_session.scalars(
            select(Meeting)
            .join(Slot, Slot.id == Meeting.slot_id)
            .where(
                Meeting.event_id == event_id,
                Meeting.status != MeetingStatus.cancelled.value,
            )
            .order_by(Slot.position, Meeting.table_number, Meeting.id)
        ).all()
    )


def _seats(meeting: Meeting) -> list[MeetingSeat]:
    return [
        MeetingSeat(meeting_id=meeting.id, participation_id=p, slot_id=meeting.slot_id)
        for p in (meeting.a_participation_id, meeting.b_participation_id)
    ]


def add_meeting(db_session: Session, meeting: Meeting) -> Meeting:
    """Write a meeting with its two seats (the database refuses a clash)."""
    db_session.add(meeting)
    db_session.flush()
    db_session.add_all(_seats(meeting))
    db_session.flush()
    return meeting


def last_run(*, db_session: Session, event_id: int) -> AgendaRun | None:
    """Return the event's latest agenda run, if any."""
    return db_session.scalars(
        select(AgendaRun)
        .where(AgendaRun.event_id == event_id)
        .order_by(AgendaRun.id.desc())
        .limit(1)
    ).first()


def apply_result(
    *,
    db_session: Session,
    event_id: int,
    instance_map: InstanceMap,
    result: Mapping[str, Any],
    time_limit_s: float | None = None,
    started_at: datetime | None = None,
    run: AgendaRun | None = None,
) -> AgendaRun:
    """Replace the event's unlocked draft meetings by a result's assignments.

    ``result`` is the contract's result object (format 1). Locked, held and no-show
    meetings stay; the scheduled unlocked ones go, then each assigned meeting that the
    instance did not fix is written with its seats. A clash the database refuses raises
    ``IntegrityError`` and the caller's transaction rolls back as a whole. ``run`` (a
    background build's row) receives the figures instead of a new run."""
    if instance_map.event_id != event_id or db_session.get(Event, event_id) is None:
        raise NotFound(_("Event %(id)s not found.", id=event_id))
    if result.get("format") != "euroffshore-schedule-result/1":
        raise Conflict(_("This is not an optimiser result."))
    drafts = list(
        db_session.scalars(
            select(Meeting.id).where(
                Meeting.event_id == event_id,
                Meeting.locked.is_(False),
                Meeting.status == MeetingStatus.scheduled.value,
            )
        )
    )
    if drafts:
        db_session.execute(delete(MeetingSeat).where(MeetingSeat.meeting_id.in_(drafts)))
        # The default synchronisation takes the deleted meetings out of the session too.
        db_session.execute(delete(Meeting).where(Meeting.id.in_(drafts)))
        db_session.flush()

    placed = 0
    for assignment in result.get("assignments", []):
        planned = instance_map.meetings.get(assignment["meeting"])
        if planned is None:
            raise Conflict(
                _("The result names a meeting %(id)s unknown here.", id=assignment["meeting"])
            )
        if planned.fixed_meeting_id is not None:
            continue
        add_meeting(
            db_session,
            Meeting(
                event_id=event_id,
                a_participation_id=planned.a_participation_id,
                b_participation_id=planned.b_participation_id,
                slot_id=instance_map.slots[assignment["slot"]],
                table_number=int(assignment["table"]),
                origin=planned.origin,
                status=MeetingStatus.scheduled.value,
                locked=False,
                request_id=planned.request_id,
                weight=planned.weight,
            ),
        )
        placed += 1

    objective = result.get("objective") or {}
    bounds = result.get("bounds") or {}
    stats = result.get("stats") or {}
    if run is None:
        run = AgendaRun(event_id=event_id, started_at=started_at or utcnow())
        db_session.add(run)
    figures: dict[str, Any] = dict(
        finished_at=utcnow(),
        status=AgendaRunStatus.finished.value,
        time_limit_s=time_limit_s or run.time_limit_s or float(stats.get("seconds") or 1.0) or 1.0,
        result_status=result.get("status"),
        required_unscheduled=objective.get("required_unscheduled"),
        weight=objective.get("weight"),
        breaks=objective.get("breaks"),
        weight_bound=bounds.get("weight"),
        breaks_bound=bounds.get("breaks"),
        seconds=stats.get("seconds"),
        meetings_wanted=len(instance_map.meetings),
        meetings_placed=placed,
        meetings_locked=sum(1 for m in instance_map.meetings.values() if m.fixed_meeting_id),
    )
    for name, value in figures.items():
        setattr(run, name, value)
    db_session.flush()
    return run


@dataclass(frozen=True)
class LeftOut:
    """A required meeting the draft does not hold, and why."""

    a_participation_id: int
    b_participation_id: int
    a_name: str
    b_name: str
    origin: str
    reason: str
    reason_text: str


@dataclass(frozen=True)
class DraftSummary:
    meetings: int
    by_origin: dict[str, int]
    required_wanted: int
    left_out: list[LeftOut]
    # Participation id → breaks (idle runs strictly between two of its meetings).
    breaks: dict[int, int]
    total_breaks: int
    # Participation id → meetings held in the draft (every approved participant).
    held: dict[int, int]
    # Participation id → meetings, for those with fewer than ``few`` (0 included).
    few_meetings: dict[int, int] = field(default_factory=dict)
    few: int = FEW_MEETINGS


def breaks_of(positions: Sequence[int]) -> int:
    """Breaks of a participant whose meetings are in these slot positions (contract rule)."""
    ordered = sorted(set(positions))
    return sum(1 for x, y in zip(ordered, ordered[1:], strict=False) if y - x > 1)


def draft_summary(*, db_session: Session, event_id: int, few: int = FEW_MEETINGS) -> DraftSummary:
    """Return what the event's draft agenda holds and what it leaves out."""
    event = db_session.get(Event, event_id)
    if event is None:
        raise NotFound(_("Event %(id)s not found.", id=event_id))
    slots = slots_of(db_session=db_session, event_id=event_id)
    index_of = {s.id: i for i, s in enumerate(slots)}
    meetings = live_meetings(db_session=db_session, event_id=event_id)
    members = db_session.execute(
        select(Participation.id, Participation.max_meetings, Organisation.legal_name)
        .join(Organisation, Organisation.id == Participation.organisation_id)
        .where(
            Participation.event_id == event_id,
            Participation.status == ParticipationStatus.approved.value,
        )
        .order_by(Participation.id)
    ).all()

    busy: dict[int, set[int]] = defaultdict(set)  # participation -> slot indexes
    pairs: set[tuple[int, int]] = set()
    for m in meetings:
        s = index_of[m.slot_id]
        busy[m.a_participation_id].add(s)
        busy[m.b_participation_id].add(s)
        pairs.add((m.a_participation_id, m.b_participation_id))

    away: dict[int, set[int]] = defaultdict(set)
    for pid, starts, ends in db_session.execute(
        select(Unavailability.participation_id, Unavailability.starts_at, Unavailability.ends_at)
        .join(Participation, Participation.id == Unavailability.participation_id)
        .where(Participation.event_id == event_id)
    ):
        for i, slot in enumerate(slots):
            if slot.starts_at < ends and slot.ends_at > starts:
                away[pid].add(i)

    limit: dict[int, int | None] = {}
    name: dict[int, str] = {}
    for pid, own_max, legal_name in members:
        name[pid] = legal_name
        limits = [x for x in (own_max, event.max_meetings_per_participant) if x is not None]
        limit[pid] = min(limits) if limits else None

    def reason(a: int, b: int) -> str:
        common = [i for i in range(len(slots)) if i not in away[a] and i not in away[b]]
        if not common:
            return LeftOutReason.no_common_slot
        for p in (a, b):
            cap = limit.get(p)
            if cap is not None and len(busy[p]) >= cap:
                return LeftOutReason.max_meetings
        free = [i for i in common if i not in busy[a] and i not in busy[b]]
        if not free:
            return LeftOutReason.no_common_free_slot
        return LeftOutReason.no_table

    required = [w for w in wanted_meetings(db_session=db_session, event_id=event_id) if w.required]
    left_out = []
    for w in required:
        pair = (w.a_participation_id, w.b_participation_id)
        if pair in pairs:
            continue
        code = reason(*pair)
        left_out.append(
            LeftOut(*pair, name[pair[0]], name[pair[1]], w.origin, code, _reason_text(code))
        )

    breaks = {pid: breaks_of(sorted(busy[pid])) for pid, _mm, _name in members}
    held = {pid: len(busy[pid]) for pid, _mm, _name in members}
    return DraftSummary(
        meetings=len(meetings),
        by_origin=dict(sorted(Counter(m.origin for m in meetings).items())),
        required_wanted=len(required),
        left_out=left_out,
        breaks=breaks,
        total_breaks=sum(breaks.values()),
        held=held,
        few_meetings={pid: n for pid, n in held.items() if n < few},
        few=few,
    )


#: A running build whose worker has not said it is alive for this long past its time limit
#: (killed, machine restarted) reads as failed.
HEARTBEAT_TIMEOUT_S = 60.0
#: The optimiser's budget of a build asked from the pages or the API, and its bounds.
DEFAULT_TIME_LIMIT_S = 30.0
MAX_TIME_LIMIT_S = 600.0


def active_run(*, db_session: Session, event_id: int) -> AgendaRun | None:
    """Return the event's queued or running build, if any (a stale one is marked failed)."""
    run = db_session.scalars(
        select(AgendaRun)
        .where(AgendaRun.event_id == event_id, AgendaRun.status.in_(ACTIVE_RUN_STATUSES))
        .order_by(AgendaRun.id.desc())
        .limit(1)
    ).first()
    if run is not None and expire_stale(db_session=db_session, run=run):
        return None
    return run


def expire_stale(*, db_session: Session, run: AgendaRun, now: datetime | None = None) -> bool:
    """Mark a running build whose worker went silent as failed; True when it was."""
    if run.status != AgendaRunStatus.running.value:
        return False
    now = now or utcnow()
    seen = run.heartbeat_at or run.started_at
    if (now - seen).total_seconds() <= run.time_limit_s + HEARTBEAT_TIMEOUT_S:
        return False
    run.status = AgendaRunStatus.failed.value
    run.finished_at = now
    run.error = _("The build stopped answering (its worker was stopped); the draft is unchanged.")
    db_session.flush()
    return True


def get_run(*, db_session: Session, event_id: int, run_id: int) -> AgendaRun:
    """Return a build of the event (a stale one reads as failed)."""
    run = db_session.get(AgendaRun, run_id)
    if run is None or run.event_id != event_id:
        raise NotFound(_("Agenda build %(id)s not found.", id=run_id))
    expire_stale(db_session=db_session, run=run)
    return run


def recent_runs(*, db_session: Session, event_id: int, limit: int = 10) -> list[AgendaRun]:
    """Return the event's latest builds, newest first."""
    runs = list(
        db_session.scalars(
            select(AgendaRun)
            .where(AgendaRun.event_id == event_id)
            .order_by(AgendaRun.id.desc())
            .limit(limit)
        )
    )
    for run in runs:
        expire_stale(db_session=db_session, run=run)
    return runs


def start_build(
    *, db_session: Session, event: Event, user: User | None, time_limit_s: float
) -> AgendaRun:
    """Queue a build of the event's agenda; the caller enqueues ``run.id`` after its commit.

    Refused (409) while another build of the event is queued or running, and when the event
    has no slots, no tables or fewer than two approved participants."""
    if not 0 < time_limit_s <= MAX_TIME_LIMIT_S:
        raise FieldError(
            {
                "time_limit_s": _(
                    "The time limit is between 1 and %(max)s seconds.", max=int(MAX_TIME_LIMIT_S)
                )
            }
        )
    if active_run(db_session=db_session, event_id=event.id) is not None:
        raise Conflict(_("Another build of this event's agenda is queued or running."))
    if not slots_of(db_session=db_session, event_id=event.id):
        raise Conflict(_("The event has no meeting slots: set its days first."))
    approved = db_session.execute(
        select(Organisation.kind, func.count())
        .select_from(Participation)
        .join(Organisation, Organisation.id == Participation.organisation_id)
        .where(
            Participation.event_id == event.id,
            Participation.status == ParticipationStatus.approved.value,
        )
        .group_by(Organisation.kind)
    ).all()
    by_kind = {kind: n for kind, n in approved}
    tables = event.table_count or (by_kind.get("provider", 0) if event.booth_mode else 0)
    if not tables:
        raise Conflict(_("The event has no tables."))
    if sum(by_kind.values()) < 2:
        raise Conflict(_("The event needs at least two approved participants."))
    run = AgendaRun(
        event_id=event.id,
        started_at=utcnow(),
        status=AgendaRunStatus.queued.value,
        time_limit_s=float(time_limit_s),
        requested_by_id=user.id if user is not None else None,
        phase="queued",
    )
    try:
        with db_session.begin_nested():  # another request queued one meanwhile: refused
            db_session.add(run)
            db_session.flush()
    except IntegrityError as exc:
        raise Conflict(_("Another build of this event's agenda is queued or running.")) from exc
    return run


def request_cancel(*, db_session: Session, run: AgendaRun) -> AgendaRun:
    """Ask a queued or running build to stop at its next check (the draft stays as it was)."""
    if run.status not in ACTIVE_RUN_STATUSES:
        raise Conflict(_("This build has already ended."))
    run.cancel_requested = True
    if run.status == AgendaRunStatus.queued.value:
        run.status = AgendaRunStatus.cancelled.value
        run.finished_at = utcnow()
    db_session.flush()
    return run
