"""JSON API of matchmaking at an event: /api/v1/events/{id}/participants (the catalogue),
/requests (send, list, accept, decline, cancel) and /preferences."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.catalog import LANGUAGE_LEVELS
from app.core.db import SessionDep
from app.core.errors import API_ERROR_RESPONSES, FieldError
from app.core.pagination import PageDep
from app.core.types import PathId
from app.events.models import MeetingRequest, PreferenceLevel, RequestStatus
from app.i18n import current_locale
from app.i18n import gettext as _
from app.matchmaking import service
from app.matchmaking.auth import ViewerDep
from app.matchmaking.catalogue import CatalogueEntry, CatalogueFilters, catalogue
from app.matchmaking.schemas import (
    DeclineIn,
    LanguageRead,
    MeetingRequestIn,
    MeetingRequestRead,
    MeetingRequestsPage,
    NeedBrief,
    ParticipantRead,
    ParticipantsPage,
    PreferenceIn,
    PreferenceRead,
    ReasonRead,
    RequestBrief,
)
from app.recommendations.cache import caches_of

router = APIRouter(prefix="/events", tags=["matchmaking"], responses=API_ERROR_RESPONSES)


def request_read(
    row: MeetingRequest, me: int | None, mutual: bool, outcome: str | None = None
) -> MeetingRequestRead:
    """The API shape of a request whose sender and recipient are loaded."""
    direction = None
    if me is not None:
        direction = "sent" if row.sender_id == me else "received"
    return MeetingRequestRead(
        id=row.id,
        event_id=row.event_id,
        sender_id=row.sender_id,
        sender_name=row.sender.organisation.legal_name,
        recipient_id=row.recipient_id,
        recipient_name=row.recipient.organisation.legal_name,
        message=row.message,
        status=row.status,
        decline_reason=row.decline_reason,
        created_at=row.created_at,
        expires_at=row.expires_at,
        answered_at=row.answered_at,
        direction=direction,
        mutual=mutual,
        outcome=outcome,
    )


def _loaded(db_session: SessionDep, request_id: int) -> MeetingRequest:
    return service.load_request(db_session=db_session, request_id=request_id)


def participant_read(entry: CatalogueEntry) -> ParticipantRead:
    rel = entry.relation
    return ParticipantRead(
        participation_id=entry.participation_id,
        organisation_id=entry.organisation_id,
        name=entry.name,
        kind=entry.kind,
        country=entry.country,
        city=entry.city,
        verified=entry.verified,
        seats_now=entry.seats_now,
        seats_total=entry.seats_total,
        languages=[LanguageRead(language=lang, level=level) for lang, level in entry.languages],
        services=entry.services,
        sectors=entry.sectors,
        needs=[NeedBrief(id=i, title=t) for i, t in entry.needs],
        score=entry.score,
        reasons=[
            ReasonRead(
                criterion=r.criterion,
                label=r.label,
                points=r.points,
                max_points=r.max_points,
                sentence=r.sentence,
            )
            for r in entry.reasons
        ],
        request=(
            RequestBrief(
                id=rel.request_id,
                status=rel.request_status or "",
                direction="sent" if rel.sent_by_me else "received",
            )
            if rel.request_id is not None
            else None
        ),
        my_preference=PreferenceLevel(rel.my_preference) if rel.my_preference else None,
        mutual=rel.mutual,
    )


Text = Annotated[str | None, Query(max_length=100)]


@router.get(
    "/{event_id}/participants",
    response_model=ParticipantsPage,
    summary="The event's participants you may meet, scored for you",
)
def participants(
    request: Request,
    db_session: SessionDep,
    viewer: ViewerDep,
    page: PageDep,
    q: Text = None,
    side: Annotated[str | None, Query(pattern="^(client|provider)$")] = None,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    language: Annotated[str | None, Query(min_length=2, max_length=3)] = None,
    min_level: Annotated[str | None, Query(max_length=8)] = None,
    service_code: Annotated[str | None, Query(alias="service", max_length=40)] = None,
    sector: Annotated[str | None, Query(max_length=32)] = None,
    seats_min: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
    sort: Annotated[str, Query(pattern="^(score|name)$")] = "score",
) -> ParticipantsPage:
    """Approved participants of the event whom you may meet (a client sees call centres, a
    call centre clients; any pair when the event allows it; organisers see everyone), best
    score first, with the reasons of the score (your open needs against a call centre's
    profile, or your profile against a client's needs; the event's weights), your request
    and preference with each, and a "recommended for you" list. An anonymous need never
    shows, nor counts in a client's score, unless its client revealed itself to you."""
    if min_level is not None and min_level not in LANGUAGE_LEVELS.codes:
        raise FieldError({"min_level": _("Unknown language level: %(code)s.", code=min_level)})
    caches = caches_of(request.app.state)
    result = catalogue(
        db_session=db_session,
        viewer=viewer,
        provider_index=caches.providers.get(db_session),
        need_index=caches.needs.get(db_session),
        filters=CatalogueFilters(
            q=q,
            side=side,
            country=country,
            language=language,
            min_level=min_level,
            service=service_code,
            sector=sector,
            seats_min=seats_min,
            sort=sort,
        ),
        limit=page.limit,
        offset=page.offset,
        locale=current_locale.get(),
    )
    return ParticipantsPage(
        items=[participant_read(e) for e in result.items],
        total=result.total,
        limit=result.limit,
        offset=result.offset,
        recommended=[participant_read(e) for e in result.recommended],
    )


@router.get(
    "/{event_id}/requests",
    response_model=MeetingRequestsPage,
    summary="Meeting requests: yours (sent and received), or all for organisers",
)
def list_requests(
    db_session: SessionDep,
    viewer: ViewerDep,
    page: PageDep,
    status_filter: Annotated[RequestStatus | None, Query(alias="status")] = None,
    direction: Annotated[service.Direction | None, Query()] = None,
) -> MeetingRequestsPage:
    """A participant sees the requests it sent and received (``direction`` narrows them);
    an organiser of the event who does not take part sees them all. Due requests expire
    before the list is read."""
    me = viewer.participation.id if viewer.participation is not None else None
    rows, total = service.list_requests(
        db_session=db_session,
        event=viewer.event,
        participation_id=me,
        status=status_filter.value if status_filter else None,
        direction=direction,
        limit=page.limit,
        offset=page.offset,
    )
    mutual = service.mutual_request_ids(
        db_session=db_session, event_id=viewer.event.id, request_ids=[r.id for r in rows]
    )
    return MeetingRequestsPage(
        items=[request_read(r, me, r.id in mutual) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/{event_id}/requests",
    response_model=MeetingRequestRead,
    status_code=status.HTTP_201_CREATED,
    summary="Ask a participant for a meeting",
    responses={200: {"model": MeetingRequestRead, "description": "The pair's existing request"}},
)
def send_request(
    response: Response,
    db_session: SessionDep,
    viewer: ViewerDep,
    data: MeetingRequestIn,
) -> MeetingRequestRead:
    """Idempotent: one request per pair. 201 with a new (or reopened) request; 200 with the
    pair's existing request when you already asked (a double click, a retry, a colleague),
    or when the other side's pending request to you was waiting — that is mutual interest,
    and it is accepted (``outcome``: "mutual"). Refused with the reason: to yourself, to a
    non-participant, to your own side when only clients meet call centres, to or from
    someone who said "no thanks" (422 on ``recipient_id``); when requests are not open, past
    the deadline, over your quota, or after the recipient declined you (409)."""
    me = viewer.require_participant()
    result = service.send_request(
        db_session=db_session,
        event=viewer.event,
        sender=me,
        recipient_id=data.recipient_id,
        message=data.message,
        user=viewer.user,
    )
    if result.outcome in (service.SendOutcome.existing, service.SendOutcome.mutual):
        response.status_code = status.HTTP_200_OK
    row = _loaded(db_session, result.request.id)
    mutual = service.mutual_request_ids(
        db_session=db_session, event_id=viewer.event.id, request_ids=[row.id]
    )
    return request_read(row, me.id, row.id in mutual, result.outcome.value)


def _answer(
    db_session: SessionDep,
    viewer: ViewerDep,
    request_id: int,
    action: str,
    reason: str | None = None,
) -> MeetingRequestRead:
    me = viewer.require_participant()
    row = service.get_request(
        db_session=db_session, event_id=viewer.event.id, request_id=request_id
    )
    service.ensure_can_read_request(row, me, viewer.manager)
    if action == "accept":
        service.accept_request(
            db_session=db_session,
            event=viewer.event,
            request=row,
            participation=me,
            user=viewer.user,
        )
    elif action == "decline":
        service.decline_request(
            db_session=db_session,
            event=viewer.event,
            request=row,
            participation=me,
            user=viewer.user,
            reason=reason,
        )
    else:
        service.cancel_request(
            db_session=db_session,
            event=viewer.event,
            request=row,
            participation=me,
            user=viewer.user,
        )
    loaded = _loaded(db_session, row.id)
    mutual = service.mutual_request_ids(
        db_session=db_session, event_id=viewer.event.id, request_ids=[row.id]
    )
    return request_read(loaded, me.id, row.id in mutual)


@router.post(
    "/{event_id}/requests/{request_id}/accept",
    response_model=MeetingRequestRead,
    summary="Accept a request you received",
)
def accept(db_session: SessionDep, viewer: ViewerDep, request_id: PathId) -> MeetingRequestRead:
    """Only its recipient. 409 with the request's current ``status`` when it is no longer
    pending (accepted meanwhile, declined, cancelled or expired)."""
    return _answer(db_session, viewer, request_id, "accept")


@router.post(
    "/{event_id}/requests/{request_id}/decline",
    response_model=MeetingRequestRead,
    summary="Decline a request you received, with an optional reason",
)
def decline(
    db_session: SessionDep, viewer: ViewerDep, request_id: PathId, data: DeclineIn | None = None
) -> MeetingRequestRead:
    """Only its recipient; the sender is told, with the reason. 409 when no longer pending."""
    reason = data.reason if data is not None else None
    return _answer(db_session, viewer, request_id, "decline", reason)


@router.post(
    "/{event_id}/requests/{request_id}/cancel",
    response_model=MeetingRequestRead,
    summary="Cancel a request you sent",
)
def cancel(db_session: SessionDep, viewer: ViewerDep, request_id: PathId) -> MeetingRequestRead:
    """Only its sender, while pending or accepted (it frees a place of your quota)."""
    return _answer(db_session, viewer, request_id, "cancel")


@router.put(
    "/{event_id}/preferences/{participant_id}",
    response_model=PreferenceRead,
    summary="Say whether you want to meet a participant",
)
def put_preference(
    db_session: SessionDep, viewer: ViewerDep, participant_id: PathId, data: PreferenceIn
) -> PreferenceRead:
    """``must_meet``, ``would_like`` or ``no_thanks`` about a participant you may meet (its
    participation id). "No thanks" blocks requests both ways; interest both ways is mutual."""
    me = viewer.require_participant()
    row = service.set_preference(
        db_session=db_session,
        event=viewer.event,
        owner=me,
        target_id=participant_id,
        level=data.level,
    )
    return PreferenceRead(participant_id=row.target_id, level=PreferenceLevel(row.level))


@router.delete(
    "/{event_id}/preferences/{participant_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Forget your preference about a participant",
)
def delete_preference(
    db_session: SessionDep, viewer: ViewerDep, participant_id: PathId
) -> Response:
    me = viewer.require_participant()
    service.delete_preference(
        db_session=db_session, event=viewer.event, owner=me, target_id=participant_id
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
