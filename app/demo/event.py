"""The demo event: "Euroffshore Casablanca", open for meeting requests, with most demo
organisations registered and a realistic mix of requests and preferences.

Deterministic from the demo seed and the reference date. ``participants`` scales the event
for benchmarks: the organisations it lacks are created, and the rows are bulk-inserted.
Requests and preferences are written directly (the request workflow belongs to
app/matchmaking), each pair once with ``pair_low``/``pair_high`` in order, as the model wants.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.db import utcnow
from app.events import service
from app.events.models import (
    Attendee,
    Event,
    MeetingRequest,
    Participation,
    ParticipationStatus,
    Preference,
    PreferenceLevel,
    RequestStatus,
    Unavailability,
    UnavailabilityKind,
)
from app.events.schemas import EventCreate
from app.organisations import service as organisations
from app.organisations.models import Organisation
from app.organisations.schemas import OrganisationCreate

EVENT_NAME = "Euroffshore Casablanca"
#: The event starts this many days after the demo's reference date.
DAYS_AHEAD = 21
#: Approved participants who have sent and received nothing yet (the dashboard's "remind them").
QUIET = 3
#: Share of the demo organisations registered (the others stay out, as in real life).
REGISTERED_SHARE = 0.85
PENDING = 3
REFUSED = 1
#: Requests each participant sends to the other side (fewer when a pair exists already).
REQUESTS_PER_PARTICIPANT = 6
# How requests end up, in shares (the rest pending).
REQUEST_MIX = (
    (RequestStatus.accepted, 0.35),
    (RequestStatus.declined, 0.15),
    (RequestStatus.expired, 0.07),
    (RequestStatus.cancelled, 0.03),
)
FIRST_NAMES = (
    "Claire", "Julien", "Sophie", "Karim", "Nadia", "Youssef", "Laura", "Pablo", "Inès",
    "Mehdi", "Camille", "Thomas", "Salma", "Omar", "Lucía", "Hugo", "Fatima", "Marc",
)  # fmt: skip
LAST_NAMES = (
    "Martin", "Bernard", "Alaoui", "Benali", "Dubois", "García", "Lefèvre", "El Idrissi",
    "Moreau", "Tazi", "Fernández", "Laurent", "Bennani", "Rossi", "Durand", "Chraibi",
)  # fmt: skip
JOB_TITLES = (
    "Head of customer care",
    "Sales director",
    "Chief executive",
    "Business developer",
    "Operations manager",
    "Purchasing manager",
)
REFUSAL = "The event is full for this sector this year."


@dataclass
class EventReport:
    event_id: int
    participants: int
    requests: dict[str, int]
    preferences: int
    created_organisations: int


def _organiser(db_session: Session) -> Organisation:
    from app.demo.loader import ORGANISER

    found = db_session.scalar(
        select(Organisation).where(Organisation.legal_name == ORGANISER["legal_name"])
    )
    if found is not None:
        return found
    created = organisations.create(
        db_session=db_session, data=OrganisationCreate.model_validate(ORGANISER)
    )
    created.verified = True
    return created


def _event_payload(today: date) -> EventCreate:
    first = today + timedelta(days=DAYS_AHEAD)
    first += timedelta(days=(1 - first.weekday()) % 7)  # a Tuesday and a Wednesday
    day = {
        "opens_at": "09:00",
        "closes_at": "17:30",
        "afternoon_from": "14:00",
        "breaks": [
            {"label": "Coffee", "starts_at": "10:40", "ends_at": "11:00"},
            {"label": "Lunch", "starts_at": "12:30", "ends_at": "14:00"},
            {"label": "Coffee", "starts_at": "15:40", "ends_at": "16:00"},
        ],
    }
    return EventCreate.model_validate(
        {
            "name": EVENT_NAME,
            "description": (
                "Two days of one-to-one meetings between European companies that outsource "
                "customer contact and call centres from Morocco, Tunisia, Senegal and beyond."
            ),
            "venue": "Hyatt Regency Casablanca",
            "city": "Casablanca",
            "country": "MA",
            "timezone": "Africa/Casablanca",
            "slot_minutes": 20,
            "table_count": 24,
            "registration_deadline": datetime.combine(
                first - timedelta(days=7), time(18), UTC
            ).isoformat(),
            "request_deadline": datetime.combine(
                first - timedelta(days=2), time(18), UTC
            ).isoformat(),
            "request_expiry_hours": 72,
            "request_quota": 15,
            "max_meetings_per_participant": 16,
            "pairing": "client_provider",
            "days": [
                {"day": first.isoformat(), **day},
                {"day": (first + timedelta(days=1)).isoformat(), **day},
            ],
        }
    )


def _extra_organisations(
    db_session: Session, count: int, rng: random.Random, offset: int
) -> list[tuple[int, str]]:
    """Bulk-create ``count`` organisations for a scaled event, half clients, half call
    centres; return (id, kind) pairs."""
    from app.demo.loader import _insert_returning_ids

    now = utcnow()
    rows: list[dict[str, Any]] = []
    label = {"client": "Client", "provider": "Contact"}
    for i in range(count):
        kind = "client" if i % 2 == 0 else "provider"
        country = (
            rng.choice(("FR", "ES", "BE", "CH"))
            if kind == "client"
            else rng.choice(("MA", "TN", "SN", "CI"))
        )
        rows.append(
            {
                "kind": kind,
                "legal_name": f"Event {label[kind]} {offset + i + 1:05d}",
                "country": country,
                "city": None,
                "website": None,
                "size": None,
                "verified": rng.random() < 0.5,
                "created_at": now,
                "updated_at": now,
            }
        )
    ids = _insert_returning_ids(db_session, Organisation, rows)
    return [(row_id, row["kind"]) for row_id, row in zip(ids, rows, strict=True)]


def load_event(
    *,
    db_session: Session,
    seed: int,
    today: date | None = None,
    participants: int | None = None,
) -> EventReport:
    """Create the demo event in "requests open" with its participants, requests and
    preferences; ``participants`` sets their number (organisations created as needed)."""
    from app.demo.loader import _insert_returning_ids

    today = today or date.today()
    rng = random.Random(seed * 1_000 + 24)
    organiser = _organiser(db_session)
    db_session.flush()
    event = service.create_event(
        db_session=db_session, organiser_id=organiser.id, data=_event_payload(today)
    )
    moment = datetime.combine(today, time(8), UTC)
    for action in ("open_registration", "open_requests"):
        service.change_status(db_session=db_session, event=event, action=action, now=moment)

    candidates = [
        (org_id, kind)
        for org_id, kind in db_session.execute(
            select(Organisation.id, Organisation.kind)
            .where(Organisation.kind.in_(service.PARTICIPANT_KINDS))
            .order_by(Organisation.id)
        ).all()
    ]
    created = 0
    if participants is None:
        keep = [c for i, c in enumerate(candidates) if i < 3 or rng.random() < REGISTERED_SHARE]
        # The demo logins' companies (the first three of each kind) always take part.
        first_of_kind = {
            c
            for kind in ("client", "provider")
            for c in [x for x in candidates if x[1] == kind][:3]
        }
        chosen = sorted(set(keep) | first_of_kind)
    else:
        if participants > len(candidates):
            extra = _extra_organisations(db_session, participants - len(candidates), rng, 0)
            created = len(extra)
            candidates += extra
        chosen = candidates[:participants]

    protected = {
        c for kind in ("client", "provider") for c in [x for x in chosen if x[1] == kind][:3]
    }
    others = [c for c in chosen if c not in protected]
    undecided = others[-(PENDING + REFUSED) :] if len(others) > PENDING + REFUSED else []
    pending = set(undecided[:PENDING])
    refused = set(undecided[PENDING:])
    now = utcnow()
    decided_at = moment
    part_rows: list[dict[str, Any]] = []
    for org_id, _kind in chosen:
        status = (
            ParticipationStatus.pending
            if (org_id, _kind) in pending
            else ParticipationStatus.refused
            if (org_id, _kind) in refused
            else ParticipationStatus.approved
        )
        part_rows.append(
            {
                "event_id": event.id,
                "organisation_id": org_id,
                "status": status.value,
                "refusal_reason": REFUSAL if status == ParticipationStatus.refused else None,
                "max_meetings": rng.choice((None, None, 8, 10, 12, 16)),
                "booth_table": None,
                "registered_by_id": None,
                "decided_by_id": None,
                "decided_at": decided_at if status != ParticipationStatus.pending else None,
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
    part_ids = _insert_returning_ids(db_session, Participation, part_rows)
    kinds = {pid: kind for pid, (_org, kind) in zip(part_ids, chosen, strict=True)}
    approved = [
        pid
        for pid, row in zip(part_ids, part_rows, strict=True)
        if row["status"] == ParticipationStatus.approved.value
    ]

    attendees = []
    for pid in part_ids:
        for _ in range(rng.choice((1, 1, 2))):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            attendees.append(
                {
                    "participation_id": pid,
                    "full_name": f"{first} {last}",
                    "job_title": rng.choice(JOB_TITLES),
                    "email": None,
                    "phone": None,
                    "user_id": None,
                }
            )
    _insert_returning_ids(db_session, Attendee, attendees)

    days = list(event.days)
    zone = service.zone_of(event)
    away = []
    slots = service.slots_of(db_session=db_session, event_id=event.id)
    for pid in part_ids:
        draw = rng.random()
        if draw < 0.08:
            day = rng.choice(days)
            assert day.afternoon_from is not None
            half = rng.choice(("morning", "afternoon"))
            start = service.local_moment(day.day, day.opens_at, zone)
            noon = service.local_moment(day.day, day.afternoon_from, zone)
            end = service.local_moment(day.day, day.closes_at, zone)
            starts, ends = (start, noon) if half == "morning" else (noon, end)
            away.append(_away(pid, UnavailabilityKind.half_day, starts, ends))
        elif draw < 0.14:
            for slot in rng.sample(slots, 2):
                away.append(_away(pid, UnavailabilityKind.slot, slot.starts_at, slot.ends_at))
        elif draw < 0.16:
            day = days[-1]
            away.append(
                _away(
                    pid,
                    UnavailabilityKind.day,
                    service.local_moment(day.day, day.opens_at, zone),
                    service.local_moment(day.day, day.closes_at, zone),
                )
            )
    _insert_returning_ids(db_session, Unavailability, away)

    requests, preferences = _requests_and_preferences(
        event=event, approved=approved, kinds=kinds, rng=rng, today=today
    )
    _insert_returning_ids(db_session, MeetingRequest, requests)
    _insert_returning_ids(db_session, Preference, preferences)
    counts: dict[str, int] = {}
    for row in requests:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    db_session.flush()
    return EventReport(event.id, len(part_ids), counts, len(preferences), created)


def _away(pid: int, kind: UnavailabilityKind, starts: datetime, ends: datetime) -> dict[str, Any]:
    return {"participation_id": pid, "kind": kind.value, "starts_at": starts, "ends_at": ends}


def _requests_and_preferences(
    *,
    event: Event,
    approved: list[int],
    kinds: dict[int, str],
    rng: random.Random,
    today: date,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Requests between clients and call centres (one per pair), and preferences: both ways
    on half the accepted requests (mutual interest), one-sided ones, a few "no thanks"."""
    quiet = set(approved[-QUIET:]) if len(approved) > 4 * QUIET else set()
    clients = [p for p in approved if kinds[p] == "client" and p not in quiet]
    providers = [p for p in approved if kinds[p] == "provider" and p not in quiet]
    if not clients or not providers:
        return [], []
    sent_at = datetime.combine(today, time(9), UTC)
    expires = event.request_deadline
    pairs: set[tuple[int, int]] = set()
    requests: list[dict[str, Any]] = []
    preferences: dict[tuple[int, int], str] = {}
    # Each participant sends about REQUESTS_PER_PARTICIPANT requests to the other side.
    per_side = REQUESTS_PER_PARTICIPANT
    for sender in clients + providers:
        others = providers if kinds[sender] == "client" else clients
        for recipient in rng.sample(others, min(per_side, len(others))):
            pair = (min(sender, recipient), max(sender, recipient))
            if pair in pairs:
                continue
            pairs.add(pair)
            draw, status = rng.random(), RequestStatus.pending
            cumulative = 0.0
            for candidate, share in REQUEST_MIX:
                cumulative += share
                if draw < cumulative:
                    status = candidate
                    break
            created = sent_at - timedelta(hours=rng.randint(1, 240))
            answered = status in (RequestStatus.accepted, RequestStatus.declined)
            requests.append(
                {
                    "event_id": event.id,
                    "sender_id": sender,
                    "recipient_id": recipient,
                    "pair_low": pair[0],
                    "pair_high": pair[1],
                    "message": "We would be glad to meet you in Casablanca.",
                    "status": status.value,
                    "decline_reason": (
                        "Not our sector at the moment."
                        if status == RequestStatus.declined
                        else None
                    ),
                    "created_at": created,
                    "expires_at": expires,
                    "answered_at": created + timedelta(hours=6) if answered else None,
                    "sent_by_id": None,
                    "answered_by_id": None,
                    "version": 1,
                }
            )
            if status == RequestStatus.accepted and rng.random() < 0.5:
                level = rng.choice((PreferenceLevel.must_meet, PreferenceLevel.would_like))
                preferences[(sender, recipient)] = level.value
                preferences[(recipient, sender)] = PreferenceLevel.would_like.value
            elif status == RequestStatus.pending and rng.random() < 0.4:
                preferences[(sender, recipient)] = PreferenceLevel.would_like.value
            elif status == RequestStatus.declined and rng.random() < 0.5:
                preferences[(recipient, sender)] = PreferenceLevel.no_thanks.value
    # Mutual interest without a request yet: preferences both ways on a few new pairs.
    for _ in range(max(1, len(approved) // 20)):
        a, b = rng.choice(clients), rng.choice(providers)
        if (min(a, b), max(a, b)) in pairs or (a, b) in preferences or (b, a) in preferences:
            continue
        preferences[(a, b)] = PreferenceLevel.would_like.value
        preferences[(b, a)] = PreferenceLevel.must_meet.value
    stamp = sent_at
    rows = [
        {
            "event_id": event.id,
            "owner_id": owner,
            "target_id": target,
            "level": level,
            "created_at": stamp,
            "updated_at": stamp,
        }
        for (owner, target), level in sorted(preferences.items())
    ]
    return requests, rows


__all__ = ["load_event", "EventReport", "EVENT_NAME"]
