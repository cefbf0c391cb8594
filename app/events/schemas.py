"""API schemas of events, their days and breaks, slots and registrations (apart from the ORM)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from app.core.fields import CountryCode
from app.core.types import MAX_ID
from app.events.models import (
    EventStatus,
    PairingRule,
    ParticipationStatus,
    UnavailabilityKind,
)
from app.i18n import gettext as _

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _valid_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise PydanticCustomError(
            "timezone",
            _("%(zone)s is not an IANA time zone (e.g. Africa/Casablanca).", zone=repr(value)),
        ) from exc
    return value


TimeZoneName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    AfterValidator(_valid_timezone),
]


class BreakIn(BaseModel):
    """A time of the day without meetings (lunch, coffee), in the event's local time."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"label": "Lunch", "starts_at": "12:30", "ends_at": "14:00"}]
        },
    )

    label: Label
    starts_at: time
    ends_at: time

    @model_validator(mode="after")
    def _order(self) -> BreakIn:
        if self.starts_at >= self.ends_at:
            raise PydanticCustomError("break_order", _("A break must end after it starts."))
        return self


class DayIn(BaseModel):
    """One day of the event with its opening hours, its split into a morning and an
    afternoon session (``afternoon_from``; null: one session) and its breaks."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "day": "2027-03-16",
                    "opens_at": "09:00",
                    "closes_at": "17:30",
                    "afternoon_from": "14:00",
                    "breaks": [
                        {"label": "Coffee", "starts_at": "10:40", "ends_at": "11:00"},
                        {"label": "Lunch", "starts_at": "12:30", "ends_at": "14:00"},
                    ],
                }
            ]
        },
    )

    day: date
    opens_at: time
    closes_at: time
    afternoon_from: time | None = None
    breaks: list[BreakIn] = Field(default_factory=list, max_length=10)

    @model_validator(mode="after")
    def _hours(self) -> DayIn:
        if self.opens_at >= self.closes_at:
            raise PydanticCustomError("hours_order", _("The day must close after it opens."))
        if self.afternoon_from is not None and not (
            self.opens_at < self.afternoon_from < self.closes_at
        ):
            raise PydanticCustomError(
                "afternoon", _("The afternoon must start between opening and closing.")
            )
        ordered = sorted(self.breaks, key=lambda b: b.starts_at)
        for brk in ordered:
            if brk.starts_at < self.opens_at or brk.ends_at > self.closes_at:
                raise PydanticCustomError(
                    "break_hours",
                    _("The break %(label)s lies outside the opening hours.", label=brk.label),
                )
        for first, second in zip(ordered, ordered[1:], strict=False):
            if second.starts_at < first.ends_at:
                raise PydanticCustomError(
                    "break_overlap",
                    _("The breaks %(a)s and %(b)s overlap.", a=first.label, b=second.label),
                )
        return self


def _distinct_days(days: list[DayIn]) -> list[DayIn]:
    seen = [d.day for d in days]
    if len(set(seen)) != len(seen):
        raise PydanticCustomError("days", _("Each day can be given once."))
    return sorted(days, key=lambda d: d.day)


Days = Annotated[list[DayIn], Field(min_length=1, max_length=14), AfterValidator(_distinct_days)]

_EVENT_EXAMPLE: dict[str, Any] = {
    "name": "Euroffshore Casablanca",
    "description": "Two days of one-to-one meetings between European companies and call centres.",
    "venue": "Hyatt Regency Casablanca",
    "city": "Casablanca",
    "country": "MA",
    "timezone": "Africa/Casablanca",
    "slot_minutes": 20,
    "table_count": 24,
    "booth_mode": False,
    "registration_deadline": "2027-03-01T18:00:00Z",
    "request_deadline": "2027-03-12T18:00:00Z",
    "request_expiry_hours": 72,
    "request_quota": 15,
    "max_meetings_per_participant": 16,
    "pairing": "client_provider",
    "days": [DayIn.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
}


class _EventFields(BaseModel):
    description: LongText | None = None
    venue: ShortText | None = None
    city: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None = None
    country: CountryCode | None = None
    table_count: Annotated[int, Field(ge=1, le=1000)] | None = None
    booth_mode: bool = False
    registration_deadline: AwareDatetime | None = None
    request_deadline: AwareDatetime | None = None
    request_expiry_hours: Annotated[int, Field(ge=1, le=24 * 90)] | None = None
    request_quota: Annotated[int, Field(ge=1, le=1000)] | None = None
    max_meetings_per_participant: Annotated[int, Field(ge=1, le=200)] | None = None
    pairing: PairingRule = PairingRule.client_provider
    weight_set_id: Id | None = None


class EventCreate(_EventFields):
    """A new event (a draft). An organiser creates it for its own organisation; a platform
    administrator names the organiser organisation."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EVENT_EXAMPLE]})

    name: Name
    timezone: TimeZoneName
    slot_minutes: Annotated[int, Field(ge=10, le=60)] = 20
    days: Days
    organiser_id: Id | None = None

    @model_validator(mode="after")
    def _tables(self) -> EventCreate:
        if not self.booth_mode and self.table_count is None:
            raise PydanticCustomError(
                "tables", _("Give the number of tables, or choose booth mode.")
            )
        return self


class EventUpdate(BaseModel):
    """Fields to change; ``days`` replaces every day (with its breaks). ``version`` is the
    version read: an edit naming an older one is refused (someone else saved meanwhile)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"slot_minutes": 15, "table_count": 30, "version": 1}]},
    )

    name: Name | None = None
    description: LongText | None = None
    venue: ShortText | None = None
    city: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None = None
    country: CountryCode | None = None
    timezone: TimeZoneName | None = None
    slot_minutes: Annotated[int, Field(ge=10, le=60)] | None = None
    table_count: Annotated[int, Field(ge=1, le=1000)] | None = None
    booth_mode: bool | None = None
    registration_deadline: AwareDatetime | None = None
    request_deadline: AwareDatetime | None = None
    request_expiry_hours: Annotated[int, Field(ge=1, le=24 * 90)] | None = None
    request_quota: Annotated[int, Field(ge=1, le=1000)] | None = None
    max_meetings_per_participant: Annotated[int, Field(ge=1, le=200)] | None = None
    pairing: PairingRule | None = None
    weight_set_id: Id | None = None
    days: Days | None = None
    version: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class BreakRead(BaseModel):
    label: str
    starts_at: time
    ends_at: time


class DayRead(BaseModel):
    day: date
    opens_at: time
    closes_at: time
    afternoon_from: time | None
    breaks: list[BreakRead]


class EventRead(BaseModel):
    """An event; times of day are local to ``timezone``, moments are UTC."""

    id: int
    organiser_id: int
    organiser_name: str
    name: str
    description: str | None
    venue: str | None
    city: str | None
    country: str | None
    timezone: str
    slot_minutes: int
    table_count: int | None
    booth_mode: bool
    registration_deadline: datetime | None
    request_deadline: datetime | None
    request_expiry_hours: int | None
    request_quota: int | None
    max_meetings_per_participant: int | None
    pairing: PairingRule
    weight_set_id: int | None
    status: EventStatus
    version: int
    days: list[DayRead]
    slot_count: int
    # The status actions the viewer may take now (empty for non-organisers).
    actions: list[str] = Field(default_factory=list)


class StatusChange(BaseModel):
    """A named status action: open_registration, open_requests, start_scheduling,
    reopen_requests, publish, close."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"action": "open_registration"}]}
    )

    action: Annotated[str, StringConstraints(min_length=1, max_length=40)]


class SlotRead(BaseModel):
    id: int
    position: int
    day: date
    session: str
    starts_at: datetime
    ends_at: datetime
    # The same moments on the event's wall clock (ISO, with the offset).
    local_starts_at: datetime
    local_ends_at: datetime


# --- registrations ---------------------------------------------------------------------------


class AttendeeIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "full_name": "Claire Martin",
                    "job_title": "Head of customer care",
                    "email": "claire.martin@example.com",
                    "phone": "+33 6 12 34 56 78",
                }
            ]
        },
    )

    full_name: Name
    job_title: ShortText | None = None
    email: (
        Annotated[
            str,
            StringConstraints(
                strip_whitespace=True, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
            ),
        ]
        | None
    ) = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None


class AwayIn(BaseModel):
    """A time the participant is away: a whole ``day``, a half day (``day`` and ``half``:
    morning or afternoon session) or one slot (``slot_id``)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"kind": "half_day", "day": "2027-03-16", "half": "afternoon"},
                {"kind": "slot", "slot_id": 12},
            ]
        },
    )

    kind: UnavailabilityKind
    day: date | None = None
    half: Literal["morning", "afternoon"] | None = None
    slot_id: Id | None = None

    @model_validator(mode="after")
    def _shape(self) -> AwayIn:
        if self.kind in (UnavailabilityKind.day, UnavailabilityKind.half_day) and self.day is None:
            raise PydanticCustomError("away_day", _("Name the day."))
        if self.kind == UnavailabilityKind.half_day and self.half is None:
            raise PydanticCustomError("away_half", _("Say which half of the day."))
        if self.kind == UnavailabilityKind.slot and self.slot_id is None:
            raise PydanticCustomError("away_slot", _("Name the slot."))
        return self


class RegistrationIn(BaseModel):
    """A registration: who attends, when the organisation is away, how many meetings it
    wants at most, and for a call centre in booth mode its table. ``organisation_id`` is for
    organisers registering a company on its behalf."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "attendees": [AttendeeIn.model_config["json_schema_extra"]["examples"][0]],  # type: ignore[index]
                    "away": [{"kind": "half_day", "day": "2027-03-16", "half": "afternoon"}],
                    "max_meetings": 12,
                    "booth_table": None,
                }
            ]
        },
    )

    organisation_id: Id | None = None
    attendees: list[AttendeeIn] = Field(default_factory=list, max_length=20)
    away: list[AwayIn] = Field(default_factory=list, max_length=200)
    max_meetings: Annotated[int, Field(ge=1, le=200)] | None = None
    booth_table: Annotated[int, Field(ge=1, le=1000)] | None = None


class RegistrationUpdate(BaseModel):
    """Replace the attendees, the times away, the maximum of meetings, the booth table."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"max_meetings": 10, "version": 1}]}
    )

    attendees: list[AttendeeIn] | None = Field(default=None, max_length=20)
    away: list[AwayIn] | None = Field(default=None, max_length=200)
    max_meetings: Annotated[int, Field(ge=1, le=200)] | None = None
    booth_table: Annotated[int, Field(ge=1, le=1000)] | None = None
    version: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class RefusalIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reason": "The event is full for call centres."}]},
    )

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class AttendeeRead(BaseModel):
    id: int
    full_name: str
    job_title: str | None
    email: str | None
    phone: str | None


class AwayRead(BaseModel):
    kind: UnavailabilityKind
    starts_at: datetime
    ends_at: datetime


class RegistrationRead(BaseModel):
    """A registration with its private details (the organisation and organisers only)."""

    id: int
    event_id: int
    organisation_id: int
    organisation_name: str
    organisation_kind: str
    status: ParticipationStatus
    refusal_reason: str | None
    max_meetings: int | None
    booth_table: int | None
    attendees: list[AttendeeRead]
    away: list[AwayRead]
    created_at: datetime
    version: int


class ParticipantPublic(BaseModel):
    """What every participant may see of another approved participant."""

    id: int
    organisation_id: int
    organisation_name: str
    organisation_kind: str
    country: str
    city: str | None
    booth_table: int | None


class RegistrationPage(BaseModel):
    items: list[RegistrationRead]
    total: int


class ParticipantPage(BaseModel):
    items: list[ParticipantPublic]
    total: int
