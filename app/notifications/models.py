"""ORM model of a notification: one row is both the in-app notice and its e-mail outbox
entry, written in the same transaction as the change that causes it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, UTCDateTime, utcnow


class NotificationKind(enum.StrEnum):
    """What happened. Each kind has a subject and body in every language, filled from the
    row's ``params`` (plain JSON values: names, dates as ISO strings, ids)."""

    request_received = "request_received"
    request_accepted = "request_accepted"
    request_declined = "request_declined"
    request_cancelled = "request_cancelled"
    request_expired = "request_expired"
    registration_received = "registration_received"
    registration_approved = "registration_approved"
    registration_refused = "registration_refused"
    event_reminder = "event_reminder"
    password_reset = "password_reset"
    invitation = "invitation"


class EmailStatus(enum.StrEnum):
    # No e-mail is due (in-app only, or no SMTP server configured when it was written).
    none = "none"
    pending = "pending"
    sent = "sent"
    failed = "failed"


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(
            "kind IN ({})".format(", ".join(repr(k.value) for k in NotificationKind)),
            name="kind",
        ),
        CheckConstraint(
            "email_status IN ({})".format(", ".join(repr(s.value) for s in EmailStatus)),
            name="email_status",
        ),
        CheckConstraint("user_id IS NOT NULL OR email IS NOT NULL", name="has_recipient"),
        CheckConstraint("attempts >= 0", name="attempts_non_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The recipient: a user, or only an address (an invitation to someone without account).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(320))
    # The language the message is written in (the recipient's at the time).
    locale: Mapped[str] = mapped_column(String(5), default="en")
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Where the notice leads in the app (a path such as /events/3/requests).
    link: Mapped[str | None] = mapped_column(String(500))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The e-mail side (the outbox).
    email_status: Mapped[str] = mapped_column(
        String(10), default=EmailStatus.none.value, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
