"""Write notifications: the in-app notice and, when an SMTP server is configured, its
e-mail, in the same transaction as the change that causes it (the outbox pattern)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounts.models import User
from app.core.config import get_settings
from app.core.db import utcnow
from app.i18n import DEFAULT_LOCALE
from app.notifications.models import EmailStatus, Notification, NotificationKind


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
