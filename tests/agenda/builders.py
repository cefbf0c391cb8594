"""A small event for the agenda tests: two days (a morning, a break, an afternoon; then one
session), two clients and two call centres, their requests, preferences, times away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.agenda.models import Meeting, MeetingOrigin
from app.agenda.service import add_meeting
from app.events import service as events_service
from app.events.models import Event, EventStatus, MeetingRequest, Participation, Unavailability
from tests import factories
from tests.events.builders import FIRST_DAY, day_payload
from tests.events.builders import event as make_event
from tests.matchmaking import builders as mm

ZONE = "Europe/Paris"


def days() -> list[dict[str, Any]]:
    return [
        day_payload(
            FIRST_DAY,
            opens_at="09:00",
            closes_at="11:00",
            afternoon_from="10:00",
            breaks=[{"label": "Coffee", "starts_at": "09:40", "ends_at": "10:00"}],
        ),
        day_payload(
            FIRST_DAY + timedelta(days=1),
            opens_at="09:00",
            closes_at="10:00",
            afternoon_from=None,
            breaks=[],
        ),
    ]


def local(day_offset: int, hour: int, minute: int) -> datetime:
    return datetime.combine(
        FIRST_DAY + timedelta(days=day_offset), time(hour, minute), tzinfo=ZoneInfo(ZONE)
    )


@dataclass
class Scene:
    event: Event
    c1: Participation
    c2: Participation
    c3: Participation  # pending: not in the agenda
    p1: Participation
    p2: Participation
    accepted: MeetingRequest  # c1 -> p1
    pending: MeetingRequest  # c2 -> p1, p1 would like c2 too: mutual
    locked: Meeting  # c2 - p2, placed by an organiser


def scene(db_session: Session, **event_overrides: Any) -> Scene:
    organiser = factories.organisation(db_session, kind="organiser", country="FR")
    settings: dict[str, Any] = {
        "timezone": ZONE,
        "table_count": 3,
        "max_meetings_per_participant": 3,
        "days": days(),
        **event_overrides,
    }
    row = make_event(db_session, organiser.id, status=EventStatus.requests_open.value, **settings)
    _u, c1 = mm.client(db_session, row, name="Client Un", with_need=False)
    _u, c2 = mm.client(db_session, row, name="Client Deux", with_need=False)
    _u, c3 = mm.client(db_session, row, name="Client Trois", with_need=False, status="pending")
    _u, p1 = mm.provider(db_session, row, name="Centre Un")
    _u, p2 = mm.provider(db_session, row, name="Centre Deux")
    c1.max_meetings = 2
    db_session.add(
        Unavailability(
            participation_id=c2.id, kind="day", starts_at=local(1, 9, 0), ends_at=local(1, 10, 0)
        )
    )
    db_session.commit()
    accepted = mm.request(db_session, row, c1, p1, status="accepted")
    pending = mm.request(db_session, row, c2, p1)
    mm.preference(db_session, row, p1, c2, "would_like")
    mm.preference(db_session, row, c1, p2, "must_meet")
    mm.request(db_session, row, c3, p2)  # c3 is not approved: no meeting
    slots = events_service.slots_of(db_session=db_session, event_id=row.id)
    locked = add_meeting(
        db_session,
        Meeting(
            event_id=row.id,
            a_participation_id=min(c2.id, p2.id),
            b_participation_id=max(c2.id, p2.id),
            slot_id=slots[2].id,
            table_number=2,
            origin=MeetingOrigin.organiser.value,
            locked=True,
            weight=1.0,
        ),
    )
    db_session.commit()
    return Scene(row, c1, c2, c3, p1, p2, accepted, pending, locked)
