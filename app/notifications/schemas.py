"""API shapes of notifications (never the ORM class)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class NotificationRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 12,
                    "kind": "request_received",
                    "text": "Atlas Contact asks to meet you at Euroffshore Casablanca",
                    "link": "/events/3/requests",
                    "url": "https://euroffshore.example/events/3/requests",
                    "event_id": 3,
                    "created_at": "2026-12-04T09:30:00Z",
                    "read_at": None,
                    "unread": True,
                }
            ]
        }
    )

    id: int
    kind: str = Field(description="What happened (request_received, registration_approved...)")
    text: str = Field(description="One line, in the language of the request")
    link: str | None = Field(description="Where the notice leads in the app (a path)")
    url: str | None = Field(description="The same link as an absolute URL")
    event_id: int | None
    created_at: datetime
    read_at: datetime | None
    unread: bool


class ReadAllResult(BaseModel):
    marked: int = Field(description="How many notifications were unread and are now read")
    unread: int = Field(description="Unread notifications left (0)")
