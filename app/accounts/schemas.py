"""API schemas of accounts (kept apart from the ORM models)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.accounts.audit import AuditAction
from app.accounts.models import MembershipRole
from app.organisations.models import OrganisationKind

TokenName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class OrganisationBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: OrganisationKind
    legal_name: str


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    organisation_id: int | None
    role: MembershipRole
    is_platform_admin: bool
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class MeRead(UserRead):
    organisation: OrganisationBrief | None


class UserUpdate(BaseModel):
    """Administrators change a user's role in its organisation, platform rights, or
    deactivate the account. Only the fields sent are changed."""

    role: MembershipRole | None = None
    is_platform_admin: bool | None = None
    is_active: bool | None = None

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"role": "admin"}]})


class TokenCreate(BaseModel):
    name: TokenName = Field(description="What the token is for, e.g. 'CRM sync'")

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"name": "CRM"}]})


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenRead):
    token: str = Field(description="The token itself: shown only in this response")


class AuditEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    action: AuditAction
    actor_id: int | None
    actor_email: str | None
    target_user_id: int | None
    organisation_id: int | None
    ip: str | None
    detail: str | None


class InvitationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organisation_id: int
    email: str
    inviter_id: int | None
    created_at: datetime
    expires_at: datetime
