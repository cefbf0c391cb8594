"""Builders of events for tests: a draft or open event run by an organiser organisation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.events import service
from app.events.models import Event, EventStatus
from app.events.schemas import EventCreate

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
FIRST_DAY = date(2027, 3, 16)


def day_payload(day: date = FIRST_DAY, **overrides: Any) -> dict[str, Any]:
    return {
        "day": day.isoformat(),
        "opens_at": "09:00",
        "closes_at": "17:30",
        "afternoon_from": "14:00",
        "breaks": [
            {"label": "Coffee", "starts_at": "10:40", "ends_at": "11:00"},
            {"label": "Lunch", "starts_at": "12:30", "ends_at": "14:00"},
        ],
        **overrides,
    }


def event_payload(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Euroffshore Test Days",
        "venue": "Hyatt Regency Casablanca",
        "city": "Casablanca",
        "country": "MA",
        "timezone": "Africa/Casablanca",
        "slot_minutes": 20,
        "table_count": 24,
        "registration_deadline": "2027-03-01T18:00:00+00:00",
        "request_deadline": "2027-03-12T18:00:00+00:00",
        "max_meetings_per_participant": 16,
        "days": [day_payload(), day_payload(FIRST_DAY + timedelta(days=1))],
        **overrides,
    }


def event(
    db_session: Session, organiser_id: int, *, status: str = EventStatus.draft.value, **overrides: Any
) -> Event:
    created = service.create_event(
        db_session=db_session,
        organiser_id=organiser_id,
        data=EventCreate.model_validate(event_payload(**overrides)),
        now=NOW,
    )
    created.status = status
    db_session.commit()
    return service.get_event(db_session=db_session, event_id=created.id)
