"""JSON API of accounts: the caller (/me), personal access tokens, users (administrators),
the audit log (administrators), an organisation's members."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.accounts import policy, service
from app.accounts.audit import AuditAction
from app.accounts.deps import CurrentUser, PlatformAdmin
from app.accounts.models import ApiToken, Invitation, User
from app.accounts.schemas import (
    AuditEventRead,
    InvitationRead,
    MeRead,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserRead,
    UserUpdate,
)
from app.core.db import SessionDep
from app.core.errors import API_ERROR_RESPONSES
from app.core.pagination import Page, PageDep
from app.core.types import MAX_ID, PathId
from app.organisations import service as organisations

router = APIRouter(tags=["accounts"], responses=API_ERROR_RESPONSES)


@router.get("/me", response_model=MeRead, summary="The signed-in user")
def read_me(user: CurrentUser) -> User:
    return user


@router.get("/me/tokens", response_model=list[TokenRead], summary="My personal access tokens")
def list_my_tokens(db_session: SessionDep, user: CurrentUser) -> list[ApiToken]:
    return service.list_api_tokens(db_session=db_session, user=user)


@router.post(
    "/me/tokens",
    response_model=TokenCreated,
    status_code=status.HTTP_201_CREATED,
    summary="Create a personal access token (the token is shown only in this response)",
)
def create_my_token(
    request: Request, db_session: SessionDep, user: CurrentUser, data: TokenCreate
) -> TokenCreated:
    api_token, clear = service.create_api_token(
        db_session=db_session, user=user, name=data.name, request=request
    )
    return TokenCreated(**TokenRead.model_validate(api_token).model_dump(), token=clear)


@router.delete(
    "/me/tokens/{token_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Revoke one of my personal access tokens",
)
def revoke_my_token(
    request: Request, db_session: SessionDep, user: CurrentUser, token_id: PathId
) -> Response:
    service.revoke_api_token(db_session=db_session, user=user, token_id=token_id, request=request)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/users", response_model=Page[UserRead], summary="List users (administrators)")
def list_users(
    db_session: SessionDep,
    _admin: PlatformAdmin,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=100, description="Part of the e-mail")] = None,
    organisation_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Only this organisation")
    ] = None,
) -> Page[UserRead]:
    items, total = service.list_users(
        db_session=db_session,
        limit=page.limit,
        offset=page.offset,
        q=q,
        organisation_id=organisation_id,
    )
    return Page[UserRead](
        items=[UserRead.model_validate(u) for u in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get("/users/{user_id}", response_model=UserRead, summary="Show a user (administrators)")
def get_user(db_session: SessionDep, _admin: PlatformAdmin, user_id: PathId) -> User:
    return service.get_user(db_session=db_session, user_id=user_id)


@router.patch(
    "/users/{user_id}",
    response_model=UserRead,
    summary="Change a user's role, platform rights or active flag (administrators)",
)
def update_user(
    request: Request,
    db_session: SessionDep,
    admin: PlatformAdmin,
    user_id: PathId,
    data: UserUpdate,
) -> User:
    target = service.get_user(db_session=db_session, user_id=user_id)
    return service.update_user(
        db_session=db_session, actor=admin, user=target, data=data, request=request
    )


@router.get(
    "/audit-events",
    response_model=Page[AuditEventRead],
    summary="The audit log of security-relevant events (administrators)",
)
def list_audit_events(
    db_session: SessionDep,
    _admin: PlatformAdmin,
    page: PageDep,
    action: Annotated[AuditAction | None, Query(description="Only this kind of event")] = None,
) -> Page[AuditEventRead]:
    items, total = service.list_audit_events(
        db_session=db_session,
        limit=page.limit,
        offset=page.offset,
        action=action.value if action else None,
    )
    return Page[AuditEventRead](
        items=[AuditEventRead.model_validate(e) for e in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/organisations/{organisation_id}/members",
    response_model=Page[UserRead],
    tags=["organisations"],
    summary="Members of an organisation (its members and administrators only)",
)
def list_members(
    db_session: SessionDep, user: CurrentUser, page: PageDep, organisation_id: PathId
) -> Page[UserRead]:
    organisations.get(db_session=db_session, organisation_id=organisation_id)
    policy.require_member(user, organisation_id)
    items, total = service.list_users(
        db_session=db_session,
        limit=page.limit,
        offset=page.offset,
        organisation_id=organisation_id,
    )
    return Page[UserRead](
        items=[UserRead.model_validate(u) for u in items],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


@router.get(
    "/organisations/{organisation_id}/invitations",
    response_model=list[InvitationRead],
    tags=["organisations"],
    summary="Pending invitations of an organisation (its admins and platform administrators)",
)
def list_invitations(
    db_session: SessionDep, user: CurrentUser, organisation_id: PathId
) -> list[Invitation]:
    organisations.get(db_session=db_session, organisation_id=organisation_id)
    policy.require_org_admin(user, organisation_id)
    return service.list_invitations(db_session=db_session, organisation_id=organisation_id)


@router.delete(
    "/organisations/{organisation_id}/invitations/{invitation_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    tags=["organisations"],
    summary="Revoke a pending invitation (its organisation's admins and platform administrators)",
)
def revoke_invitation(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    organisation_id: PathId,
    invitation_id: PathId,
) -> Response:
    organisations.get(db_session=db_session, organisation_id=organisation_id)
    service.revoke_invitation(
        db_session=db_session,
        actor=user,
        organisation_id=organisation_id,
        invitation_id=invitation_id,
        request=request,
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
