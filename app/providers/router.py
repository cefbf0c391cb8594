"""JSON API of call-centre profiles and the directory: /api/v1/providers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.accounts.deps import CurrentUser
from app.core.db import SessionDep
from app.core.errors import API_ERROR_RESPONSES, NotFound
from app.core.pagination import Page, PageDep
from app.core.types import MAX_ID
from app.i18n import gettext as _
from app.providers import auth, service
from app.providers.auth import EditableProfile, ProviderId, ReadableProfile
from app.providers.schemas import (
    DirectoryFilters,
    ProviderProfileCreate,
    ProviderProfileRead,
    ProviderProfileUpdate,
    ProviderSummary,
    SortKey,
    profile_read,
    profile_summary,
)

# Database ids are 32-bit integers: a larger one is a 422, never a database error.
OrganisationId = Annotated[int, Path(ge=1, le=MAX_ID, description="Organisation id")]

router = APIRouter(prefix="/providers", tags=["providers"], responses=API_ERROR_RESPONSES)


def directory_filters(
    country: Annotated[
        list[str] | None, Query(description="ISO 3166 alpha-2; a site in any of them")
    ] = None,
    language: Annotated[str | None, Query(description="ISO 639-1 code, e.g. fr")] = None,
    level: Annotated[
        str | None, Query(description="Minimum level of `language` (a1…c2, native)")
    ] = None,
    service_: Annotated[
        list[str] | None, Query(alias="service", description="Service codes, all required")
    ] = None,
    sector: Annotated[list[str] | None, Query(description="Sector codes, all required")] = None,
    seats: Annotated[
        int | None, Query(description="Seats free, summed over the sites, at least this")
    ] = None,
    seats_date: Annotated[
        date | None, Query(description="Count the seats free by this date instead of now")
    ] = None,
    certification: Annotated[
        list[str] | None, Query(description="Certification codes, all required")
    ] = None,
    price_max: Annotated[
        Decimal | None, Query(description="EUR per agent-hour: the band starts at most here")
    ] = None,
    open_24_7: Annotated[bool, Query(description="Only centres open 24/7")] = False,
    q: Annotated[str | None, Query(description="Part of the name")] = None,
) -> DirectoryFilters:
    raw = {
        "country": country or [],
        "language": language or None,
        "level": level or None,
        "service": service_ or [],
        "sector": sector or [],
        "seats": seats,
        "seats_date": seats_date,
        "certification": certification or [],
        "price_max": price_max,
        "open_24_7": open_24_7,
        "q": q or None,
    }
    try:
        return DirectoryFilters.model_validate(raw)
    except ValidationError as exc:
        raise RequestValidationError(
            [
                {"loc": ("query", *err["loc"]), "msg": err["msg"], "type": err["type"]}
                for err in exc.errors()
            ]
        ) from None


FiltersDep = Annotated[DirectoryFilters, Depends(directory_filters)]


@router.get("", response_model=Page[ProviderSummary], summary="Search the directory")
def list_providers(
    user: CurrentUser,
    db_session: SessionDep,
    page: PageDep,
    filters: FiltersDep,
    sort: Annotated[
        SortKey, Query(description="name, seats (most first), price (cheapest first), updated")
    ] = "name",
) -> Page[ProviderSummary]:
    """Published call centres matching every filter given, one page at a time."""
    items, total = service.search(
        db_session=db_session, filters=filters, sort=sort, limit=page.limit, offset=page.offset
    )
    return Page[ProviderSummary](
        items=[profile_summary(p, filters.seats_date) for p in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "",
    response_model=ProviderProfileRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create the profile of a call centre",
)
def create_provider(
    user: CurrentUser, db_session: SessionDep, data: ProviderProfileCreate
) -> ProviderProfileRead:
    auth.require_creator(user, data.organisation_id)
    profile = service.create_profile(db_session=db_session, data=data)
    return profile_read(service.get_profile(db_session=db_session, provider_id=profile.id))


@router.get(
    "/by-organisation/{organisation_id}",
    response_model=ProviderProfileRead,
    summary="Show the profile of a call-centre organisation",
)
def get_provider_by_organisation(
    user: CurrentUser, db_session: SessionDep, organisation_id: OrganisationId
) -> ProviderProfileRead:
    profile = service.get_by_organisation(db_session=db_session, organisation_id=organisation_id)
    if profile is None:
        raise NotFound(_("Organisation %(id)s has no call-centre profile.", id=organisation_id))
    return profile_read(auth.readable(user, profile))


@router.get("/{provider_id}", response_model=ProviderProfileRead, summary="Show a call centre")
def get_provider(profile: ReadableProfile) -> ProviderProfileRead:
    return profile_read(profile)


@router.patch(
    "/{provider_id}", response_model=ProviderProfileRead, summary="Edit a call centre's profile"
)
def update_provider(
    user: CurrentUser,
    db_session: SessionDep,
    provider_id: ProviderId,
    data: ProviderProfileUpdate,
) -> ProviderProfileRead:
    # Checked in the body (not as a dependency) so that an invalid body is a 422 first.
    profile = auth.editable(
        user, service.get_profile(db_session=db_session, provider_id=provider_id)
    )
    service.update_profile(db_session=db_session, profile=profile, data=data)
    return profile_read(service.get_profile(db_session=db_session, provider_id=provider_id))


@router.post(
    "/{provider_id}/close",
    response_model=ProviderProfileRead,
    summary="Withdraw a call centre from the directory",
)
def close_provider(db_session: SessionDep, profile: EditableProfile) -> ProviderProfileRead:
    return profile_read(service.close_profile(db_session=db_session, profile=profile))


@router.post(
    "/{provider_id}/publish",
    response_model=ProviderProfileRead,
    summary="List a call centre in the directory (again)",
)
def publish_provider(db_session: SessionDep, profile: EditableProfile) -> ProviderProfileRead:
    return profile_read(service.publish_profile(db_session=db_session, profile=profile))
