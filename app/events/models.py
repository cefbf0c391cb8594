"""ORM models of an event: its days, breaks and slots, the organisations registered for it
(participations, with the people who attend and the times they are away), the meeting
requests between participants and their preferences about one another.

Times of day (opening hours, breaks) are wall-clock times in the event's IANA time zone;
moments (slots, deadlines, unavailability) are stored in UTC like every other moment.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, TimestampMixin, UTCDateTime, utcnow
from app.organisations.models import Organisation


def _in(column: str, values: Iterable[object]) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class EventStatus(enum.StrEnum):
    """The life of an event; only the transitions in ``STATUS_TRANSITIONS`` are legal."""

    draft = "draft"
    registration_open = "registration_open"
    requests_open = "requests_open"
    scheduling = "scheduling"
    published = "published"
    closed = "closed"


class PairingRule(enum.StrEnum):
    """Which participants may meet: a client with a call centre (the default), or any pair."""

    client_provider = "client_provider"
    any = "any"


class ParticipationStatus(enum.StrEnum):
    pending = "pending"
    approved = "approved"
    refused = "refused"
    withdrawn = "withdrawn"


class UnavailabilityKind(enum.StrEnum):
    day = "day"
    half_day = "half_day"
    slot = "slot"


class RequestStatus(enum.StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"
    cancelled = "cancelled"
    expired = "expired"


class PreferenceLevel(enum.StrEnum):
    must_meet = "must_meet"
    would_like = "would_like"
    no_thanks = "no_thanks"


class Event(TimestampMixin, Base):
    """A business-dating event run by an organiser organisation."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(_in("status", EventStatus), name="status"),
        CheckConstraint(_in("pairing", PairingRule), name="pairing"),
        CheckConstraint("slot_minutes >= 10 AND slot_minutes <= 60", name="slot_minutes_range"),
        CheckConstraint("booth_mode OR table_count >= 1", name="tables_or_booths"),
        CheckConstraint("table_count IS NULL OR table_count >= 1", name="table_count_positive"),
        CheckConstraint(
            "max_meetings_per_participant IS NULL OR max_meetings_per_participant >= 1",
            name="max_meetings_positive",
        ),
        CheckConstraint("request_quota IS NULL OR request_quota >= 1", name="quota_positive"),
        CheckConstraint(
            "request_expiry_hours IS NULL OR request_expiry_hours >= 1", name="expiry_positive"
        ),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The organiser organisation that runs the event (its members manage it).
    organiser_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    venue: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    country: Mapped[str | None] = mapped_column(String(2))
    # IANA time zone name (Africa/Casablanca); hours and breaks are local to it.
    timezone: Mapped[str] = mapped_column(String(64))
    slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    # Tables in the room; in booth mode each call centre keeps its own numbered table.
    table_count: Mapped[int | None] = mapped_column(Integer)
    booth_mode: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    registration_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    request_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A pending request expires this many hours after it was sent (null: at the deadline).
    request_expiry_hours: Mapped[int | None] = mapped_column(Integer)
    # Outgoing requests a participant may have pending or accepted (null: no quota).
    request_quota: Mapped[int | None] = mapped_column(Integer)
    max_meetings_per_participant: Mapped[int | None] = mapped_column(Integer)
    pairing: Mapped[str] = mapped_column(String(20), default=PairingRule.client_provider.value)
    weight_set_id: Mapped[int | None] = mapped_column(
        ForeignKey("scoring_weight_sets.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(20), default=EventStatus.draft.value, index=True)
    # Optimistic concurrency: bumped on every change; an edit naming an older one is stale.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    organiser: Mapped[Organisation] = relationship(lazy="raise")
    days: Mapped[list[EventDay]] = relationship(
        back_populates="event",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="EventDay.day",
    )


class EventDay(Base):
    """One day of an event with its opening hours; ``afternoon_from`` splits the day into a
    morning and an afternoon session (null: one session)."""

    __tablename__ = "event_days"
    __table_args__ = (
        UniqueConstraint("event_id", "day"),
        CheckConstraint("opens_at < closes_at", name="hours_order"),
        CheckConstraint(
            "afternoon_from IS NULL OR (afternoon_from > opens_at AND afternoon_from < closes_at)",
            name="afternoon_within_hours",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    opens_at: Mapped[time] = mapped_column(Time)
    closes_at: Mapped[time] = mapped_column(Time)
    afternoon_from: Mapped[time | None] = mapped_column(Time)

    event: Mapped[Event] = relationship(back_populates="days", lazy="raise")
    breaks: Mapped[list[EventBreak]] = relationship(
        back_populates="event_day",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="EventBreak.starts_at",
    )


class EventBreak(Base):
    """A time of a day that holds no meetings (lunch, coffee)."""

    __tablename__ = "event_breaks"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="order"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_day_id: Mapped[int] = mapped_column(
        ForeignKey("event_days.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(80))
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)

    event_day: Mapped[EventDay] = relationship(back_populates="breaks", lazy="raise")


class Slot(Base):
    """A meeting slot, generated from the days, hours, slot length and breaks."""

    __tablename__ = "event_slots"
    __table_args__ = (
        UniqueConstraint("event_id", "position"),
        UniqueConstraint("event_id", "starts_at"),
        CheckConstraint("starts_at < ends_at", name="order"),
        CheckConstraint("position >= 0", name="position_non_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    event_day_id: Mapped[int] = mapped_column(
        ForeignKey("event_days.id", ondelete="CASCADE"), index=True
    )
    # Chronological rank within the event, from 0.
    position: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The session label the optimiser sees ("d1-am", "d1-pm", "d2-am"...).
    session: Mapped[str] = mapped_column(String(20))


class Participation(TimestampMixin, Base):
    """An organisation registered for an event (one per organisation and event)."""

    __tablename__ = "participations"
    __table_args__ = (
        UniqueConstraint("event_id", "organisation_id"),
        # In booth mode a table belongs to one call centre.
        UniqueConstraint("event_id", "booth_table"),
        CheckConstraint(_in("status", ParticipationStatus), name="status"),
        CheckConstraint("max_meetings IS NULL OR max_meetings >= 0", name="max_meetings"),
        CheckConstraint("booth_table IS NULL OR booth_table >= 1", name="booth_table_positive"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(
        String(16), default=ParticipationStatus.pending.value, index=True
    )
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    max_meetings: Mapped[int | None] = mapped_column(Integer)
    booth_table: Mapped[int | None] = mapped_column(Integer)
    # Registered by the organisation itself or, on its behalf, by an organiser.
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    event: Mapped[Event] = relationship(lazy="raise")
    organisation: Mapped[Organisation] = relationship(lazy="raise")
    attendees: Mapped[list[Attendee]] = relationship(
        back_populates="participation",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Attendee.id",
    )
    unavailabilities: Mapped[list[Unavailability]] = relationship(
        back_populates="participation",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Unavailability.starts_at",
    )


class Attendee(Base):
    """A person who attends the event for a participating organisation."""

    __tablename__ = "attendees"
    __table_args__ = (CheckConstraint("length(full_name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    full_name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    # A user account of the organisation, when the person has one.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    participation: Mapped[Participation] = relationship(back_populates="attendees", lazy="raise")


class Unavailability(Base):
    """A time a participant is away: a whole day, a half day or a single slot (in UTC, so
    that it survives a regeneration of the slots)."""

    __tablename__ = "participation_unavailabilities"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="order"),
        CheckConstraint(_in("kind", UnavailabilityKind), name="kind"),
        UniqueConstraint("participation_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    participation_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())

    participation: Mapped[Participation] = relationship(
        back_populates="unavailabilities", lazy="raise"
    )


class MeetingRequest(Base):
    """A request from one participant to meet another at an event.

    One request per pair and event, whoever sent it: ``pair_low``/``pair_high`` are the two
    participation ids in order, and the database holds them unique, so a double click, a
    retried POST or two people of one company asking at once leave one request.
    """

    __tablename__ = "meeting_requests"
    __table_args__ = (
        UniqueConstraint("event_id", "pair_low", "pair_high"),
        CheckConstraint("sender_id <> recipient_id", name="not_self"),
        CheckConstraint("pair_low < pair_high", name="pair_order"),
        CheckConstraint(
            "(pair_low = sender_id AND pair_high = recipient_id)"
            " OR (pair_low = recipient_id AND pair_high = sender_id)",
            name="pair_matches",
        ),
        CheckConstraint(_in("status", RequestStatus), name="status"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    pair_low: Mapped[int] = mapped_column(Integer)
    pair_high: Mapped[int] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=RequestStatus.pending.value, index=True)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When a pending request expires (the request deadline, or sooner by the event's rule).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    sender: Mapped[Participation] = relationship(foreign_keys=[sender_id], lazy="raise")
    recipient: Mapped[Participation] = relationship(foreign_keys=[recipient_id], lazy="raise")


class Preference(TimestampMixin, Base):
    """What one participant thinks of meeting another: must meet, would like, no thanks."""

    __tablename__ = "meeting_preferences"
    __table_args__ = (
        UniqueConstraint("owner_id", "target_id"),
        CheckConstraint("owner_id <> target_id", name="not_self"),
        CheckConstraint(_in("level", PreferenceLevel), name="level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        ForeignKey("participations.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[str] = mapped_column(String(12))
