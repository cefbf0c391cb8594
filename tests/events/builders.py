"""Builders of events for tests: a draft or open event run by an organiser organisation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.events import service
from app.events.models import Event, EventStatus, Participation
from app.events.schemas import EventCreate

# Relative to today, so that deadlines stay ahead whenever the tests run.
FIRST_DAY = date.today() + timedelta(days=60)
NOW = datetime.combine(date.today(), datetime.min.time(), tzinfo=UTC) + timedelta(hours=9)
REGISTRATION_DEADLINE = datetime.combine(FIRST_DAY - timedelta(days=15), datetime.min.time(), UTC)
REQUEST_DEADLINE = datetime.combine(FIRST_DAY - timedelta(days=4), datetime.min.time(), UTC)


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
        "registration_deadline": REGISTRATION_DEADLINE.isoformat(),
        "request_deadline": REQUEST_DEADLINE.isoformat(),
        "max_meetings_per_participant": 16,
        "days": [day_payload(), day_payload(FIRST_DAY + timedelta(days=1))],
        **overrides,
    }


def event(
    db_session: Session,
    organiser_id: int,
    *,
    status: str = EventStatus.draft.value,
    **overrides: Any,
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


def participation(
    db_session: Session,
    event_row: Event,
    organisation_id: int,
    *,
    status: str = "pending",
    **overrides: Any,
) -> Participation:
    """A registration written directly (the rules are the service's tests' business)."""
    row = Participation(
        event_id=event_row.id, organisation_id=organisation_id, status=status, **overrides
    )
    db_session.add(row)
    db_session.commit()
    return row


def event_form(**overrides: str) -> dict[str, str]:
    """The editor's posted fields for a valid two-day event."""
    return {
        "name": "Rencontres Offshore Rabat",
        "venue": "Sofitel Rabat",
        "city": "Rabat",
        "country": "MA",
        "timezone": "Africa/Casablanca",
        "slot_minutes": "20",
        "table_count": "12",
        "pairing": "client_provider",
        "days.0.day": FIRST_DAY.isoformat(),
        "days.0.opens_at": "09:00",
        "days.0.closes_at": "17:00",
        "days.0.afternoon_from": "14:00",
        "breaks.0.label": "Déjeuner",
        "breaks.0.day": "",
        "breaks.0.starts_at": "12:30",
        "breaks.0.ends_at": "14:00",
        "action": "save",
        **overrides,
    }
