"""JSON API of recommendations: /api/v1/needs/{id}/matches, /api/v1/providers/{id}/matches
and the organisers' weight sets (/api/v1/weight-sets)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from sqlalchemy.orm import Session

from app.accounts.deps import CurrentUser
from app.core.db import SessionDep
from app.core.errors import API_ERROR_RESPONSES
from app.core.pagination import MAX_LIMIT, MAX_OFFSET, Page, PageDep
from app.core.types import MAX_ID, PathId
from app.i18n import current_locale
from app.providers import service as providers_service
from app.recommendations import service
from app.recommendations.cache import caches_of
from app.recommendations.models import ScoringWeightSet
from app.recommendations.schemas import (
    NeedMatchesPage,
    ProviderMatchesPage,
    WeightSetIn,
    WeightSetRead,
    WeightSetUpdate,
)

router = APIRouter(tags=["recommendations"], responses=API_ERROR_RESPONSES)

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (at most 100)")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")]
IncludeExcluded = Annotated[
    bool, Query(description="Also list a page of the excluded candidates with their reasons")
]
ExcludedOffset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description="Excluded candidates to skip")
]
WeightSetId = Annotated[
    int | None,
    Query(
        alias="weights",
        ge=1,
        le=MAX_ID,
        description="Id of a weight set (an organiser's weight overrides)",
    ),
]


def _weight_set(db_session: Session, weight_set_id: int | None) -> ScoringWeightSet | None:
    if weight_set_id is None:
        return None
    return service.get_weight_set(db_session=db_session, weight_set_id=weight_set_id)


@router.get(
    "/needs/{need_id}/matches",
    response_model=NeedMatchesPage,
    summary="Call centres recommended for a need",
)
def need_matches(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    need_id: PathId,
    limit: Limit = 20,
    offset: Offset = 0,
    include_excluded: IncludeExcluded = False,
    excluded_offset: ExcludedOffset = 0,
    weight_set_id: WeightSetId = None,
) -> NeedMatchesPage:
    """Published call centres ranked for the need, best first, each with its score (0–100)
    and its parts (criterion, points, maximum, a sentence in your language) adding up to
    the score. For the client's own members and platform admins (drafts included), and
    organisers (open needs). ``missing`` says what the need could add for better matches."""
    caches = caches_of(request.app.state)
    need, features = service.need_for_matching(
        db_session=db_session, need_index=caches.needs.get(db_session), need_id=need_id
    )
    service.ensure_can_see_need_matches(user, need)
    weight_set = _weight_set(db_session, weight_set_id)
    return service.need_matches(
        db_session=db_session,
        index=caches.providers.get(db_session),
        need=need,
        features=features,
        weight_set=weight_set,
        limit=limit,
        offset=offset,
        include_excluded=include_excluded,
        excluded_offset=excluded_offset,
        locale=current_locale.get(),
        voice=service.need_voice(user, need),
    )


@router.get(
    "/providers/{provider_id}/matches",
    response_model=ProviderMatchesPage,
    summary="Open needs that fit a call centre",
)
def provider_matches(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    provider_id: PathId,
    limit: Limit = 20,
    offset: Offset = 0,
    include_excluded: IncludeExcluded = False,
    excluded_offset: ExcludedOffset = 0,
    weight_set_id: WeightSetId = None,
) -> ProviderMatchesPage:
    """Open needs ranked for the call centre (its own members and platform admins). An
    anonymous client's name is shown only once it shortlisted the centre or accepted its
    interest."""
    profile = providers_service.get_profile(db_session=db_session, provider_id=provider_id)
    service.ensure_can_see_provider_matches(user, profile)
    weight_set = _weight_set(db_session, weight_set_id)
    caches = caches_of(request.app.state)
    return service.provider_matches(
        db_session=db_session,
        need_index=caches.needs.get(db_session),
        profile=profile,
        user=user,
        weight_set=weight_set,
        limit=limit,
        offset=offset,
        include_excluded=include_excluded,
        excluded_offset=excluded_offset,
        locale=current_locale.get(),
    )


# --- weight sets ---------------------------------------------------------------------------


@router.get("/weight-sets", response_model=Page[WeightSetRead], summary="List weight sets")
def list_weight_sets(
    db_session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    organisation_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Page[WeightSetRead]:
    """Every signed-in user may read them (they are applied with ``weights=<id>``)."""
    rows, total = service.list_weight_sets(
        db_session=db_session, organisation_id=organisation_id, limit=page.limit, offset=page.offset
    )
    return Page[WeightSetRead](
        items=[service.weight_set_read(r) for r in rows],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "/weight-sets",
    response_model=WeightSetRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a weight set (organisers)",
)
def create_weight_set(
    db_session: SessionDep, user: CurrentUser, data: WeightSetIn
) -> WeightSetRead:
    """Overrides of the default weights, each 0–100, for the criteria named; an organiser
    creates them for its own organisation, a platform admin names the organiser."""
    row = service.create_weight_set(db_session=db_session, user=user, data=data)
    return service.weight_set_read(row)


@router.get(
    "/weight-sets/{weight_set_id}", response_model=WeightSetRead, summary="Show a weight set"
)
def get_weight_set(
    db_session: SessionDep, user: CurrentUser, weight_set_id: PathId
) -> WeightSetRead:
    return service.weight_set_read(
        service.get_weight_set(db_session=db_session, weight_set_id=weight_set_id)
    )


@router.patch(
    "/weight-sets/{weight_set_id}",
    response_model=WeightSetRead,
    summary="Edit a weight set (its organiser)",
)
def update_weight_set(
    db_session: SessionDep, user: CurrentUser, weight_set_id: PathId, data: WeightSetUpdate
) -> WeightSetRead:
    row = service.get_weight_set(db_session=db_session, weight_set_id=weight_set_id)
    row = service.update_weight_set(db_session=db_session, user=user, weight_set=row, data=data)
    return service.weight_set_read(row)


@router.delete(
    "/weight-sets/{weight_set_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a weight set (its organiser)",
)
def delete_weight_set(db_session: SessionDep, user: CurrentUser, weight_set_id: PathId) -> Response:
    row = service.get_weight_set(db_session=db_session, weight_set_id=weight_set_id)
    service.delete_weight_set(db_session=db_session, user=user, weight_set=row)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
