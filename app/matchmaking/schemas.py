"""API shapes of the participant catalogue, meeting requests and preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.core.types import MAX_ID
from app.events.models import PreferenceLevel

Message = Annotated[str | None, Field(default=None, max_length=2000)]


class MeetingRequestIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"recipient_id": 12, "message": "Nous cherchons 40 conseillers FR."}]
        },
    )

    recipient_id: int = Field(ge=1, le=MAX_ID, description="The participation id of the recipient")
    message: Message = None


class DeclineIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "No French team this year."}]}
    )

    reason: Annotated[str | None, Field(default=None, max_length=1000)] = None


class PreferenceIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"level": "would_like"}]}
    )

    level: PreferenceLevel


class PreferenceRead(BaseModel):
    participant_id: int
    level: PreferenceLevel


class MeetingRequestRead(BaseModel):
    id: int
    event_id: int
    sender_id: int
    sender_name: str
    recipient_id: int
    recipient_name: str
    message: str | None
    status: str
    decline_reason: str | None
    created_at: datetime
    expires_at: datetime | None
    answered_at: datetime | None
    direction: str | None = Field(
        None, description="'sent' or 'received' for one of its sides; null for an organiser"
    )
    mutual: bool = Field(False, description="Both sides want to meet")
    outcome: str | None = Field(
        None,
        description=(
            "Of a send: 'created' (201), 'existing' (the pair's request again, 200), 'mutual'"
            " (the other side's pending request to you accepted, 200) or 'reopened' (201)"
        ),
    )


class MeetingRequestsPage(BaseModel):
    items: list[MeetingRequestRead]
    total: int
    limit: int
    offset: int


class LanguageRead(BaseModel):
    language: str
    level: str


class NeedBrief(BaseModel):
    id: int
    title: str


class ReasonRead(BaseModel):
    criterion: str
    label: str
    points: float
    max_points: float
    sentence: str


class RequestBrief(BaseModel):
    id: int
    status: str
    direction: str


class ParticipantRead(BaseModel):
    participation_id: int
    organisation_id: int
    name: str
    kind: str
    country: str
    city: str | None
    verified: bool
    seats_now: int | None = None
    seats_total: int | None = None
    languages: list[LanguageRead] = []
    services: list[str] = []
    sectors: list[str] = []
    needs: list[NeedBrief] = Field(
        [], description="The client's open needs you may see (anonymous ones stay hidden)"
    )
    score: float | None = Field(None, description="Your fit with this participant (0–100)")
    reasons: list[ReasonRead] = []
    request: RequestBrief | None = None
    my_preference: PreferenceLevel | None = None
    mutual: bool = False


class ParticipantsPage(BaseModel):
    items: list[ParticipantRead]
    total: int
    limit: int
    offset: int
    recommended: list[ParticipantRead]
