"""Meetings to offer outside the event pages: a client and a call centre already in contact
through the directory (an accepted expression of interest) are offered "ask to meet at
<event>" for every event both attend with requests open; and the events a viewer attends,
for the directory's recommendation pages to link to their catalogues."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from app.accounts.models import User
from app.events.models import (
    Event,
    EventStatus,
    MeetingRequest,
    Participation,
    ParticipationStatus,
)
from app.needs.models import InterestStatus, Need, NeedInterest
from app.organisations.models import Organisation


@dataclass(frozen=True)
class MeetingOffer:
    """ "Ask <other> to meet at <event>", with the pair's request status if one exists."""

    event_id: int
    event_name: str
    other_organisation_id: int
    other_name: str
    other_participation_id: int
    request_status: str | None


@dataclass(frozen=True)
class AttendedEvent:
    event_id: int
    name: str
    status: str


def contacts_of(*, db_session: Session, organisation_id: int) -> set[int]:
    """Organisations in contact with ``organisation_id`` through an accepted interest."""
    accepted = NeedInterest.status == InterestStatus.accepted.value
    as_client = select(NeedInterest.provider_id).join(Need, Need.id == NeedInterest.need_id)
    as_client = as_client.where(Need.organisation_id == organisation_id, accepted)
    as_provider = (
        select(Need.organisation_id)
        .join(NeedInterest, NeedInterest.need_id == Need.id)
        .where(NeedInterest.provider_id == organisation_id, accepted)
    )
    return set(db_session.scalars(as_client.union(as_provider)))


def meeting_offers(
    *, db_session: Session, user: User | None, others: Sequence[int] | None = None
) -> list[MeetingOffer]:
    """Offers for the viewer's organisation: its directory contacts (or those of ``others``
    that are contacts) attending an event with it, requests open (three queries)."""
    if user is None or user.organisation_id is None:
        return []
    me = user.organisation_id
    contacts = contacts_of(db_session=db_session, organisation_id=me)
    if others is not None:
        contacts &= set(others)
    if not contacts:
        return []
    mine, theirs = aliased(Participation), aliased(Participation)
    approved = ParticipationStatus.approved.value
    rows = db_session.execute(
        select(Event.id, Event.name, Organisation.id, Organisation.legal_name, theirs.id, mine.id)
        .join(mine, and_(mine.event_id == Event.id, mine.organisation_id == me))
        .join(theirs, theirs.event_id == Event.id)
        .join(Organisation, Organisation.id == theirs.organisation_id)
        .where(
            Event.status == EventStatus.requests_open.value,
            mine.status == approved,
            theirs.status == approved,
            theirs.organisation_id.in_(list(contacts)),
        )
        .order_by(Event.id, Organisation.legal_name)
    ).all()
    if not rows:
        return []
    pairs = {(min(r[4], r[5]), max(r[4], r[5])) for r in rows}
    statuses = {
        (low, high): status
        for low, high, status in db_session.execute(
            select(MeetingRequest.pair_low, MeetingRequest.pair_high, MeetingRequest.status).where(
                MeetingRequest.event_id.in_({r[0] for r in rows}),
                MeetingRequest.pair_low.in_({p[0] for p in pairs}),
                MeetingRequest.pair_high.in_({p[1] for p in pairs}),
            )
        )
    }
    return [
        MeetingOffer(
            event_id=eid,
            event_name=name,
            other_organisation_id=oid,
            other_name=other,
            other_participation_id=theirs_id,
            request_status=statuses.get((min(theirs_id, mine_id), max(theirs_id, mine_id))),
        )
        for eid, name, oid, other, theirs_id, mine_id in rows
    ]


def attended_events(*, db_session: Session, user: User | None) -> list[AttendedEvent]:
    """Events the viewer's organisation attends (approved), not closed, soonest id first."""
    if user is None or user.organisation_id is None:
        return []
    rows = db_session.execute(
        select(Event.id, Event.name, Event.status)
        .join(Participation, Participation.event_id == Event.id)
        .where(
            Participation.organisation_id == user.organisation_id,
            Participation.status == ParticipationStatus.approved.value,
            Event.status.in_(
                [
                    EventStatus.registration_open.value,
                    EventStatus.requests_open.value,
                    EventStatus.scheduling.value,
                    EventStatus.published.value,
                ]
            ),
        )
        .order_by(Event.id)
    ).all()
    return [AttendedEvent(eid, name, status) for eid, name, status in rows]
