"""Use cases of meeting requests and preferences at an event: send (idempotent, mutual
interest accepts the other side's request), accept, decline, cancel, expire; preferences;
what two participants think of meeting each other. Functions flush; the request commits.

Concurrency: one request per pair and event is a database rule (``pair_low``/``pair_high``
unique); a second insert of the same pair (a double click, two colleagues at once) hits it
inside a savepoint and answers with the row that won. Every change of a request's status
is one ``UPDATE ... WHERE status IN (...) AND version = :v`` whose row count says whether
this request made the change, so two accepts at once leave one accepted request and one
clear refusal (409 with the current status).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, joinedload

from app.accounts.models import User
from app.core.db import utcnow
from app.core.errors import Conflict, FieldError, NotFound, PermissionDenied
from app.events.models import (
    Event,
    EventStatus,
    MeetingRequest,
    PairingRule,
    Participation,
    ParticipationStatus,
    PreferenceLevel,
    RequestStatus,
)
from app.events.models import Preference as PreferenceRow
from app.i18n import gettext as _
from app.notifications.models import NotificationKind
from app.notifications.service import notify_organisation
from app.organisations.models import Organisation

#: Statuses that hold a place in the sender's quota and in the pair's history.
LIVE_STATUSES = (RequestStatus.pending.value, RequestStatus.accepted.value)
#: Preference levels that say "I want to meet them".
POSITIVE_LEVELS = (PreferenceLevel.must_meet.value, PreferenceLevel.would_like.value)
MESSAGE_MAX = 2000
REASON_MAX = 1000


class SendOutcome(enum.StrEnum):
    """What a send did: a new request, the existing one again (idempotent), the other
    side's pending request accepted (mutual interest), or an old closed one reopened."""

    created = "created"
    existing = "existing"
    mutual = "mutual"
    reopened = "reopened"


@dataclass(frozen=True)
class SendResult:
    request: MeetingRequest
    outcome: SendOutcome


class RequestStateConflict(Conflict):
    """A request is no longer in a state that allows the change (409 with its status)."""

    def __init__(self, message: str, request: MeetingRequest) -> None:
        super().__init__({"message": message, "status": request.status, "request_id": request.id})
        self.message = message


def error_message(exc: Exception) -> str:
    """The message of a domain error, for a page (a field error's first message)."""
    if isinstance(exc, FieldError):
        return next(iter(exc.errors.values()), "")
    if isinstance(exc, RequestStateConflict):
        return exc.message
    detail = getattr(exc, "detail", None)
    return detail if isinstance(detail, str) else str(exc)


# --- rules ------------------------------------------------------------------------------


def pair_allowed(event: Event, a_kind: str, b_kind: str) -> bool:
    """Whether organisations of these kinds may meet at ``event`` (its pairing rule)."""
    if event.pairing == PairingRule.any.value:
        return True
    return {a_kind, b_kind} == {"client", "provider"}


def expiry_for(event: Event, created_at: datetime) -> datetime | None:
    """When a request sent at ``created_at`` expires: the earlier of the request deadline
    and ``created_at`` plus the event's expiry hours (None: neither is set)."""
    moments = [m for m in (event.request_deadline,) if m is not None]
    if event.request_expiry_hours:
        moments.append(created_at + timedelta(hours=event.request_expiry_hours))
    return min(moments) if moments else None


def requests_open(event: Event, now: datetime) -> str | None:
    """Why requests cannot be sent now (None: they can)."""
    if event.status != EventStatus.requests_open.value:
        return _("Meeting requests are not open at this event.")
    if event.request_deadline is not None and now >= event.request_deadline:
        return _("The deadline for meeting requests has passed.")
    return None


def _participant(db_session: Session, event_id: int, participation_id: int) -> Participation | None:
    return db_session.scalar(
        select(Participation)
        .where(Participation.id == participation_id, Participation.event_id == event_id)
        .options(joinedload(Participation.organisation))
    )


def _with_org(db_session: Session, participation: Participation) -> Organisation:
    found = db_session.get(Organisation, participation.organisation_id)
    assert found is not None
    return found


def _preference(db_session: Session, owner_id: int, target_id: int) -> str | None:
    return db_session.scalar(
        select(PreferenceRow.level).where(
            PreferenceRow.owner_id == owner_id, PreferenceRow.target_id == target_id
        )
    )


def meetable_target(
    *, db_session: Session, event: Event, me: Participation, target_id: int, field: str
) -> Participation:
    """The approved participant ``target_id`` whom ``me`` may meet, or a 422 on ``field``."""
    if target_id == me.id:
        raise FieldError({field: _("You cannot ask your own organisation for a meeting.")})
    target = _participant(db_session, event.id, target_id)
    if target is None or target.status != ParticipationStatus.approved.value:
        raise FieldError(
            {field: _("This organisation is not an approved participant of the event.")}
        )
    mine = _with_org(db_session, me)
    if not pair_allowed(event, mine.kind, target.organisation.kind):
        raise FieldError(
            {
                field: _(
                    "At this event clients meet call centres: pick a participant of the other side."
                )
            }
        )
    return target


def meetable_target_or_none(
    *, db_session: Session, event: Event, me: Participation, target_id: int
) -> Participation | None:
    """The participant ``target_id`` if ``me`` may meet it (for a form's heading)."""
    try:
        return meetable_target(
            db_session=db_session, event=event, me=me, target_id=target_id, field="recipient_id"
        )
    except FieldError:
        return None


def find_request(*, db_session: Session, event_id: int, a: int, b: int) -> MeetingRequest | None:
    """The request between participations ``a`` and ``b`` (either direction), read fresh."""
    low, high = sorted((a, b))
    return db_session.scalar(
        select(MeetingRequest)
        .where(
            MeetingRequest.event_id == event_id,
            MeetingRequest.pair_low == low,
            MeetingRequest.pair_high == high,
        )
        .execution_options(populate_existing=True)
    )


def get_request(*, db_session: Session, event_id: int, request_id: int) -> MeetingRequest:
    """The request ``request_id`` of the event, read fresh, or 404."""
    found = db_session.scalar(
        select(MeetingRequest)
        .where(MeetingRequest.id == request_id, MeetingRequest.event_id == event_id)
        .execution_options(populate_existing=True)
    )
    if found is None:
        raise NotFound(_("Request %(id)s not found.", id=request_id))
    return found


def ensure_can_read_request(
    request: MeetingRequest, participation: Participation | None, manager: bool
) -> None:
    """Its two sides and those who manage the event; 404 for anyone else."""
    mine = participation is not None and participation.id in (
        request.sender_id,
        request.recipient_id,
    )
    if not (mine or manager):
        raise NotFound(_("Request %(id)s not found.", id=request.id))


def outgoing_count(*, db_session: Session, sender_id: int) -> int:
    """Requests of the sender that hold a place in its quota (pending and accepted)."""
    return (
        db_session.scalar(
            select(func.count(MeetingRequest.id)).where(
                MeetingRequest.sender_id == sender_id, MeetingRequest.status.in_(LIVE_STATUSES)
            )
        )
        or 0
    )


def _check_quota(db_session: Session, event: Event, sender: Participation) -> None:
    if event.request_quota is None:
        return
    # Serialise the sender's sends (PostgreSQL), so two at once cannot both take the last place.
    db_session.execute(
        select(Participation.id).where(Participation.id == sender.id).with_for_update()
    )
    if outgoing_count(db_session=db_session, sender_id=sender.id) >= event.request_quota:
        raise Conflict(
            _(
                "You have reached this event's quota of %(n)s requests (pending or accepted):"
                " cancel one to send another.",
                n=event.request_quota,
            )
        )


def _no_thanks(db_session: Session, sender: Participation, target: Participation) -> None:
    if _preference(db_session, target.id, sender.id) == PreferenceLevel.no_thanks.value:
        raise FieldError(
            {"recipient_id": _("This participant does not wish to meet you at this event.")}
        )
    if _preference(db_session, sender.id, target.id) == PreferenceLevel.no_thanks.value:
        raise FieldError(
            {
                "recipient_id": _(
                    'You said "no thanks" to this participant: change your preference first.'
                )
            }
        )


def _transition(
    db_session: Session, request: MeetingRequest, from_statuses: Sequence[str], **values: Any
) -> bool:
    """Change ``request`` if it is still in ``from_statuses`` at the version read; reload it
    either way. True when this call made the change."""
    result = db_session.execute(
        update(MeetingRequest)
        .where(
            MeetingRequest.id == request.id,
            MeetingRequest.status.in_(list(from_statuses)),
            MeetingRequest.version == request.version,
        )
        .values(version=MeetingRequest.version + 1, **values)
        .execution_options(synchronize_session=False)
    )
    db_session.refresh(request)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _link(event: Event) -> str:
    return f"/events/{event.id}/requests"


def _notify(
    db_session: Session,
    event: Event,
    organisation_id: int,
    kind: NotificationKind,
    params: dict[str, Any],
    now: datetime,
) -> None:
    notify_organisation(
        db_session=db_session,
        organisation_id=organisation_id,
        kind=kind,
        params={"event_name": event.name, **params},
        link=_link(event),
        event_id=event.id,
        now=now,
    )


def _names(db_session: Session, *participation_ids: int) -> dict[int, tuple[int, str]]:
    """{participation id: (organisation id, legal name)} in one query."""
    rows = db_session.execute(
        select(Participation.id, Organisation.id, Organisation.legal_name)
        .join(Organisation, Organisation.id == Participation.organisation_id)
        .where(Participation.id.in_(list(participation_ids)))
    )
    return {pid: (oid, name) for pid, oid, name in rows}


# --- sending -----------------------------------------------------------------------------


def send_request(
    *,
    db_session: Session,
    event: Event,
    sender: Participation,
    recipient_id: int,
    message: str | None,
    user: User,
    now: datetime | None = None,
) -> SendResult:
    """Ask ``recipient_id`` for a meeting, or answer with the pair's existing request.

    Refused: to oneself, to a non-participant, across the pairing rule (422 on
    ``recipient_id``), to or from someone who said "no thanks" (422), when requests are not
    open or the deadline has passed, over the quota, after the recipient declined (409).
    The same request twice leaves one (``existing``); asking someone whose request to you is
    pending accepts it (``mutual``); a cancelled or expired request of the pair is reopened.
    """
    now = now or utcnow()
    expire_due_requests(db_session=db_session, now=now, event_id=event.id)
    reason = requests_open(event, now)
    if reason:
        raise Conflict(reason)
    target = meetable_target(
        db_session=db_session, event=event, me=sender, target_id=recipient_id, field="recipient_id"
    )
    _no_thanks(db_session, sender, target)
    text = (message or "").strip()[:MESSAGE_MAX] or None
    existing = find_request(db_session=db_session, event_id=event.id, a=sender.id, b=target.id)
    if existing is not None:
        return _on_existing(db_session, event, existing, sender, target, text, user, now)
    _check_quota(db_session, event, sender)
    row = MeetingRequest(
        event_id=event.id,
        sender_id=sender.id,
        recipient_id=target.id,
        pair_low=min(sender.id, target.id),
        pair_high=max(sender.id, target.id),
        message=text,
        status=RequestStatus.pending.value,
        created_at=now,
        expires_at=expiry_for(event, now),
        sent_by_id=user.id,
    )
    try:
        with db_session.begin_nested():
            db_session.add(row)
            db_session.flush()
    except IntegrityError:
        # Another send of this pair won the race: answer with its request.
        existing = find_request(db_session=db_session, event_id=event.id, a=sender.id, b=target.id)
        if existing is None:
            raise
        return _on_existing(db_session, event, existing, sender, target, text, user, now)
    _notify_received(db_session, event, row, now)
    return SendResult(row, SendOutcome.created)


def _notify_received(db_session: Session, event: Event, row: MeetingRequest, now: datetime) -> None:
    names = _names(db_session, row.sender_id, row.recipient_id)
    _notify(
        db_session,
        event,
        names[row.recipient_id][0],
        NotificationKind.request_received,
        {"sender_name": names[row.sender_id][1], "message": row.message or ""},
        now,
    )


def _on_existing(
    db_session: Session,
    event: Event,
    existing: MeetingRequest,
    sender: Participation,
    target: Participation,
    text: str | None,
    user: User,
    now: datetime,
) -> SendResult:
    mine = existing.sender_id == sender.id
    if existing.status == RequestStatus.accepted.value:
        return SendResult(existing, SendOutcome.existing)
    if existing.status == RequestStatus.pending.value:
        if mine:
            return SendResult(existing, SendOutcome.existing)
        accepted = accept_request(
            db_session=db_session,
            event=event,
            request=existing,
            participation=sender,
            user=user,
            now=now,
        )
        return SendResult(accepted, SendOutcome.mutual)
    if existing.status == RequestStatus.declined.value and mine:
        raise RequestStateConflict(
            _("This participant declined your request: you cannot ask again at this event."),
            existing,
        )
    # Cancelled, expired, or declined by the sender now asking: the pair's row starts over.
    _check_quota(db_session, event, sender)
    changed = _transition(
        db_session,
        existing,
        [existing.status],
        sender_id=sender.id,
        recipient_id=target.id,
        message=text,
        status=RequestStatus.pending.value,
        decline_reason=None,
        created_at=now,
        expires_at=expiry_for(event, now),
        answered_at=None,
        answered_by_id=None,
        sent_by_id=user.id,
    )
    if not changed:  # someone else changed it meanwhile: decide again on its new state
        return _on_existing(db_session, event, existing, sender, target, text, user, now)
    _notify_received(db_session, event, existing, now)
    return SendResult(existing, SendOutcome.reopened)


# --- answering ---------------------------------------------------------------------------


def _expire_if_due(db_session: Session, request: MeetingRequest, now: datetime) -> None:
    if (
        request.status == RequestStatus.pending.value
        and request.expires_at is not None
        and request.expires_at <= now
    ):
        expire_due_requests(db_session=db_session, now=now, event_id=request.event_id)
        db_session.refresh(request)


def _status_sentence(request: MeetingRequest) -> str:
    sentences = {
        RequestStatus.accepted.value: _("This request has already been accepted."),
        RequestStatus.declined.value: _("This request has already been declined."),
        RequestStatus.cancelled.value: _("This request was cancelled by its sender."),
        RequestStatus.expired.value: _("This request has expired."),
    }
    return sentences.get(request.status, _("This request is no longer pending."))


def accept_request(
    *,
    db_session: Session,
    event: Event,
    request: MeetingRequest,
    participation: Participation,
    user: User,
    now: datetime | None = None,
) -> MeetingRequest:
    """Accept a pending request (its recipient only); 409 with its status otherwise."""
    now = now or utcnow()
    if request.recipient_id != participation.id:
        raise PermissionDenied(_("Only the participant who received this request can accept it."))
    _expire_if_due(db_session, request, now)
    if request.status != RequestStatus.pending.value or not _transition(
        db_session,
        request,
        [RequestStatus.pending.value],
        status=RequestStatus.accepted.value,
        answered_at=now,
        answered_by_id=user.id,
    ):
        raise RequestStateConflict(_status_sentence(request), request)
    names = _names(db_session, request.sender_id, request.recipient_id)
    _notify(
        db_session,
        event,
        names[request.sender_id][0],
        NotificationKind.request_accepted,
        {"recipient_name": names[request.recipient_id][1]},
        now,
    )
    return request


def decline_request(
    *,
    db_session: Session,
    event: Event,
    request: MeetingRequest,
    participation: Participation,
    user: User,
    reason: str | None = None,
    now: datetime | None = None,
) -> MeetingRequest:
    """Decline a pending request (its recipient only), with an optional reason."""
    now = now or utcnow()
    if request.recipient_id != participation.id:
        raise PermissionDenied(_("Only the participant who received this request can decline it."))
    _expire_if_due(db_session, request, now)
    text = (reason or "").strip()[:REASON_MAX] or None
    if request.status != RequestStatus.pending.value or not _transition(
        db_session,
        request,
        [RequestStatus.pending.value],
        status=RequestStatus.declined.value,
        decline_reason=text,
        answered_at=now,
        answered_by_id=user.id,
    ):
        raise RequestStateConflict(_status_sentence(request), request)
    names = _names(db_session, request.sender_id, request.recipient_id)
    _notify(
        db_session,
        event,
        names[request.sender_id][0],
        NotificationKind.request_declined,
        {"recipient_name": names[request.recipient_id][1], "reason": text or ""},
        now,
    )
    return request


def cancel_request(
    *,
    db_session: Session,
    event: Event,
    request: MeetingRequest,
    participation: Participation,
    user: User,
    now: datetime | None = None,
) -> MeetingRequest:
    """Cancel a pending or accepted request (its sender only): it frees a quota place."""
    now = now or utcnow()
    if request.sender_id != participation.id:
        raise PermissionDenied(_("Only the participant who sent this request can cancel it."))
    _expire_if_due(db_session, request, now)
    if request.status not in LIVE_STATUSES or not _transition(
        db_session,
        request,
        LIVE_STATUSES,
        status=RequestStatus.cancelled.value,
        answered_at=now,
        answered_by_id=user.id,
    ):
        raise RequestStateConflict(_status_sentence(request), request)
    names = _names(db_session, request.sender_id, request.recipient_id)
    _notify(
        db_session,
        event,
        names[request.recipient_id][0],
        NotificationKind.request_cancelled,
        {"sender_name": names[request.sender_id][1]},
        now,
    )
    return request


# --- expiry ------------------------------------------------------------------------------


def expire_due_requests(
    *, db_session: Session, now: datetime | None = None, event_id: int | None = None
) -> int:
    """Expire the pending requests whose time has come (of one event, or all) and notify
    their senders; returns how many this call expired."""
    now = now or utcnow()
    due = select(MeetingRequest.id).where(
        MeetingRequest.status == RequestStatus.pending.value,
        MeetingRequest.expires_at.is_not(None),
        MeetingRequest.expires_at <= now,
    )
    if event_id is not None:
        due = due.where(MeetingRequest.event_id == event_id)
    ids = list(db_session.scalars(due))
    if not ids:
        return 0
    # The status test again in the UPDATE: a request answered meanwhile stays answered.
    changed = db_session.execute(
        update(MeetingRequest)
        .where(MeetingRequest.id.in_(ids), MeetingRequest.status == RequestStatus.pending.value)
        .values(
            status=RequestStatus.expired.value,
            version=MeetingRequest.version + 1,
            answered_at=now,
        )
        .returning(
            MeetingRequest.id,
            MeetingRequest.event_id,
            MeetingRequest.sender_id,
            MeetingRequest.recipient_id,
        )
        .execution_options(synchronize_session=False)
    ).all()
    if not changed:
        return 0
    events = {
        e.id: e
        for e in db_session.scalars(
            select(Event).where(Event.id.in_({r.event_id for r in changed}))
        )
    }
    names = _names(db_session, *{p for r in changed for p in (r.sender_id, r.recipient_id)})
    for row in changed:
        _notify(
            db_session,
            events[row.event_id],
            names[row.sender_id][0],
            NotificationKind.request_expired,
            {"other_name": names[row.recipient_id][1]},
            now,
        )
    db_session.expire_all()
    return len(changed)


# --- listing -----------------------------------------------------------------------------


_BOTH_SIDES = (
    joinedload(MeetingRequest.sender).joinedload(Participation.organisation),
    joinedload(MeetingRequest.recipient).joinedload(Participation.organisation),
)


def load_request(*, db_session: Session, request_id: int) -> MeetingRequest:
    """The request with both sides and their organisations loaded, read fresh."""
    found = db_session.scalar(
        select(MeetingRequest)
        .where(MeetingRequest.id == request_id)
        .options(*_BOTH_SIDES)
        .execution_options(populate_existing=True)
    )
    if found is None:
        raise NotFound(_("Request %(id)s not found.", id=request_id))
    return found


class Direction(enum.StrEnum):
    sent = "sent"
    received = "received"


def list_requests(
    *,
    db_session: Session,
    event: Event,
    participation_id: int | None,
    status: str | None = None,
    direction: Direction | None = None,
    limit: int = 50,
    offset: int = 0,
    now: datetime | None = None,
) -> tuple[list[MeetingRequest], int]:
    """Requests of the event, newest first: those of ``participation_id`` (sent and
    received, or one ``direction``), or all of them when it is None (organisers). Due
    requests are expired first. Both sides' participations and organisations are loaded."""
    expire_due_requests(db_session=db_session, now=now, event_id=event.id)
    query = select(MeetingRequest).where(MeetingRequest.event_id == event.id)
    if participation_id is not None:
        if direction == Direction.sent:
            query = query.where(MeetingRequest.sender_id == participation_id)
        elif direction == Direction.received:
            query = query.where(MeetingRequest.recipient_id == participation_id)
        else:
            query = query.where(
                or_(
                    MeetingRequest.sender_id == participation_id,
                    MeetingRequest.recipient_id == participation_id,
                )
            )
    if status is not None:
        query = query.where(MeetingRequest.status == status)
    total = db_session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db_session.scalars(
        query.options(*_BOTH_SIDES)
        .order_by(MeetingRequest.created_at.desc(), MeetingRequest.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


# --- preferences -------------------------------------------------------------------------


def set_preference(
    *,
    db_session: Session,
    event: Event,
    owner: Participation,
    target_id: int,
    level: PreferenceLevel,
) -> PreferenceRow:
    """Say what ``owner`` thinks of meeting ``target_id`` (one preference per pair)."""
    if event.status in (EventStatus.published.value, EventStatus.closed.value):
        raise Conflict(_("The agenda is published: preferences can no longer change."))
    meetable_target(
        db_session=db_session, event=event, me=owner, target_id=target_id, field="participant_id"
    )
    for _attempt in range(2):
        row = db_session.scalar(
            select(PreferenceRow).where(
                PreferenceRow.owner_id == owner.id, PreferenceRow.target_id == target_id
            )
        )
        if row is not None:
            row.level = level.value
            db_session.flush()
            return row
        row = PreferenceRow(
            event_id=event.id, owner_id=owner.id, target_id=target_id, level=level.value
        )
        try:
            with db_session.begin_nested():
                db_session.add(row)
                db_session.flush()
            return row
        except IntegrityError:
            continue  # set at the same moment by a colleague: update theirs
    raise Conflict(_("This preference changed meanwhile: try again."))


def delete_preference(
    *, db_session: Session, event: Event, owner: Participation, target_id: int
) -> None:
    """Forget what ``owner`` thought of meeting ``target_id`` (nothing to forget is fine)."""
    row = db_session.scalar(
        select(PreferenceRow).where(
            PreferenceRow.event_id == event.id,
            PreferenceRow.owner_id == owner.id,
            PreferenceRow.target_id == target_id,
        )
    )
    if row is not None:
        db_session.delete(row)
        db_session.flush()


# --- relations between the viewer and the others ----------------------------------------


@dataclass(frozen=True)
class Relation:
    """What stands between the viewer and another participant. ``their_interest`` is never
    shown on its own: only as ``mutual`` (both sides want to meet)."""

    request_id: int | None = None
    request_status: str | None = None
    sent_by_me: bool = False
    my_preference: str | None = None
    their_interest: bool = False
    their_no_thanks: bool = False

    @property
    def my_interest(self) -> bool:
        live = self.request_status in LIVE_STATUSES and self.sent_by_me
        return live or self.my_preference in POSITIVE_LEVELS

    @property
    def mutual(self) -> bool:
        """Both sides want to meet: an accepted request, or interest (a live request or a
        "must meet"/"would like") each way."""
        if self.request_status == RequestStatus.accepted.value:
            return True
        return self.my_interest and self.their_interest

    @property
    def can_request(self) -> bool:
        """Whether "ask to meet" makes sense (no live request, not declined, no "no thanks")."""
        if self.their_no_thanks or self.my_preference == PreferenceLevel.no_thanks.value:
            return False
        if self.request_status in LIVE_STATUSES:
            return not self.sent_by_me and self.request_status == RequestStatus.pending.value
        return not (self.request_status == RequestStatus.declined.value and self.sent_by_me)


def relations(
    *, db_session: Session, event_id: int, me: int, others: Sequence[int] | None = None
) -> dict[int, Relation]:
    """{other participation id: relation} for ``me`` (all others, or just ``others``), in
    two queries."""
    requests = select(
        MeetingRequest.id,
        MeetingRequest.sender_id,
        MeetingRequest.recipient_id,
        MeetingRequest.status,
    ).where(
        MeetingRequest.event_id == event_id,
        or_(MeetingRequest.sender_id == me, MeetingRequest.recipient_id == me),
    )
    prefs = select(PreferenceRow.owner_id, PreferenceRow.target_id, PreferenceRow.level).where(
        PreferenceRow.event_id == event_id,
        or_(PreferenceRow.owner_id == me, PreferenceRow.target_id == me),
    )
    if others is not None:
        ids = list(others)
        requests = requests.where(
            or_(MeetingRequest.sender_id.in_(ids), MeetingRequest.recipient_id.in_(ids))
        )
        prefs = prefs.where(or_(PreferenceRow.owner_id.in_(ids), PreferenceRow.target_id.in_(ids)))
    found: dict[int, dict[str, Any]] = {}
    for rid, sender, recipient, status in db_session.execute(requests):
        other = recipient if sender == me else sender
        found.setdefault(other, {}).update(
            request_id=rid,
            request_status=status,
            sent_by_me=sender == me,
            their_interest=sender != me and status in LIVE_STATUSES,
        )
    for owner, target, level in db_session.execute(prefs):
        if owner == me:
            found.setdefault(target, {})["my_preference"] = level
        else:
            entry = found.setdefault(owner, {})
            entry["their_interest"] = entry.get("their_interest", False) or level in POSITIVE_LEVELS
            entry["their_no_thanks"] = level == PreferenceLevel.no_thanks.value
    return {other: Relation(**values) for other, values in found.items()}


def mutual_request_ids(
    *, db_session: Session, event_id: int, request_ids: Sequence[int]
) -> set[int]:
    """Of ``request_ids``, those whose two sides both want to meet (accepted, or pending
    with the recipient's "must meet"/"would like" for the sender), in one query."""
    if not request_ids:
        return set()
    pref = aliased(PreferenceRow)
    rows = db_session.scalars(
        select(MeetingRequest.id)
        .outerjoin(
            pref,
            and_(
                pref.owner_id == MeetingRequest.recipient_id,
                pref.target_id == MeetingRequest.sender_id,
                pref.level.in_(POSITIVE_LEVELS),
            ),
        )
        .where(
            MeetingRequest.event_id == event_id,
            MeetingRequest.id.in_(list(request_ids)),
            or_(
                MeetingRequest.status == RequestStatus.accepted.value,
                and_(MeetingRequest.status == RequestStatus.pending.value, pref.id.is_not(None)),
            ),
        )
    )
    return set(rows)
