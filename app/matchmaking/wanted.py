"""The meetings an event's agenda should hold, from the requests, the preferences and the
scores: the one function the agenda builder calls (``wanted_meetings``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.events.models import (
    Event,
    MeetingRequest,
    Participation,
    ParticipationStatus,
    PreferenceLevel,
    RequestStatus,
)
from app.events.models import Preference as PreferenceRow
from app.i18n import gettext as _
from app.matchmaking.scoring import event_pair_scores
from app.matchmaking.service import POSITIVE_LEVELS, pair_allowed
from app.organisations.models import Organisation

Origin = Literal["mutual", "accepted", "wish", "recommendation"]

#: A recommendation becomes an optional meeting from this score (0–100) up: a strong fit.
STRONG_SCORE = 70.0
#: Weight of a one-sided wish: the preference's base plus the pair's score share.
WISH_BASE = {PreferenceLevel.must_meet.value: 3.0, PreferenceLevel.would_like.value: 2.0}
#: Weight of a required meeting (the optimiser must place it; the weight ranks them).
REQUIRED_WEIGHT = 10.0
#: A recommendation weighs less than any wish: its score share, scaled below 1.
RECOMMENDATION_SCALE = 1.0


@dataclass(frozen=True)
class WantedMeeting:
    """A pair the agenda should seat: ``a_participation_id`` < ``b_participation_id``.
    ``required``: accepted or mutual; ``weight``: how much the optional ones matter
    (must meet > would like > a strong recommendation, then by score)."""

    a_participation_id: int
    b_participation_id: int
    required: bool
    weight: float
    origin: Origin


def wanted_meetings(*, db_session: Session, event_id: int) -> list[WantedMeeting]:
    """Return the event's wanted meetings, required ones first, then by weight.

    - accepted requests → required (origin ``accepted``); a pending request, or no request,
      with interest both ways (a live request or "must meet"/"would like") → required
      (``mutual``);
    - a one-sided "must meet"/"would like" (or a pending request) → optional (``wish``),
      weighted by the preference (must meet > would like) plus the pair's score share;
    - a pair whose score reaches ``STRONG_SCORE`` → optional (``recommendation``), weighted
      by its score share, below any wish;
    - never a pair where either side said "no thanks" or a request was declined, nor a pair
      the event's pairing rule forbids, nor a participant not approved.
    """
    event = db_session.get(Event, event_id)
    if event is None:
        raise NotFound(_("Event %(id)s not found.", id=event_id))
    members = db_session.execute(
        select(Participation.id, Organisation.id, Organisation.kind)
        .join(Organisation, Organisation.id == Participation.organisation_id)
        .where(
            Participation.event_id == event_id,
            Participation.status == ParticipationStatus.approved.value,
        )
    ).all()
    org_of = {pid: oid for pid, oid, _kind in members}
    kind_of = {pid: kind for pid, _oid, kind in members}

    blocked: set[tuple[int, int]] = set()
    accepted: set[tuple[int, int]] = set()
    interest: dict[tuple[int, int], str] = {}  # (from, to) -> level ("request" for a live one)
    for sender, recipient, status in db_session.execute(
        select(MeetingRequest.sender_id, MeetingRequest.recipient_id, MeetingRequest.status).where(
            MeetingRequest.event_id == event_id
        )
    ):
        pair = _pair(sender, recipient)
        if status == RequestStatus.declined.value:
            blocked.add(pair)
        elif status == RequestStatus.accepted.value:
            accepted.add(pair)
        elif status == RequestStatus.pending.value:
            interest.setdefault((sender, recipient), "request")
    for owner, target, level in db_session.execute(
        select(PreferenceRow.owner_id, PreferenceRow.target_id, PreferenceRow.level).where(
            PreferenceRow.event_id == event_id
        )
    ):
        if level == PreferenceLevel.no_thanks.value:
            blocked.add(_pair(owner, target))
        elif level in POSITIVE_LEVELS:
            # A stated preference says more than a bare request: it decides the weight.
            interest[(owner, target)] = level

    clients = [p for p, k in kind_of.items() if k == "client"]
    providers = [p for p, k in kind_of.items() if k == "provider"]
    scores = event_pair_scores(
        db_session=db_session,
        event=event,
        client_orgs={org_of[p] for p in clients},
        provider_orgs={org_of[p] for p in providers},
    )

    def score(a: int, b: int) -> float:
        if kind_of[a] == "provider":
            a, b = b, a
        return scores.get((org_of[a], org_of[b]), 0.0)

    def allowed(pair: tuple[int, int]) -> bool:
        a, b = pair
        return (
            a in kind_of
            and b in kind_of
            and pair not in blocked
            and pair_allowed(event, kind_of[a], kind_of[b])
        )

    out: dict[tuple[int, int], WantedMeeting] = {}
    for pair in accepted:
        if allowed(pair):
            out[pair] = WantedMeeting(*pair, True, REQUIRED_WEIGHT + score(*pair) / 100, "accepted")
    for (owner, target), level in interest.items():
        pair = _pair(owner, target)
        if pair in out or not allowed(pair):
            continue
        if (target, owner) in interest:
            out[pair] = WantedMeeting(*pair, True, REQUIRED_WEIGHT + score(*pair) / 100, "mutual")
            continue
        # A pending request without a preference counts as "would like".
        base = WISH_BASE.get(level, WISH_BASE[PreferenceLevel.would_like.value])
        out[pair] = WantedMeeting(*pair, False, base + score(*pair) / 100, "wish")
    if clients and providers:
        client_of_org = {org_of[p]: p for p in clients}
        provider_of_org = {org_of[p]: p for p in providers}
        for (client_org, provider_org), value in scores.items():
            if value < STRONG_SCORE:
                continue
            pair = _pair(client_of_org[client_org], provider_of_org[provider_org])
            if pair in out or not allowed(pair):
                continue
            out[pair] = WantedMeeting(
                *pair, False, RECOMMENDATION_SCALE * value / 100, "recommendation"
            )
    return sorted(
        out.values(),
        key=lambda m: (not m.required, -m.weight, m.a_participation_id, m.b_participation_id),
    )


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)
