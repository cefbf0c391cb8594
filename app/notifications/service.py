"""Write notifications: the in-app notice and, when an SMTP server is configured, its
e-mail, in the same transaction as the change that causes it (the outbox pattern)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from app.accounts.models import PasswordReset, User
from app.core.config import get_settings
from app.core.db import utcnow
from app.core.errors import NotFound
from app.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, current_locale
from app.i18n import gettext as _
from app.notifications.messages import EMAIL_ONLY_KINDS, absolute_url
from app.notifications.models import EmailStatus, Notification, NotificationKind
from app.organisations.models import Organisation


def _email_status() -> str:
    return (EmailStatus.pending if get_settings().smtp_url else EmailStatus.none).value


def notify_user(
    *,
    db_session: Session,
    user: User,
    kind: NotificationKind,
    params: Mapping[str, Any],
    link: str | None = None,
    event_id: int | None = None,
    now: datetime | None = None,
) -> Notification:
    """Write one notification to a user, in the user's language."""
    row = Notification(
        user_id=user.id,
        email=user.email,
        locale=user.locale or DEFAULT_LOCALE,
        kind=kind.value,
        params=dict(params),
        link=link,
        event_id=event_id,
        created_at=now or utcnow(),
        email_status=_email_status(),
        next_attempt_at=now or utcnow(),
    )
    db_session.add(row)
    return row


def notify_address(
    *,
    db_session: Session,
    email: str,
    locale: str,
    kind: NotificationKind,
    params: Mapping[str, Any],
    link: str | None = None,
    now: datetime | None = None,
) -> Notification:
    """Write a notification to an address with no account yet (an invitation)."""
    row = Notification(
        user_id=None,
        email=email,
        locale=locale,
        kind=kind.value,
        params=dict(params),
        link=link,
        created_at=now or utcnow(),
        email_status=_email_status(),
        next_attempt_at=now or utcnow(),
    )
    db_session.add(row)
    return row


def notify_organisation(
    *,
    db_session: Session,
    organisation_id: int,
    kind: NotificationKind,
    params: Mapping[str, Any],
    link: str | None = None,
    event_id: int | None = None,
    now: datetime | None = None,
) -> list[Notification]:
    """Write one notification to every active member of an organisation."""
    users = db_session.scalars(
        select(User)
        .where(User.organisation_id == organisation_id, User.is_active.is_(True))
        .order_by(User.id)
    ).all()
    rows = [
        notify_user(
            db_session=db_session,
            user=user,
            kind=kind,
            params=params,
            link=link,
            event_id=event_id,
            now=now,
        )
        for user in users
    ]
    db_session.flush()
    return rows


# --- reading: the user's own in-app notifications --------------------------------------------


def _in_app(user_id: int) -> list[ColumnElement[bool]]:
    # Password resets and invitations carry a secret link: e-mail only, never listed.
    return [
        Notification.user_id == user_id,
        Notification.kind.not_in([k.value for k in EMAIL_ONLY_KINDS]),
    ]


def list_for_user(
    *, db_session: Session, user_id: int, unread_only: bool = False, limit: int, offset: int
) -> tuple[list[Notification], int]:
    """Return a page of the user's in-app notifications (newest first) and their total."""
    conditions = _in_app(user_id)
    if unread_only:
        conditions.append(Notification.read_at.is_(None))
    total = db_session.scalar(select(func.count(Notification.id)).where(*conditions)) or 0
    rows = db_session.scalars(
        select(Notification)
        .where(*conditions)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def count_unread(*, db_session: Session, user_id: int) -> int:
    """Return how many in-app notifications the user has not read."""
    return (
        db_session.scalar(
            select(func.count(Notification.id)).where(
                *_in_app(user_id), Notification.read_at.is_(None)
            )
        )
        or 0
    )


def get_own(*, db_session: Session, user_id: int, notification_id: int) -> Notification:
    """Return one of the user's in-app notifications (NotFound for anyone else's)."""
    row = db_session.scalar(
        select(Notification).where(Notification.id == notification_id, *_in_app(user_id))
    )
    if row is None:
        raise NotFound(_("No such notification."))
    return row


def mark_read(
    *, db_session: Session, user_id: int, notification_id: int, now: datetime | None = None
) -> Notification:
    """Mark one of the user's notifications read (it stays read if it already was)."""
    row = get_own(db_session=db_session, user_id=user_id, notification_id=notification_id)
    if row.read_at is None:
        row.read_at = now or utcnow()
        db_session.flush()
    return row


def mark_all_read(*, db_session: Session, user_id: int, now: datetime | None = None) -> int:
    """Mark every unread notification of the user read; return how many changed."""
    result = db_session.execute(
        update(Notification)
        .where(*_in_app(user_id), Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def reset_email_statuses(*, db_session: Session, reset_ids: list[int]) -> dict[int, str]:
    """Return the e-mail status of the notification of each password reset, by reset id."""
    if not reset_ids:
        return {}
    reset_id = Notification.params["reset_id"].as_integer()
    rows = db_session.execute(
        select(reset_id, Notification.email_status).where(
            Notification.kind == NotificationKind.password_reset.value,
            reset_id.in_(reset_ids),
        )
    ).all()
    return {int(rid): status for rid, status in rows}


def mail_password_reset(*, db_session: Session, reset: PasswordReset) -> Notification:
    """Write the e-mail carrying a password reset link (e-mail only, never listed)."""
    from app.accounts import service as accounts_service
    from app.accounts.config import get_account_settings

    user = db_session.get(User, reset.user_id)
    if user is None:
        raise NotFound(_("No such account."))
    token = accounts_service.password_reset_token(reset=reset, user=user)
    return notify_user(
        db_session=db_session,
        user=user,
        kind=NotificationKind.password_reset,
        params={
            # The secret link is kept only while an e-mail is to carry it.
            **({"link": absolute_url(f"/password-reset/{token}")} if smtp_configured() else {}),
            "expires_hours": get_account_settings().password_reset_max_age_hours,
            "reset_id": reset.id,
        },
    )


def mail_invitation(
    *, db_session: Session, inviter: User, organisation_id: int, email: str, token: str
) -> Notification:
    """Write the e-mail carrying an invitation link, in the inviter's current language."""
    organisation = db_session.get(Organisation, organisation_id)
    return notify_address(
        db_session=db_session,
        email=email,
        locale=current_locale.get(),
        kind=NotificationKind.invitation,
        params={
            "organisation_name": organisation.legal_name if organisation else "",
            "inviter_email": inviter.email,
            **({"link": absolute_url(f"/invitations/{token}")} if smtp_configured() else {}),
        },
    )


def smtp_configured() -> bool:
    """Tell whether e-mails are sent (an SMTP server is configured)."""
    return bool(get_settings().smtp_url)


def remember_locale(*, user: User | None, locale: str) -> None:
    """Keep the user's language (the one of the e-mails they receive) equal to the one
    chosen; the request's commit saves it."""
    if user is None or locale not in SUPPORTED_LOCALES or user.locale == locale:
        return
    user.locale = locale
