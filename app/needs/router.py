"""JSON API of needs: /api/v1/needs (plus shortlists and expressions of interest)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from sqlalchemy.orm import Session

from app.accounts import policy
from app.accounts.deps import CurrentUser
from app.accounts.models import User
from app.core.db import SessionDep
from app.core.errors import API_ERROR_RESPONSES, FieldError, PermissionDenied
from app.core.fields import CountryCode, LanguageCode
from app.core.pagination import Page, PageDep
from app.core.types import MAX_ID, PathId
from app.i18n import gettext as _
from app.needs import auth, service
from app.needs.models import InterestStatus, Need, NeedStatus
from app.needs.schemas import (
    InterestCreate,
    InterestRead,
    LevelCode,
    NeedCreate,
    NeedRead,
    NeedUpdate,
    SectorCode,
    ServiceCode,
    ShortlistAdd,
    ShortlistRead,
    interest_read,
    need_read,
    shortlist_read,
)
from app.needs.service import NeedFilters

router = APIRouter(prefix="/needs", tags=["needs"], responses=API_ERROR_RESPONSES)


def _read(db_session: Session, need: Need, user: User) -> NeedRead:
    visible = service.visibility(db_session=db_session, needs=[need], user=user)[need.id]
    return need_read(need, client_visible=visible)


@router.get("", response_model=Page[NeedRead], summary="List needs")
def list_needs(
    db_session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    mine: Annotated[bool, Query(description="Only my organisation's needs (every status)")] = False,
    status_: Annotated[
        NeedStatus | None, Query(alias="status", description="With mine=true")
    ] = None,
    service_: Annotated[ServiceCode | None, Query(alias="service")] = None,
    sector: Annotated[SectorCode | None, Query()] = None,
    language: Annotated[LanguageCode | None, Query(description="ISO 639-1")] = None,
    level: Annotated[
        LevelCode | None, Query(description="With language: needs asking at most this level")
    ] = None,
    market: Annotated[CountryCode | None, Query(description="Target market, ISO 3166")] = None,
    min_seats: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    max_seats: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    q: Annotated[str | None, Query(max_length=100, description="In title or description")] = None,
) -> Page[NeedRead]:
    """Open needs for everyone signed in (filters combine), or with ``mine=true`` the
    needs of the user's own client organisation, drafts included."""
    if mine:
        if user.organisation_id is None:
            raise PermissionDenied(_("You do not belong to an organisation."))
        items, total = service.list_for_organisation(
            db_session=db_session,
            organisation_id=user.organisation_id,
            status=status_.value if status_ else None,
            limit=page.limit,
            offset=page.offset,
        )
    else:
        if status_ not in (None, NeedStatus.open):
            raise FieldError({"status": _("Only open needs are listed; use mine=true.")})
        items, total = service.list_open(
            db_session=db_session,
            filters=NeedFilters(
                service=service_,
                sector=sector,
                language=language,
                level=level,
                market=market,
                min_seats=min_seats,
                max_seats=max_seats,
                q=q,
            ),
            limit=page.limit,
            offset=page.offset,
        )
    visible = service.visibility(db_session=db_session, needs=items, user=user)
    return Page[NeedRead](
        items=[need_read(n, client_visible=visible[n.id]) for n in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "", response_model=NeedRead, status_code=status.HTTP_201_CREATED, summary="Create a need"
)
def create_need(db_session: SessionDep, user: CurrentUser, data: NeedCreate) -> NeedRead:
    """A client member creates a need of its own organisation (``organisation_id`` may be
    left out); a platform admin names the organisation."""
    if policy.is_platform_admin(user):
        organisation_id = data.organisation_id or user.organisation_id
        if organisation_id is None:
            raise FieldError({"organisation_id": _("Name the client organisation.")})
    else:
        organisation_id = policy.require_kind(user, "client")
        if data.organisation_id not in (None, organisation_id):
            raise PermissionDenied(_("You can only post needs for your own organisation."))
    need = service.create(db_session=db_session, organisation_id=organisation_id, data=data)
    return _read(db_session, need, user)


@router.get("/{need_id}", response_model=NeedRead, summary="Show a need")
def get_need(db_session: SessionDep, user: CurrentUser, need_id: PathId) -> NeedRead:
    need = auth.readable_need(db_session, user, need_id)
    return _read(db_session, need, user)


@router.patch("/{need_id}", response_model=NeedRead, summary="Edit a need")
def update_need(
    db_session: SessionDep, user: CurrentUser, need_id: PathId, data: NeedUpdate
) -> NeedRead:
    need = auth.editable_need(db_session, user, need_id)
    need = service.update(db_session=db_session, need=need, data=data)
    return _read(db_session, need, user)


@router.post("/{need_id}/open", response_model=NeedRead, summary="Publish or reopen a need")
def open_need(db_session: SessionDep, user: CurrentUser, need_id: PathId) -> NeedRead:
    need = auth.editable_need(db_session, user, need_id)
    service.open_(db_session=db_session, need=need)
    return _read(db_session, need, user)


@router.post("/{need_id}/close", response_model=NeedRead, summary="Close a need")
def close_need(db_session: SessionDep, user: CurrentUser, need_id: PathId) -> NeedRead:
    need = auth.editable_need(db_session, user, need_id)
    service.close(db_session=db_session, need=need)
    return _read(db_session, need, user)


# --- shortlist ------------------------------------------------------------------------------


@router.get(
    "/{need_id}/shortlist",
    response_model=list[ShortlistRead],
    summary="Providers shortlisted for a need (the client only)",
)
def get_shortlist(
    db_session: SessionDep, user: CurrentUser, need_id: PathId
) -> list[ShortlistRead]:
    need = auth.editable_need(db_session, user, need_id)
    return [
        shortlist_read(r) for r in service.shortlist_of(db_session=db_session, need_ids=[need.id])
    ]


@router.post(
    "/{need_id}/shortlist",
    response_model=ShortlistRead,
    status_code=status.HTTP_201_CREATED,
    summary="Shortlist a provider",
)
def add_to_shortlist(
    db_session: SessionDep, user: CurrentUser, need_id: PathId, data: ShortlistAdd
) -> ShortlistRead:
    """Idempotent. Shortlisting reveals an anonymous client's name to that provider."""
    need = auth.editable_need(db_session, user, need_id)
    service.shortlist(db_session=db_session, need=need, provider_id=data.provider_id)
    rows = service.shortlist_of(db_session=db_session, need_ids=[need.id])
    return next(shortlist_read(r) for r in rows if r.provider_id == data.provider_id)


@router.delete(
    "/{need_id}/shortlist/{provider_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a provider from the shortlist",
)
def remove_from_shortlist(
    db_session: SessionDep, user: CurrentUser, need_id: PathId, provider_id: PathId
) -> Response:
    need = auth.editable_need(db_session, user, need_id)
    service.unshortlist(db_session=db_session, need=need, provider_id=provider_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- expressions of interest ----------------------------------------------------------------


@router.get(
    "/{need_id}/interests",
    response_model=list[InterestRead],
    summary="Expressions of interest in a need",
)
def list_interests(
    db_session: SessionDep,
    user: CurrentUser,
    need_id: PathId,
    status_: Annotated[InterestStatus | None, Query(alias="status")] = None,
) -> list[InterestRead]:
    """The client sees every expression of interest in its need; a provider only its own."""
    need = auth.readable_need(db_session, user, need_id)
    rows = service.interests_for_needs(
        db_session=db_session, need_ids=[need.id], status=status_.value if status_ else None
    )
    if not auth.can_edit(need, user):
        rows = [r for r in rows if r.provider_id == user.organisation_id]
    return [interest_read(r) for r in rows]


@router.post(
    "/{need_id}/interests",
    response_model=InterestRead,
    status_code=status.HTTP_201_CREATED,
    summary="Express interest in a need",
)
def express_interest(
    db_session: SessionDep, user: CurrentUser, need_id: PathId, data: InterestCreate
) -> InterestRead:
    """A call centre tells the client it can serve this open need."""
    need = auth.readable_need(db_session, user, need_id)
    if policy.is_platform_admin(user):
        provider_id = data.provider_id
        if provider_id is None:
            raise FieldError({"provider_id": _("Name the call centre.")})
    else:
        provider_id = policy.require_kind(user, "provider")
        if data.provider_id not in (None, provider_id):
            raise PermissionDenied(_("Only a call centre's members can express its interest."))
    service.express_interest(
        db_session=db_session, need=need, provider_id=provider_id, message=data.message
    )
    return interest_read(
        service.get_interest(db_session=db_session, need_id=need.id, provider_id=provider_id)
    )


def _decide(
    db_session: Session, user: User, need_id: int, provider_id: int, accept: bool
) -> InterestRead:
    need = auth.editable_need(db_session, user, need_id)
    service.decide_interest(
        db_session=db_session, need=need, provider_id=provider_id, accept=accept
    )
    return interest_read(
        service.get_interest(db_session=db_session, need_id=need.id, provider_id=provider_id)
    )


@router.post(
    "/{need_id}/interests/{provider_id}/accept",
    response_model=InterestRead,
    summary="Accept an expression of interest",
)
def accept_interest(
    db_session: SessionDep, user: CurrentUser, need_id: PathId, provider_id: PathId
) -> InterestRead:
    """Accepting reveals an anonymous client's name to that provider."""
    return _decide(db_session, user, need_id, provider_id, True)


@router.post(
    "/{need_id}/interests/{provider_id}/decline",
    response_model=InterestRead,
    summary="Decline an expression of interest",
)
def decline_interest(
    db_session: SessionDep, user: CurrentUser, need_id: PathId, provider_id: PathId
) -> InterestRead:
    return _decide(db_session, user, need_id, provider_id, False)
