"""ORM models of accounts: users, personal access tokens, login failures, password resets,
and the audit log of security-relevant events."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, TimestampMixin, UTCDateTime, utcnow
from app.organisations.models import Organisation


class MembershipRole(enum.StrEnum):
    member = "member"
    admin = "admin"


class User(TimestampMixin, Base):
    """A person who signs in. Belongs to one organisation (as member or admin of it), except
    platform administrators, who may belong to none."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('member', 'admin')", name="role"),
        CheckConstraint("length(email) > 2", name="email_not_empty"),
        CheckConstraint(
            "organisation_id IS NOT NULL OR is_platform_admin", name="organisation_or_admin"
        ),
        CheckConstraint("session_version >= 1", name="session_version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Stored lower-cased: one account per address whatever its case.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str] = mapped_column(String(16), default=MembershipRole.member.value)
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Bumped by "log out everywhere" and password changes: older session cookies stop working.
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The language of the interface and of e-mails sent to this user ("en", "fr").
    locale: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    # The user's own IANA time zone, shown beside an event's local time when it differs.
    timezone: Mapped[str | None] = mapped_column(String(64))

    organisation: Mapped[Organisation | None] = relationship(lazy="raise")

    @property
    def is_org_admin(self) -> bool:
        return self.role == MembershipRole.admin.value


class ApiToken(Base):
    """A personal access token: only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, so the owner can recognise a token in the list.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginFailure(Base):
    """One throttled attempt: a failed login or a wrong current password, keyed by client
    address ("ip:...") and by account ("email:..."); a password reset request
    ("reset:..." / "reset-ip:..."); a sign-up ("signup-ip:...").

    Kept in the database so that every app process throttles the same way."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(340), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class PasswordReset(Base):
    """A requested password reset. The link carries a signed token naming this row; until a
    mail outbox exists, administrators see pending links and pass them on."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="raise")


class Invitation(Base):
    """An invitation to join an organisation. The link carries a signed token naming this
    row: it works once, until it expires or is revoked, and only while its inviter may
    still invite (an organisation admin, active)."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(320))
    inviter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    inviter: Mapped[User | None] = relationship(lazy="raise")


class AuditEvent(Base):
    """A security-relevant event: login, failed login, token created/revoked, role change,
    verification... Visible to platform administrators."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The e-mail as typed or as it was then (kept if the user is deleted; failed logins).
    actor_email: Mapped[str | None] = mapped_column(String(320))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    ip: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
