"""API schemas of the agenda: the draft's meetings and its summary."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ParticipantRef(BaseModel):
    participation_id: int
    organisation_id: int
    name: str
    kind: str


class MeetingRead(BaseModel):
    id: int
    slot_id: int
    slot_position: int
    session: str
    starts_at: datetime
    ends_at: datetime
    # The same moments on the event's wall clock (ISO, with the offset).
    local_starts_at: datetime
    local_ends_at: datetime
    table: int
    a: ParticipantRef
    b: ParticipantRef
    origin: str
    status: str
    locked: bool
    request_id: int | None
    version: int


class LeftOutRead(BaseModel):
    a_participation_id: int
    b_participation_id: int
    a_name: str
    b_name: str
    origin: str
    reason: str
    reason_text: str


class ParticipantBreaks(BaseModel):
    participation_id: int
    meetings: int
    breaks: int


class SummaryRead(BaseModel):
    meetings: int
    by_origin: dict[str, int]
    required_wanted: int
    left_out: list[LeftOutRead]
    total_breaks: int
    participants: list[ParticipantBreaks]
    few: int
    few_meetings: list[int]


class RunRead(BaseModel):
    id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    result_status: str | None
    required_unscheduled: int | None
    weight: float | None
    weight_bound: float | None
    breaks: int | None
    breaks_bound: int | None
    seconds: float | None


class AgendaRead(BaseModel):
    event_id: int
    meetings: list[MeetingRead]
    summary: SummaryRead
    last_run: RunRead | None


class BuildCreate(BaseModel):
    """A build of the agenda: the optimiser's wall-clock budget in seconds."""

    time_limit_s: float = Field(default=30.0, gt=0, le=600)


class BuildRead(BaseModel):
    """A background build of the agenda and its progress."""

    id: int
    event_id: int
    status: str
    phase: str | None
    started_at: datetime
    finished_at: datetime | None
    heartbeat_at: datetime | None
    time_limit_s: float
    error: str | None
    cancel_requested: bool
    result_status: str | None
    meetings_wanted: int | None
    meetings_placed: int | None
    required_unscheduled: int | None
    breaks: int | None
    breaks_bound: int | None
    weight: float | None
    weight_bound: float | None
    seconds: float | None
