"""The optimiser's instance (file contract, format 1) built from an event in the database.

``build_instance`` reads the event's slots, tables, approved participants (their times away
and their maximum of meetings), the meetings the matchmaking wants (``wanted_meetings``) and
the meetings already fixed in the agenda, and returns the contract's JSON object with an
``InstanceMap`` that leads its ids back to database rows. The same database gives the same
JSON, byte for byte: every list is in a stated order.

Ids say what they stand for: slots ``d1-0900`` (day 1, 09:00 in the event's zone),
participants ``c-<participation id>`` (client) / ``p-<id>`` (call centre) / ``x-<id>``,
meetings ``r-<request id>`` (a pair with a request), ``w-<a>-<b>`` (a wish or a
recommendation without one, participation ids), ``l-<meeting id>`` (a fixed meeting).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.agenda.models import Meeting, MeetingStatus
from app.core.errors import NotFound
from app.events.models import (
    Event,
    MeetingRequest,
    Participation,
    ParticipationStatus,
    Slot,
    Unavailability,
)
from app.events.service import slots_of, zone_of
from app.i18n import gettext as _
from app.matchmaking.wanted import wanted_meetings
from app.organisations.models import Organisation, OrganisationKind

INSTANCE_FORMAT = "euroffshore-schedule/1"
# Weights are written rounded, so that float noise never changes the file.
WEIGHT_DIGITS = 6
_SIDE_PREFIX = {OrganisationKind.client.value: "c", OrganisationKind.provider.value: "p"}


@dataclass(frozen=True)
class PlannedMeeting:
    """What an instance meeting stands for in the database."""

    a_participation_id: int
    b_participation_id: int
    required: bool
    weight: float
    origin: str
    request_id: int | None = None
    # The agenda's meeting it restates when it is fixed (locked, or already held).
    fixed_meeting_id: int | None = None


@dataclass
class InstanceMap:
    """The instance's ids → database ids (slots, participations, meetings)."""

    event_id: int
    slots: dict[str, int] = field(default_factory=dict)
    participants: dict[str, int] = field(default_factory=dict)
    meetings: dict[str, PlannedMeeting] = field(default_factory=dict)

    def slot_id_of(self) -> dict[int, str]:
        """Database slot id → instance slot id."""
        return {db_id: sid for sid, db_id in self.slots.items()}

    def participant_id_of(self) -> dict[int, str]:
        """Participation id → instance participant id."""
        return {db_id: pid for pid, db_id in self.participants.items()}


def fixed_meetings(*, db_session: Session, event_id: int) -> list[Meeting]:
    """Return the live meetings a new build keeps where they are: locked, held or no-show."""
    return list(
        db_session.scalars(
            select(Meeting)
            .where(
                Meeting.event_id == event_id,
                Meeting.status != MeetingStatus.cancelled.value,
                or_(Meeting.locked, Meeting.status != MeetingStatus.scheduled.value),
            )
            .order_by(Meeting.id)
        ).all()
    )


def _slot_ids(slots: list[Slot], event: Event) -> list[str]:
    zone = zone_of(event)
    ids = [f"{slot.session.split('-')[0]}-{slot.starts_at.astimezone(zone):%H%M}" for slot in slots]
    if len(set(ids)) != len(ids):  # a wall-clock time seen twice (clocks set back)
        ids = [f"s{slot.position}" for slot in slots]
    return ids


def _tables(event: Event, booths: list[int], providers: int) -> int:
    """The number of tables: the room's, or in booth mode enough for every call centre's
    booth (the largest booth number, at least one table per call centre)."""
    if not event.booth_mode:
        return max(event.table_count or 1, 1)
    return max([event.table_count or 0, providers, 1, *booths])


def build_instance(
    *, db_session: Session, event_id: int, time_limit_s: float | None = None
) -> tuple[dict[str, Any], InstanceMap]:
    """Return the event's optimiser instance (format 1) and the map of its ids.

    ``fairness`` is null: events have no fairness option yet (the organiser's edits and the
    breaks summary handle fairness by hand). ``time_limit_s`` is written when given.
    """
    event = db_session.get(Event, event_id)
    if event is None:
        raise NotFound(_("Event %(id)s not found.", id=event_id))
    mapping = InstanceMap(event_id=event_id)
    zone = zone_of(event)

    slots = slots_of(db_session=db_session, event_id=event_id)
    slot_json: list[dict[str, Any]] = []
    for sid, slot in zip(_slot_ids(slots, event), slots, strict=True):
        mapping.slots[sid] = slot.id
        slot_json.append(
            {
                "id": sid,
                "session": slot.session,
                "start": slot.starts_at.astimezone(zone).isoformat(),
            }
        )
    sid_of = mapping.slot_id_of()

    fixed = fixed_meetings(db_session=db_session, event_id=event_id)
    # Participants of a fixed meeting stay in the instance even if no longer approved:
    # their meeting still holds a seat and a table.
    in_fixed = {m.a_participation_id for m in fixed} | {m.b_participation_id for m in fixed}
    members = db_session.execute(
        select(
            Participation.id,
            Organisation.kind,
            Participation.max_meetings,
            Participation.booth_table,
        )
        .join(Organisation, Organisation.id == Participation.organisation_id)
        .where(
            Participation.event_id == event_id,
            or_(
                Participation.status == ParticipationStatus.approved.value,
                Participation.id.in_(in_fixed),
            ),
        )
        .order_by(Participation.id)
    ).all()

    away: dict[int, set[int]] = defaultdict(set)
    for participation_id, starts, ends in db_session.execute(
        select(Unavailability.participation_id, Unavailability.starts_at, Unavailability.ends_at)
        .join(Participation, Participation.id == Unavailability.participation_id)
        .where(Participation.event_id == event_id)
        .order_by(Unavailability.participation_id, Unavailability.starts_at)
    ):
        for index, slot in enumerate(slots):
            if slot.starts_at < ends and slot.ends_at > starts:
                away[participation_id].add(index)

    booths = [b for _pid, _kind, _mm, b in members if b is not None]
    providers = sum(1 for _pid, kind, _mm, _b in members if kind == "provider")
    # A fixed meeting keeps its table, even one beyond the room's tables of today.
    tables = max([_tables(event, booths, providers), *(m.table_number for m in fixed)])
    participants_json: list[dict[str, Any]] = []
    for participation_id, kind, own_max, booth in members:
        pid = f"{_SIDE_PREFIX.get(kind, 'x')}-{participation_id}"
        mapping.participants[pid] = participation_id
        limits = [m for m in (own_max, event.max_meetings_per_participant) if m is not None]
        entry: dict[str, Any] = {"id": pid}
        if kind in _SIDE_PREFIX:
            entry["side"] = kind
        entry["unavailable"] = [slot_json[i]["id"] for i in sorted(away[participation_id])]
        entry["max_meetings"] = min(limits) if limits else None
        if event.booth_mode and booth is not None:
            entry["table"] = booth
        participants_json.append(entry)
    part_of = mapping.participant_id_of()

    meetings_json: list[dict[str, Any]] = []
    fixed_pairs: set[tuple[int, int]] = set()
    for row in fixed:
        mid = f"l-{row.id}"
        fixed_pairs.add((row.a_participation_id, row.b_participation_id))
        mapping.meetings[mid] = PlannedMeeting(
            row.a_participation_id,
            row.b_participation_id,
            True,
            row.weight,
            row.origin,
            row.request_id,
            row.id,
        )
        meetings_json.append(
            {
                "id": mid,
                "a": part_of[row.a_participation_id],
                "b": part_of[row.b_participation_id],
                "required": True,
                "weight": round(max(row.weight, 1.0), WEIGHT_DIGITS),
                "fixed_slot": sid_of[row.slot_id],
                "fixed_table": row.table_number,
            }
        )

    request_of = {
        (low, high): rid
        for rid, low, high in db_session.execute(
            select(MeetingRequest.id, MeetingRequest.pair_low, MeetingRequest.pair_high).where(
                MeetingRequest.event_id == event_id
            )
        )
    }
    for wanted in wanted_meetings(db_session=db_session, event_id=event_id):
        pair = (wanted.a_participation_id, wanted.b_participation_id)
        if pair in fixed_pairs:
            continue  # already in the agenda, where it stays
        request_id = request_of.get(pair)
        mid = f"r-{request_id}" if request_id is not None else f"w-{pair[0]}-{pair[1]}"
        weight = round(wanted.weight, WEIGHT_DIGITS)
        mapping.meetings[mid] = PlannedMeeting(
            *pair, wanted.required, weight, wanted.origin, request_id
        )
        meetings_json.append(
            {
                "id": mid,
                "a": part_of[pair[0]],
                "b": part_of[pair[1]],
                "required": wanted.required,
                "weight": weight,
            }
        )

    data: dict[str, Any] = {
        "format": INSTANCE_FORMAT,
        "slots": slot_json,
        "tables": tables,
        "fairness": None,
        "participants": participants_json,
        "meetings": meetings_json,
    }
    if time_limit_s is not None:
        data["time_limit_s"] = time_limit_s
    return data, mapping
