"""ORM models of the agenda: the meetings of an event (a pair in a slot at a table) and the
runs of the optimiser that built them.

The database holds the agenda's hard rules, whoever writes it (the optimiser's draft, an
organiser's hand edit, two edits at once): ``meeting_seats`` has one row per participant of
a live meeting, unique per slot, so nobody sits in two meetings at once; a live meeting's
table is unique per slot. Cancelled meetings stay as rows but hold neither seat nor table.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, TimestampMixin, UTCDateTime, utcnow
from app.events.models import Participation, Slot


def _in(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class MeetingOrigin(enum.StrEnum):
    """Why the pair meets: both wanted it, a request was accepted, one side wished it, the
    scores recommended it, or an organiser placed it by hand."""

    mutual = "mutual"
    accepted = "accepted"
    wish = "wish"
    recommendation = "recommendation"
    organiser = "organiser"


class MeetingStatus(enum.StrEnum):
    scheduled = "scheduled"
    held = "held"
    no_show = "no_show"
    cancelled = "cancelled"


class AgendaRunStatus(enum.StrEnum):
    """A build of the agenda: queued, running, then finished (done: its draft written),
    failed (the error in words) or cancelled (the draft as it was)."""

    queued = "queued"
    running = "running"
    finished = "finished"
    failed = "failed"
    cancelled = "cancelled"


#: A queued or running build: the event has at most one.
ACTIVE_RUN_STATUSES = (AgendaRunStatus.queued.value, AgendaRunStatus.running.value)


LIVE = "status <> 'cancelled'"
ACTIVE = "status IN ('queued', 'running')"


class Meeting(TimestampMixin, Base):
    """A meeting of two participants of an event in one slot at one table.

    ``a_participation_id`` < ``b_participation_id``: a pair has one spelling."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("a_participation_id < b_participation_id", name="pair_order"),
        CheckConstraint("table_number >= 1", name="table_positive"),
        CheckConstraint("weight >= 0", name="weight_non_negative"),
        CheckConstraint(_in("origin", MeetingOrigin), name="origin"),
        CheckConstraint(_in("status", MeetingStatus), name="status"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index(
            "uq_meetings_slot_table_live",
            "slot_id",
            "table_number",
            unique=True,
            sqlite_where=text(LIVE),
            postgresql_where=text(LIVE),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    a_participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    b_participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    slot_id: Mapped[int] = mapped_column(
        ForeignKey("event_slots.id", ondelete="CASCADE"), index=True
    )
    table_number: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.scheduled.value)
    # A locked meeting stays where it is when the agenda is built again.
    locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The accepted (or mutual) request the meeting answers, when there is one.
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_requests.id", ondelete="SET NULL"), index=True
    )
    # How much the optimiser valued it (required meetings carry the required weight).
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    # Optimistic concurrency: bumped on every change; an edit naming an older one is stale.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    slot: Mapped[Slot] = relationship(lazy="raise")
    a: Mapped[Participation] = relationship(foreign_keys=[a_participation_id], lazy="raise")
    b: Mapped[Participation] = relationship(foreign_keys=[b_participation_id], lazy="raise")


class MeetingSeat(Base):
    """One participant's seat in a live meeting: unique per slot, so that the database
    refuses a participant in two meetings at once. The service writes the two seats of a
    meeting with it and deletes them when the meeting is cancelled or removed."""

    __tablename__ = "meeting_seats"
    __table_args__ = (UniqueConstraint("slot_id", "participation_id"),)

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), primary_key=True
    )
    slot_id: Mapped[int] = mapped_column(
        ForeignKey("event_slots.id", ondelete="CASCADE"), index=True
    )


class AgendaRun(Base):
    """One build of an event's agenda by the optimiser, and what it achieved."""

    __tablename__ = "agenda_runs"
    __table_args__ = (
        CheckConstraint(_in("status", AgendaRunStatus), name="status"),
        CheckConstraint("time_limit_s > 0", name="time_limit_positive"),
        # At most one queued or running build per event (two clicks at once: one wins).
        Index(
            "uq_agenda_runs_event_active",
            "event_id",
            unique=True,
            sqlite_where=text(ACTIVE),
            postgresql_where=text(ACTIVE),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16), default=AgendaRunStatus.running.value)
    time_limit_s: Mapped[float] = mapped_column(Float)
    # The optimiser's result: optimal | feasible | partial | infeasible.
    result_status: Mapped[str | None] = mapped_column(String(16))
    required_unscheduled: Mapped[int | None] = mapped_column(Integer)
    weight: Mapped[float | None] = mapped_column(Float)
    breaks: Mapped[int | None] = mapped_column(Integer)
    weight_bound: Mapped[float | None] = mapped_column(Float)
    breaks_bound: Mapped[int | None] = mapped_column(Integer)
    seconds: Mapped[float | None] = mapped_column(Float)
    meetings_wanted: Mapped[int | None] = mapped_column(Integer)
    meetings_placed: Mapped[int | None] = mapped_column(Integer)
    meetings_locked: Mapped[int | None] = mapped_column(Integer)
    # A background build: who asked, when the worker last said it was alive, where it is
    # (instance | solving | writing), why it failed, and whether a cancel was asked.
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    phase: Mapped[str | None] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
