"""The audit log of security-relevant events. ``record`` only adds a row: the request's
commit stores it with the rest of the work (a failed login's row is committed too, since
the login page returns normally)."""

from __future__ import annotations

import enum

from sqlalchemy.orm import Session
from starlette.requests import Request

from app.accounts.models import AuditEvent, User


class AuditAction(enum.StrEnum):
    signup = "signup"
    login = "login"
    login_failed = "login_failed"
    login_throttled = "login_throttled"
    logout = "logout"
    logout_everywhere = "logout_everywhere"
    password_changed = "password_changed"
    password_reset_requested = "password_reset_requested"
    password_reset_done = "password_reset_done"
    invitation_created = "invitation_created"
    invitation_accepted = "invitation_accepted"
    token_created = "token_created"
    token_revoked = "token_revoked"
    role_changed = "role_changed"
    user_deactivated = "user_deactivated"
    user_reactivated = "user_reactivated"
    admin_created = "admin_created"
    organisation_verified = "organisation_verified"
    organisation_unverified = "organisation_unverified"
    invitation_revoked = "invitation_revoked"
    password_reset_throttled = "password_reset_throttled"
    signup_throttled = "signup_throttled"
    password_change_throttled = "password_change_throttled"
    tokens_revoked_on_deactivation = "tokens_revoked_on_deactivation"
    registration_claim_duplicate = "registration_claim_duplicate"
    registration_claim_decided = "registration_claim_decided"


def client_ip(request: Request | None) -> str | None:
    if request is None or request.client is None:
        return None
    return request.client.host[:64]


def record(
    db_session: Session,
    *,
    action: AuditAction,
    actor: User | None = None,
    actor_email: str | None = None,
    target_user_id: int | None = None,
    organisation_id: int | None = None,
    request: Request | None = None,
    detail: str | None = None,
) -> AuditEvent:
    event = AuditEvent(
        action=action.value,
        actor_id=actor.id if actor is not None else None,
        actor_email=(actor.email if actor is not None else actor_email),
        target_user_id=target_user_id,
        organisation_id=organisation_id,
        ip=client_ip(request),
        detail=detail,
    )
    db_session.add(event)
    db_session.flush()
    return event
