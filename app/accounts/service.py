"""Use cases of accounts. Functions flush; the request boundary commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload
from starlette.requests import Request

from app.accounts import audit, policy
from app.accounts.audit import AuditAction
from app.accounts.config import get_account_settings
from app.accounts.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    LoginFailure,
    MembershipRole,
    PasswordReset,
    User,
)
from app.accounts.schemas import UserUpdate
from app.accounts.security import (
    InvalidToken,
    hash_api_token,
    hash_password,
    needs_rehash,
    new_api_token,
    password_problem,
    sign,
    unsign,
    verify_password,
)
from app.core.db import utcnow
from app.core.errors import FieldError, NotFound
from app.i18n import gettext as _
from app.organisations import service as organisations
from app.organisations.models import Organisation, OrganisationKind
from app.organisations.schemas import OrganisationCreate


def normalise_email(email: str) -> str:
    return email.strip().lower()


# --- users ---------------------------------------------------------------------------------


def get_user(*, db_session: Session, user_id: int) -> User:
    user = db_session.scalar(
        select(User).options(joinedload(User.organisation)).where(User.id == user_id)
    )
    if user is None:
        raise NotFound(_("User %(id)s not found.", id=user_id))
    return user


def get_by_email(*, db_session: Session, email: str) -> User | None:
    return db_session.scalar(select(User).where(User.email == normalise_email(email)))


def check_new_password(password: str, *, email: str | None, field: str = "password") -> None:
    problem = password_problem(password, email=email)
    if problem:
        raise FieldError({field: problem})


def create_user(
    *,
    db_session: Session,
    email: str,
    password: str,
    organisation_id: int | None,
    role: MembershipRole = MembershipRole.member,
    is_platform_admin: bool = False,
    password_hash: str | None = None,
) -> User:
    """A new user; ``password_hash`` lets tests skip the (deliberately slow) hashing."""
    email = normalise_email(email)
    if password_hash is None:
        check_new_password(password, email=email)
    if get_by_email(db_session=db_session, email=email) is not None:
        raise FieldError({"email": _("An account with this e-mail address already exists.")})
    user = User(
        email=email,
        password_hash=password_hash or hash_password(password),
        organisation_id=organisation_id,
        role=role.value,
        is_platform_admin=is_platform_admin,
    )
    db_session.add(user)
    try:
        db_session.flush()
    except IntegrityError:  # a concurrent sign-up with the same address won the race
        raise FieldError(
            {"email": _("An account with this e-mail address already exists.")}
        ) from None
    return user


def signup_wait(*, db_session: Session, ip: str | None) -> Throttled | None:
    """Refuse a sign-up for a while after too many from the same client address."""
    settings = get_account_settings()
    if ip is None:
        return None
    return _wait(
        db_session,
        [(f"signup-ip:{ip}", settings.signup_max_per_ip)],
        timedelta(minutes=settings.signup_window_minutes),
    )


def count_signup_attempt(*, db_session: Session, request: Request | None) -> None:
    """Count a sign-up attempt (succeeded or not) against the client address's limit."""
    ip = audit.client_ip(request)
    if ip is not None:
        window = timedelta(minutes=get_account_settings().signup_window_minutes)
        _count_attempt(db_session, [f"signup-ip:{ip}"], window)


def signup(
    *,
    db_session: Session,
    organisation: OrganisationCreate,
    email: str,
    password: str,
    request: Request | None = None,
    password_hash: str | None = None,
) -> User:
    """A client or provider organisation and its first user, who becomes its admin.

    A registration number another organisation already claims is accepted: both claims go
    to the organisers' verification queue, who decide (a squatter cannot lock the real
    company out). ``password_hash``: hashed beforehand, outside any transaction."""
    if organisation.kind not in (OrganisationKind.client, OrganisationKind.provider):
        raise FieldError({"kind": _("Sign up as a client company or as a call centre.")})
    email = normalise_email(email)
    check_new_password(password, email=email)
    if get_by_email(db_session=db_session, email=email) is not None:
        raise FieldError({"email": _("An account with this e-mail address already exists.")})
    org = organisations.create(db_session=db_session, data=organisation)
    user = create_user(
        db_session=db_session,
        email=email,
        password=password,
        organisation_id=org.id,
        role=MembershipRole.admin,
        password_hash=password_hash,
    )
    audit.record(
        db_session,
        action=AuditAction.signup,
        actor=user,
        organisation_id=org.id,
        request=request,
        detail=org.legal_name,
    )
    if org.contested_registration_number:
        holders = organisations.rival_claims(db_session=db_session, organisation=org)
        audit.record(
            db_session,
            action=AuditAction.registration_claim_duplicate,
            actor=user,
            organisation_id=org.id,
            request=request,
            detail=f"{org.country} {org.contested_registration_number}: held by "
            + ", ".join(f"#{h.id} {h.legal_name}" for h in holders),
        )
    return user


def create_platform_admin(*, db_session: Session, email: str, password: str) -> User:
    user = create_user(
        db_session=db_session,
        email=email,
        password=password,
        organisation_id=None,
        is_platform_admin=True,
    )
    audit.record(
        db_session,
        action=AuditAction.admin_created,
        actor=user,
        target_user_id=user.id,
        detail="command line",
    )
    return user


# --- login, throttling --------------------------------------------------------------------


@dataclass(frozen=True)
class Throttled:
    retry_after_seconds: int

    @property
    def minutes(self) -> int:
        return max(1, -(-self.retry_after_seconds // 60))


def _keys(email: str, ip: str | None) -> tuple[str, str | None]:
    return f"email:{normalise_email(email)[:320]}", (f"ip:{ip}" if ip else None)


def _wait(
    db_session: Session, limits: list[tuple[str | None, int]], window: timedelta
) -> Throttled | None:
    """How long to wait before the next attempt: None while every key is under its limit
    of attempts within ``window``."""
    now = utcnow()
    since = now - window
    waits = []
    for key, limit in limits:
        if key is None:
            continue
        times = db_session.scalars(
            select(LoginFailure.created_at)
            .where(LoginFailure.key == key, LoginFailure.created_at > since)
            .order_by(LoginFailure.created_at.desc())
            .limit(limit)
        ).all()
        if len(times) >= limit:
            # Free again when the oldest of the last ``limit`` failures leaves the window.
            waits.append(times[-1] + window - now)
    if not waits:
        return None
    return Throttled(retry_after_seconds=max(1, int(max(waits).total_seconds()) + 1))


def _count_attempt(db_session: Session, keys: list[str | None], window: timedelta) -> None:
    cutoff = utcnow() - window
    for key in keys:
        if key is None:
            continue
        db_session.execute(
            delete(LoginFailure).where(LoginFailure.key == key, LoginFailure.created_at < cutoff)
        )
        db_session.add(LoginFailure(key=key[:340]))
    db_session.flush()


def throttle_wait(*, db_session: Session, email: str, ip: str | None) -> Throttled | None:
    """Refuse a login (or a password change) for a while after too many recent failures,
    per account (the address typed, known or not) and per client address."""
    settings = get_account_settings()
    account_key, ip_key = _keys(email, ip)
    return _wait(
        db_session,
        [
            (account_key, settings.login_max_failures_per_account),
            (ip_key, settings.login_max_failures_per_ip),
        ],
        timedelta(minutes=settings.login_window_minutes),
    )


def _record_failure(db_session: Session, email: str, ip: str | None) -> None:
    settings = get_account_settings()
    _count_attempt(
        db_session, list(_keys(email, ip)), timedelta(minutes=settings.login_window_minutes)
    )


def authenticate(
    *, db_session: Session, email: str, password: str, request: Request | None = None
) -> User | None:
    """The user when the e-mail and password match an active account, else None (the
    caller shows one message whatever went wrong: no user enumeration)."""
    user = get_by_email(db_session=db_session, email=email)
    # Always run argon2, even for unknown e-mails, so timing does not tell them apart.
    ok = verify_password(user.password_hash if user else None, password)
    return finish_login(
        db_session=db_session, email=email, user=user, password=password, ok=ok, request=request
    )


def finish_login(
    *,
    db_session: Session,
    email: str,
    user: User | None,
    password: str,
    ok: bool,
    request: Request | None = None,
) -> User | None:
    """Record a login attempt whose password was checked (``ok``) against ``user``'s hash."""
    email = normalise_email(email)
    ip = audit.client_ip(request)
    if user is None or not ok or not user.is_active:
        _record_failure(db_session, email, ip)
        audit.record(
            db_session,
            action=AuditAction.login_failed,
            actor_email=email[:320],
            target_user_id=user.id if user else None,
            request=request,
        )
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    account_key, _ip_key = _keys(email, ip)
    db_session.execute(delete(LoginFailure).where(LoginFailure.key == account_key))
    audit.record(db_session, action=AuditAction.login, actor=user, request=request)
    return user


def log_out(*, db_session: Session, user: User, request: Request | None = None) -> None:
    """End the session on the server: the cookie (and any copy of it) stops working.

    Sessions are signed cookies carrying the user's session version; bumping the version is
    what ends them, so logging out ends the user's other browser sessions too."""
    user.session_version += 1
    audit.record(db_session, action=AuditAction.logout, actor=user, request=request)
    db_session.flush()


def log_out_everywhere(*, db_session: Session, user: User, request: Request | None = None) -> None:
    user.session_version += 1
    audit.record(db_session, action=AuditAction.logout_everywhere, actor=user, request=request)
    db_session.flush()


def change_password(
    *, db_session: Session, user: User, current: str, new: str, request: Request | None = None
) -> None:
    """Raises FieldError for a wrong current password or a weak new one. The caller checks
    ``throttle_wait`` first and, after rolling back, ``record_wrong_password``."""
    if not verify_password(user.password_hash, current):
        raise FieldError({"current_password": _("The current password is not correct.")})
    check_new_password(new, email=user.email, field="new_password")
    user.password_hash = hash_password(new)
    user.session_version += 1  # other browsers are signed out
    audit.record(db_session, action=AuditAction.password_changed, actor=user, request=request)
    db_session.flush()


def record_wrong_password(
    *, db_session: Session, user: User, request: Request | None = None
) -> None:
    """A wrong current password counts as a failed login of the account and the address."""
    _record_failure(db_session, user.email, audit.client_ip(request))


# --- invitations ------------------------------------------------------------------------


INVITATION = "invitation"


def invitation_token(*, invitation: Invitation) -> str:
    return sign(
        INVITATION,
        {"i": invitation.id, "o": invitation.organisation_id, "e": invitation.email},
    )


def invite(
    *,
    db_session: Session,
    inviter: User,
    organisation_id: int,
    email: str,
    request: Request | None = None,
) -> str:
    """A signed, expiring invitation link token for ``email`` to join the organisation
    (an earlier pending invitation of the same address is replaced)."""
    email = normalise_email(email)
    if get_by_email(db_session=db_session, email=email) is not None:
        raise FieldError({"email": _("An account with this e-mail address already exists.")})
    now = utcnow()
    db_session.execute(
        update(Invitation)
        .where(
            Invitation.organisation_id == organisation_id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )
    days = get_account_settings().invitation_max_age_days
    invitation = Invitation(
        organisation_id=organisation_id,
        email=email,
        inviter_id=inviter.id,
        expires_at=now + timedelta(days=days),
    )
    db_session.add(invitation)
    db_session.flush()
    audit.record(
        db_session,
        action=AuditAction.invitation_created,
        actor=inviter,
        organisation_id=organisation_id,
        request=request,
        detail=email,
    )
    return invitation_token(invitation=invitation)


def read_invitation(*, db_session: Session, token: str) -> Invitation:
    """The invitation a link names. Raises InvalidToken when the link is tampered with or
    expired, or the invitation was revoked, or its inviter may no longer invite (demoted,
    deactivated, gone). An accepted one is refused by ``accept_invitation``."""
    max_age = get_account_settings().invitation_max_age_days * 86400
    data = unsign(INVITATION, token, max_age_seconds=max_age)
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise InvalidToken(expired=False)
    invitation = db_session.scalar(
        select(Invitation)
        .options(joinedload(Invitation.organisation), joinedload(Invitation.inviter))
        .where(Invitation.id == data["i"])
    )
    if (
        invitation is None
        or invitation.organisation_id != data.get("o")
        or invitation.revoked_at is not None
    ):
        raise InvalidToken(expired=False)
    if invitation.expires_at <= utcnow():
        raise InvalidToken(expired=True)
    inviter = invitation.inviter
    if inviter is None or not (
        policy.is_org_admin(inviter, invitation.organisation_id)
        or policy.is_platform_admin(inviter)
    ):
        raise InvalidToken(expired=False)
    return invitation


def accept_invitation(
    *,
    db_session: Session,
    token: str,
    password: str,
    request: Request | None = None,
) -> User:
    invitation = read_invitation(db_session=db_session, token=token)
    if (
        invitation.accepted_at is not None
        or get_by_email(db_session=db_session, email=invitation.email) is not None
    ):
        raise FieldError({"__all__": _("This invitation has already been accepted: log in.")})
    check_new_password(password, email=invitation.email)
    # The first person of an organisation a platform administrator created administers it.
    has_admin = db_session.scalar(
        select(User.id).where(
            User.organisation_id == invitation.organisation_id,
            User.role == MembershipRole.admin.value,
            User.is_active.is_(True),
        )
    )
    user = create_user(
        db_session=db_session,
        email=invitation.email,
        password=password,
        organisation_id=invitation.organisation_id,
        role=MembershipRole.member if has_admin is not None else MembershipRole.admin,
    )
    invitation.accepted_at = utcnow()
    audit.record(
        db_session,
        action=AuditAction.invitation_accepted,
        actor=user,
        organisation_id=invitation.organisation_id,
        request=request,
    )
    return user


def list_invitations(*, db_session: Session, organisation_id: int) -> list[Invitation]:
    """Pending invitations of an organisation (not accepted, revoked or expired), newest
    first."""
    return list(
        db_session.scalars(
            select(Invitation)
            .options(joinedload(Invitation.inviter))
            .where(
                Invitation.organisation_id == organisation_id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        ).all()
    )


def revoke_invitation(
    *,
    db_session: Session,
    actor: User,
    organisation_id: int,
    invitation_id: int,
    request: Request | None = None,
) -> Invitation:
    """Revoke a pending invitation of the organisation (its admins, platform admins)."""
    policy.require_org_admin(actor, organisation_id)
    invitation = db_session.get(Invitation, invitation_id)
    if invitation is None or invitation.organisation_id != organisation_id:
        raise NotFound(_("Invitation %(id)s not found.", id=invitation_id))
    if invitation.revoked_at is None and invitation.accepted_at is None:
        invitation.revoked_at = utcnow()
        audit.record(
            db_session,
            action=AuditAction.invitation_revoked,
            actor=actor,
            organisation_id=organisation_id,
            request=request,
            detail=invitation.email,
        )
        db_session.flush()
    return invitation


# --- password reset -------------------------------------------------------------------------


PASSWORD_RESET = "password-reset"


def _reset_keys(email: str, ip: str | None) -> tuple[str, str | None]:
    return f"reset:{normalise_email(email)[:320]}", (f"reset-ip:{ip}" if ip else None)


def reset_wait(*, db_session: Session, email: str, ip: str | None) -> Throttled | None:
    """Refuse a reset request for a while after too many, per address typed (known or
    not: the answer must not tell) and per client address."""
    settings = get_account_settings()
    account_key, ip_key = _reset_keys(email, ip)
    return _wait(
        db_session,
        [(account_key, settings.reset_max_per_account), (ip_key, settings.reset_max_per_ip)],
        timedelta(minutes=settings.login_window_minutes),
    )


def request_password_reset(
    *, db_session: Session, email: str, request: Request | None = None
) -> PasswordReset | None:
    """A pending reset for an active account with this e-mail (None otherwise; the page says
    the same thing either way). It replaces the user's earlier pending reset: one pending
    reset per user. Counted against ``reset_wait``."""
    settings = get_account_settings()
    _count_attempt(
        db_session,
        list(_reset_keys(email, audit.client_ip(request))),
        timedelta(minutes=settings.login_window_minutes),
    )
    user = get_by_email(db_session=db_session, email=email)
    if user is None or not user.is_active:
        return None
    db_session.execute(
        delete(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
        )
    )
    hours = settings.password_reset_max_age_hours
    reset = PasswordReset(user_id=user.id, expires_at=utcnow() + timedelta(hours=hours))
    db_session.add(reset)
    db_session.flush()
    audit.record(
        db_session,
        action=AuditAction.password_reset_requested,
        target_user_id=user.id,
        actor_email=user.email,
        request=request,
    )
    return reset


def _password_fingerprint(user: User) -> str:
    # A reset link dies as soon as the password changes (after use, or otherwise).
    return hash_api_token(user.password_hash)[:16]


def password_reset_token(*, reset: PasswordReset, user: User) -> str:
    return sign(PASSWORD_RESET, {"r": reset.id, "u": user.id, "h": _password_fingerprint(user)})


def pending_password_resets(
    *, db_session: Session, limit: int = 50, offset: int = 0
) -> tuple[list[tuple[PasswordReset, str]], int]:
    """A page of unused, unexpired resets with their link token (newest first), and how
    many there are."""
    query = select(PasswordReset).where(
        PasswordReset.used_at.is_(None), PasswordReset.expires_at > utcnow()
    )
    total = db_session.scalar(select(func.count()).select_from(query.subquery())) or 0
    resets = db_session.scalars(
        query.options(joinedload(PasswordReset.user))
        .order_by(PasswordReset.created_at.desc(), PasswordReset.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [(r, password_reset_token(reset=r, user=r.user)) for r in resets], total


def read_password_reset(*, db_session: Session, token: str) -> tuple[PasswordReset, User]:
    hours = get_account_settings().password_reset_max_age_hours
    data = unsign(PASSWORD_RESET, token, max_age_seconds=hours * 3600)
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        raise InvalidToken(expired=False)
    reset = db_session.get(PasswordReset, data["r"])
    if reset is None or reset.user_id != data.get("u"):
        raise InvalidToken(expired=False)
    user = get_user(db_session=db_session, user_id=reset.user_id)
    if reset.used_at is not None or data.get("h") != _password_fingerprint(user):
        raise InvalidToken(expired=False)
    if reset.expires_at <= utcnow():
        raise InvalidToken(expired=True)
    return reset, user


def reset_password(
    *, db_session: Session, token: str, password: str, request: Request | None = None
) -> User:
    reset, user = read_password_reset(db_session=db_session, token=token)
    check_new_password(password, email=user.email)
    user.password_hash = hash_password(password)
    user.session_version += 1
    reset.used_at = utcnow()
    audit.record(db_session, action=AuditAction.password_reset_done, actor=user, request=request)
    db_session.flush()
    return user


# --- personal access tokens -----------------------------------------------------------------


def create_api_token(
    *, db_session: Session, user: User, name: str, request: Request | None = None
) -> tuple[ApiToken, str]:
    """A new token; the clear value is returned once and only its hash is stored."""
    name = name.strip()
    if not name:
        raise FieldError({"name": _("Give the token a name.")})
    if len(name) > 100:
        raise FieldError({"name": _("At most %(n)s characters.", n=100)})
    token = new_api_token()
    api_token = ApiToken(
        user_id=user.id, name=name, token_hash=hash_api_token(token), prefix=token[:10]
    )
    db_session.add(api_token)
    db_session.flush()
    audit.record(
        db_session,
        action=AuditAction.token_created,
        actor=user,
        request=request,
        detail=f"{api_token.prefix}… {name}",
    )
    return api_token, token


def list_api_tokens(*, db_session: Session, user: User) -> list[ApiToken]:
    return list(
        db_session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(
                ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(), ApiToken.id.desc()
            )
        ).all()
    )


def revoke_api_token(
    *, db_session: Session, user: User, token_id: int, request: Request | None = None
) -> ApiToken:
    """Only the owner revokes its tokens; another user's token id is "not found"."""
    api_token = db_session.get(ApiToken, token_id)
    if api_token is None or api_token.user_id != user.id:
        raise NotFound(_("Token %(id)s not found.", id=token_id))
    if api_token.revoked_at is None:
        api_token.revoked_at = utcnow()
        audit.record(
            db_session,
            action=AuditAction.token_revoked,
            actor=user,
            request=request,
            detail=f"{api_token.prefix}… {api_token.name}",
        )
        db_session.flush()
    return api_token


# --- administration, teams ------------------------------------------------------------------


def list_users(
    *,
    db_session: Session,
    limit: int,
    offset: int,
    q: str | None = None,
    organisation_id: int | None = None,
) -> tuple[list[User], int]:
    query = select(User)
    if q:
        like = f"%{q.lower()}%"
        query = query.outerjoin(Organisation, User.organisation_id == Organisation.id).where(
            or_(User.email.like(like), func.lower(Organisation.legal_name).like(like))
        )
    if organisation_id is not None:
        query = query.where(User.organisation_id == organisation_id)
    total = db_session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db_session.scalars(
        query.options(joinedload(User.organisation))
        .order_by(User.email, User.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def _admins_left(db_session: Session, organisation_id: int, excluding: int) -> int:
    return (
        db_session.scalar(
            select(func.count())
            .select_from(User)
            .where(
                User.organisation_id == organisation_id,
                User.role == MembershipRole.admin.value,
                User.is_active.is_(True),
                User.id != excluding,
            )
        )
        or 0
    )


def update_user(
    *,
    db_session: Session,
    actor: User,
    user: User,
    data: UserUpdate,
    request: Request | None = None,
) -> User:
    """Role, platform rights, active flag — each change goes to the audit log."""
    changes: dict[str, Any] = data.model_dump(exclude_unset=True, exclude_none=True)
    if user.id == actor.id and (
        changes.get("is_active") is False or changes.get("is_platform_admin") is False
    ):
        field = "is_active" if changes.get("is_active") is False else "is_platform_admin"
        raise FieldError({field: _("You cannot remove your own administrator access.")})
    if "role" in changes and user.organisation_id is None:
        raise FieldError({"role": _("This user belongs to no organisation.")})
    demoted = changes.get("role") == MembershipRole.member or changes.get("is_active") is False
    if (
        demoted
        and user.organisation_id is not None
        and user.role == MembershipRole.admin.value
        and _admins_left(db_session, user.organisation_id, user.id) == 0
    ):
        field = "role" if "role" in changes else "is_active"
        raise FieldError({field: _("An organisation keeps at least one active admin.")})
    if changes.get("is_platform_admin") is False and user.organisation_id is None:
        raise FieldError(
            {"is_platform_admin": _("A user without organisation must stay an administrator.")}
        )
    for field, value in changes.items():
        value = value.value if isinstance(value, MembershipRole) else value
        old = getattr(user, field)
        if old == value:
            continue
        setattr(user, field, value)
        if field == "is_active":
            action = AuditAction.user_reactivated if value else AuditAction.user_deactivated
            if not value:
                user.session_version += 1
                _revoke_everything(db_session, actor=actor, user=user, request=request)
        else:
            action = AuditAction.role_changed
        audit.record(
            db_session,
            action=action,
            actor=actor,
            target_user_id=user.id,
            organisation_id=user.organisation_id,
            request=request,
            detail=f"{field}: {old} → {value}",
        )
    db_session.flush()
    return user


def _revoke_everything(
    db_session: Session, *, actor: User, user: User, request: Request | None
) -> None:
    """A deactivated user's tokens and pending resets die with the account: reactivating
    it brings none of them back."""
    now = utcnow()
    result = db_session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    revoked = cast("CursorResult[Any]", result).rowcount
    db_session.execute(
        delete(PasswordReset).where(
            PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None)
        )
    )
    if revoked:
        audit.record(
            db_session,
            action=AuditAction.tokens_revoked_on_deactivation,
            actor=actor,
            target_user_id=user.id,
            organisation_id=user.organisation_id,
            request=request,
            detail=str(revoked),
        )


def list_audit_events(
    *, db_session: Session, limit: int, offset: int, action: str | None = None
) -> tuple[list[AuditEvent], int]:
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    total = db_session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db_session.scalars(
        query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def audit_names(
    *, db_session: Session, events: list[AuditEvent]
) -> tuple[dict[int, str], dict[int, str]]:
    """({organisation id: legal name}, {user id: e-mail}) for a page of events (2 queries)."""
    org_ids = {e.organisation_id for e in events if e.organisation_id is not None}
    user_ids = {e.target_user_id for e in events if e.target_user_id is not None}
    organisations: dict[int, str] = {}
    users: dict[int, str] = {}
    if org_ids:
        organisations = {
            i: n
            for i, n in db_session.execute(
                select(Organisation.id, Organisation.legal_name).where(Organisation.id.in_(org_ids))
            ).all()
        }
    if user_ids:
        users = {
            i: e
            for i, e in db_session.execute(
                select(User.id, User.email).where(User.id.in_(user_ids))
            ).all()
        }
    return organisations, users
