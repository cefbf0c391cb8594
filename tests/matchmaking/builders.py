"""Builders of events, participants and requests for the matchmaking tests: model rows
inserted directly (they commit, like a finished earlier request)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.accounts.models import User
from app.events.models import (
    Event,
    MeetingRequest,
    Participation,
    Preference,
)
from app.organisations.models import Organisation
from tests import factories
from tests.accounts.factories import user
from tests.needs.builders import need
from tests.recommendations.builders import centre

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def event(db_session: Session, organiser: Organisation | None = None, **overrides: Any) -> Event:
    """An event in "requests open" with its deadline a month after ``NOW``."""
    if organiser is None:
        organiser = factories.organisation(db_session, kind="organiser", country="MA")
    row = Event(
        organiser_id=organiser.id,
        name=overrides.pop("name", "Euroffshore Casablanca"),
        timezone="Africa/Casablanca",
        slot_minutes=20,
        table_count=20,
        status=overrides.pop("status", "requests_open"),
        request_deadline=overrides.pop("request_deadline", NOW + timedelta(days=30)),
        **overrides,
    )
    db_session.add(row)
    db_session.commit()
    return row


def participate(
    db_session: Session, event: Event, organisation: Organisation, status: str = "approved"
) -> Participation:
    row = Participation(event_id=event.id, organisation_id=organisation.id, status=status)
    db_session.add(row)
    db_session.commit()
    return row


def client(
    db_session: Session,
    event: Event,
    *,
    name: str | None = None,
    need_overrides: Any = None,
    with_need: bool = True,
    status: str = "approved",
) -> tuple[User, Participation]:
    """A client company (its admin user) registered at ``event`` with one open need."""
    org = factories.organisation(
        db_session, kind="client", **({"legal_name": name} if name else {})
    )
    member = user(db_session, organisation=org)
    if with_need:
        need(db_session, org.id, status="open", **(need_overrides or {}))
    return member, participate(db_session, event, org, status)


def provider(
    db_session: Session, event: Event, *, name: str, status: str = "approved", **traits: Any
) -> tuple[User, Participation]:
    """A published call centre (its admin user) registered at ``event``."""
    profile = centre(db_session, name, **traits)
    org = db_session.get(Organisation, profile.organisation_id)
    assert org is not None
    member = user(db_session, organisation=org)
    return member, participate(db_session, event, org, status)


def request(
    db_session: Session,
    event: Event,
    sender: Participation,
    recipient: Participation,
    status: str = "pending",
    **overrides: Any,
) -> MeetingRequest:
    row = MeetingRequest(
        event_id=event.id,
        sender_id=sender.id,
        recipient_id=recipient.id,
        pair_low=min(sender.id, recipient.id),
        pair_high=max(sender.id, recipient.id),
        status=status,
        created_at=overrides.pop("created_at", NOW),
        **overrides,
    )
    db_session.add(row)
    db_session.commit()
    return row


def preference(
    db_session: Session, event: Event, owner: Participation, target: Participation, level: str
) -> Preference:
    row = Preference(event_id=event.id, owner_id=owner.id, target_id=target.id, level=level)
    db_session.add(row)
    db_session.commit()
    return row
