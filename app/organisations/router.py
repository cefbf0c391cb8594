"""JSON API of organisations: /api/v1/organisations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from app.accounts import audit, policy
from app.accounts.deps import CurrentUser
from app.core.db import SessionDep
from app.core.errors import API_ERROR_RESPONSES
from app.core.pagination import Page, PageDep
from app.core.types import PathId
from app.organisations import auth, service
from app.organisations.auth import ReadableOrganisation
from app.organisations.models import Organisation, OrganisationKind
from app.organisations.schemas import (
    ClaimDecision,
    DuplicateClaimRead,
    OrganisationCreate,
    OrganisationRead,
    OrganisationUpdate,
    VerificationQueue,
    VerificationUpdate,
)

router = APIRouter(prefix="/organisations", tags=["organisations"], responses=API_ERROR_RESPONSES)


@router.get("", response_model=Page[OrganisationRead], summary="List organisations")
def list_organisations(
    db_session: SessionDep,
    _user: CurrentUser,
    page: PageDep,
    kind: Annotated[OrganisationKind | None, Query(description="Only this kind")] = None,
    country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the name")] = None,
) -> Page[OrganisationRead]:
    items, total = service.list_(
        db_session=db_session,
        limit=page.limit,
        offset=page.offset,
        kind=kind.value if kind else None,
        country=country,
        q=q,
    )
    return Page[OrganisationRead](
        items=[OrganisationRead.model_validate(o) for o in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.post(
    "",
    response_model=OrganisationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create an organisation (platform administrators; sign-up creates the others)",
)
def create_organisation(
    db_session: SessionDep, user: CurrentUser, data: OrganisationCreate
) -> Organisation:
    auth.require_creator(user)
    return service.create(db_session=db_session, data=data)


@router.get(
    "/verification-queue",
    response_model=VerificationQueue,
    summary="Contested registration numbers and organisations awaiting verification "
    "(organisers and platform administrators)",
)
def verification_queue(
    db_session: SessionDep, user: CurrentUser, page: PageDep
) -> VerificationQueue:
    policy.require_organiser_or_admin(user)
    items, total = service.unverified(db_session=db_session, limit=page.limit, offset=page.offset)
    return VerificationQueue(
        duplicate_claims=[
            DuplicateClaimRead(
                claimant=OrganisationRead.model_validate(claim.claimant),
                holder=OrganisationRead.model_validate(claim.holder) if claim.holder else None,
            )
            for claim in service.duplicate_claims(db_session=db_session)
        ],
        unverified=[OrganisationRead.model_validate(o) for o in items],
        unverified_total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/{organisation_id}", response_model=OrganisationRead, summary="Show an organisation")
def get_organisation(organisation: ReadableOrganisation) -> Organisation:
    return organisation


@router.patch(
    "/{organisation_id}",
    response_model=OrganisationRead,
    summary="Edit an organisation (its members and platform administrators)",
)
def update_organisation(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    organisation_id: PathId,
    data: OrganisationUpdate,
) -> Organisation:
    organisation = auth.editable_organisation(db_session, user, organisation_id)
    return service.update(
        db_session=db_session, organisation=organisation, data=data, actor=user, request=request
    )


@router.post(
    "/{organisation_id}/registration-claim",
    response_model=OrganisationRead,
    summary="Decide an organisation's contested registration number: grant it (the holder "
    "loses it) or refuse it (organisers and platform administrators)",
)
def decide_registration_claim(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    organisation_id: PathId,
    data: ClaimDecision,
) -> Organisation:
    policy.require_organiser_or_admin(user)
    organisation = service.get(db_session=db_session, organisation_id=organisation_id)
    return service.decide_claim(
        db_session=db_session,
        claimant=organisation,
        grant=data.decision == "grant",
        actor=user,
        request=request,
    )


@router.post(
    "/{organisation_id}/verification",
    response_model=OrganisationRead,
    summary="Mark an organisation verified or not (organisers and platform administrators)",
)
def set_verification(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    organisation_id: PathId,
    data: VerificationUpdate,
) -> Organisation:
    organisation = auth.verifiable_organisation(db_session, user, organisation_id)
    if service.set_verified(
        db_session=db_session, organisation=organisation, verified=data.verified
    ):
        audit.record(
            db_session,
            action=(
                audit.AuditAction.organisation_verified
                if data.verified
                else audit.AuditAction.organisation_unverified
            ),
            actor=user,
            organisation_id=organisation.id,
            request=request,
            detail=organisation.legal_name,
        )
    return organisation
