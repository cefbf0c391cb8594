"""The audit log of security-relevant events. ``record`` only adds a row: the request's
commit stores it with the rest of the work (a failed login's row is committed too, since
the login page returns normally)."""

from __future__ import annotations

import enum

from sqlalchemy.orm import Session
from starlette.requests import Request

from app.accounts.models import AuditEvent, User
from app.i18n import LazyString, lazy_gettext


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


# What each action means, for the audit log page (the codes stay in the database and the URL).
ACTION_LABELS: dict[str, LazyString] = {
    AuditAction.signup.value: lazy_gettext("Signed up"),
    AuditAction.login.value: lazy_gettext("Logged in"),
    AuditAction.login_failed.value: lazy_gettext("Failed login"),
    AuditAction.login_throttled.value: lazy_gettext("Login blocked after failures"),
    AuditAction.logout.value: lazy_gettext("Logged out"),
    AuditAction.logout_everywhere.value: lazy_gettext("Logged out everywhere"),
    AuditAction.password_changed.value: lazy_gettext("Password changed"),
    AuditAction.password_reset_requested.value: lazy_gettext("Password reset asked"),
    AuditAction.password_reset_done.value: lazy_gettext("Password reset done"),
    AuditAction.invitation_created.value: lazy_gettext("Invitation created"),
    AuditAction.invitation_accepted.value: lazy_gettext("Invitation accepted"),
    AuditAction.token_created.value: lazy_gettext("Access token created"),
    AuditAction.token_revoked.value: lazy_gettext("Access token revoked"),
    AuditAction.role_changed.value: lazy_gettext("Role changed"),
    AuditAction.user_deactivated.value: lazy_gettext("Account deactivated"),
    AuditAction.user_reactivated.value: lazy_gettext("Account reactivated"),
    AuditAction.admin_created.value: lazy_gettext("Platform administrator created"),
    AuditAction.organisation_verified.value: lazy_gettext("Organisation verified"),
    AuditAction.organisation_unverified.value: lazy_gettext("Verification withdrawn"),
}


def action_label(action: str) -> str:
    """The action in words, in the page's language (the code itself when unknown)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


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
