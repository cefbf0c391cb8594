"""HTML pages of accounts: sign-up, login/logout, account settings and tokens, team and
invitations, password reset, and the administrators' pages (users, pending resets, audit)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, EmailStr
from sqlalchemy.orm import Session

from app.accounts import audit, policy, service
from app.accounts.audit import AuditAction
from app.accounts.deps import CurrentUser, OptionalUser, PlatformAdmin
from app.accounts.models import MembershipRole, User
from app.accounts.schemas import UserUpdate
from app.accounts.security import InvalidToken, hash_password, verify_password
from app.accounts.sessions import end_session, start_session
from app.catalog import is_country
from app.catalog.geo import country_choices
from app.core.config import get_settings
from app.core.db import SessionDep, release_before_slow_work
from app.core.errors import FieldError, NotFound
from app.core.flash import flash
from app.core.forms import PostedForm, parse_form, raw_field, values_of
from app.core.pagination import PageNumber
from app.core.templating import render
from app.core.types import PathId
from app.i18n import current_locale, lazy_gettext
from app.i18n import gettext as _
from app.notifications import service as notifications
from app.organisations.models import OrganisationKind
from app.organisations.registration import InvalidRegistrationNumber, check_registration_number
from app.organisations.schemas import OrganisationCreate

router = APIRouter(include_in_schema=False)

SIGNUP_ORG_FIELDS = ("kind", "legal_name", "country", "city", "registration_number")
ROLE_LABELS = {
    MembershipRole.member.value: lazy_gettext("Member"),
    MembershipRole.admin.value: lazy_gettext("Organisation admin"),
}
PER_PAGE = 50


class _EmailOnly(BaseModel):
    email: EmailStr


def _safe_next(url: str | None, default: str = "/") -> str:
    # Only same-site relative paths: never an open redirect.
    if url and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return default


def _email_error(email: str) -> str | None:
    if not email:
        return _("This field is required.")
    _data, errors = parse_form(_EmailOnly, {"email": email})
    return _("Enter a valid e-mail address.") if errors else None


def _token_problem(exc: InvalidToken) -> str:
    if exc.expired:
        return _("This link has expired. Ask for a new one.")
    return _("This link is not valid: it was changed, already used or replaced. Ask for a new one.")


def _home_of(user: User) -> str:
    """Where a person's work starts: the dashboard says what to do next, for every role."""
    return "/dashboard"


def _registration_error(country: str | None, number: str | None) -> str | None:
    """The registration number's problem, checked with the other fields (one round)."""
    if not country or not number or not is_country(country.upper()):
        return None
    try:
        check_registration_number(country.upper(), number)
    except InvalidRegistrationNumber as exc:
        return str(exc)
    return None


def _signed_in(user: User, target: str) -> RedirectResponse:
    notifications.remember_locale(user=user, locale=current_locale.get())
    response = RedirectResponse(target, status_code=303)
    start_session(response, user)
    return response


# --- sign-up, login, logout ------------------------------------------------------------


def _too_many(
    request: Request, template: str, context: dict[str, Any], wait: service.Throttled
) -> Response:
    context["errors"] = {
        "__all__": _("Too many attempts. Try again in %(minutes)s minutes.", minutes=wait.minutes)
    }
    return render(
        request,
        template,
        context,
        status_code=429,
        headers={"Retry-After": str(wait.retry_after_seconds)},
    )


# The handlers below are plain functions (run in the threadpool): argon2 and the database
# must never run on the event loop, where they would hold up every other request.


@router.api_route("/signup", methods=["GET", "POST"], name="signup")
def signup_page(
    request: Request, db_session: SessionDep, user: OptionalUser, form: PostedForm
) -> Response:
    if user is not None and request.method == "GET":
        return RedirectResponse(_home_of(user), status_code=303)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = values_of(form)
        values.pop("password", None)  # never sent back to the browser
        password = raw_field(form, "password")
        if values.get("kind") not in (
            OrganisationKind.client.value,
            OrganisationKind.provider.value,
        ):
            values.pop("kind", None)  # organisers are created by administrators
        organisation, errors = parse_form(
            OrganisationCreate, {f: values.get(f) for f in SIGNUP_ORG_FIELDS}
        )
        if "registration_number" not in errors and (
            problem := _registration_error(values.get("country"), values.get("registration_number"))
        ):
            errors["registration_number"] = problem
        email = values.get("email", "")
        if problem := _email_error(email):
            errors["email"] = problem
        elif service.get_by_email(db_session=db_session, email=service.normalise_email(email)):
            errors["email"] = _("An account with this e-mail address already exists.")
        if not password:
            errors["password"] = _("This field is required.")
        else:
            try:
                service.check_new_password(password, email=email)
            except FieldError as exc:
                errors.update(exc.errors)
        wait = service.signup_wait(db_session=db_session, ip=audit.client_ip(request))
        if wait is not None:
            audit.record(db_session, action=AuditAction.signup_throttled, request=request)
            return _too_many(request, "accounts/signup.html", _signup_context(values, errors), wait)
        if organisation is not None and not errors:
            release_before_slow_work(db_session)
            password_hash = hash_password(password)
            try:
                created = service.signup(
                    db_session=db_session,
                    organisation=organisation,
                    email=email,
                    password=password,
                    request=request,
                    password_hash=password_hash,
                )
            except FieldError as exc:
                db_session.rollback()  # nothing half-written survives
                errors = exc.errors
            service.count_signup_attempt(db_session=db_session, request=request)
            if not errors:
                flash(request, _("Welcome! Your organisation's space is ready."))
                return _signed_in(created, _home_of(created))
    return render(
        request,
        "accounts/signup.html",
        _signup_context(values, errors),
        status_code=400 if errors else 200,
    )


def _signup_context(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return {
        "values": values,
        "errors": errors,
        "country_options": country_choices(current_locale.get()),
        "kind_options": [
            (OrganisationKind.client.value, _("Client company (outsourcing a service)")),
            (OrganisationKind.provider.value, _("Call centre (providing the service)")),
        ],
    }


@router.api_route("/login", methods=["GET", "POST"], name="login")
def login_page(
    request: Request,
    db_session: SessionDep,
    user: OptionalUser,
    form: PostedForm,
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    if user is not None and request.method == "GET":
        return RedirectResponse(_safe_next(next, _home_of(user)), status_code=303)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    status_code = 200
    headers = None
    if request.method == "POST":
        values = values_of(form)
        values.pop("password", None)  # never sent back to the browser
        password = raw_field(form, "password")
        email = values.get("email", "")[:320]
        next = values.get("next") or next
        throttled = service.throttle_wait(
            db_session=db_session, email=email, ip=audit.client_ip(request)
        )
        if throttled is not None:
            audit.record(
                db_session,
                action=AuditAction.login_throttled,
                actor_email=email or None,
                request=request,
            )
            errors["__all__"] = _(
                "Too many failed attempts. Try again in %(minutes)s minutes.",
                minutes=throttled.minutes,
            )
            status_code, headers = 429, {"Retry-After": str(throttled.retry_after_seconds)}
        else:
            signed_in = None
            if email and password:
                candidate = service.get_by_email(db_session=db_session, email=email)
                password_hash = candidate.password_hash if candidate else None
                release_before_slow_work(db_session)
                # Always run argon2, even for unknown e-mails (no enumeration by timing).
                ok = verify_password(password_hash, password)
                signed_in = service.finish_login(
                    db_session=db_session,
                    email=email,
                    user=candidate,
                    password=password,
                    ok=ok,
                    request=request,
                )
            if signed_in is not None:
                return _signed_in(signed_in, _safe_next(next, _home_of(signed_in)))
            # One message for a wrong password, an unknown e-mail and a locked account.
            errors["__all__"] = _("Wrong e-mail or password, or the account is locked.")
            status_code = 400
    return render(
        request,
        "accounts/login.html",
        {"values": values, "errors": errors, "next": _safe_next(next, "")},
        status_code=status_code,
        headers=headers,
    )


@router.post("/logout", name="logout")
def logout(request: Request, db_session: SessionDep, user: OptionalUser) -> Response:
    if user is not None:
        service.log_out(db_session=db_session, user=user, request=request)
    response = RedirectResponse("/", status_code=303)
    end_session(response)
    return response


# --- the account page: tokens, log out everywhere, password ------------------------------


def _account_context(db_session: Session, user: User, **extra: Any) -> dict[str, Any]:
    return {
        "user": user,
        "tokens": service.list_api_tokens(db_session=db_session, user=user),
        "role_label": str(ROLE_LABELS.get(user.role, user.role)),
        "values": {},
        "errors": {},
        "new_token": None,
        **extra,
    }


@router.get("/account", name="account")
def account_page(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    return render(request, "accounts/account.html", _account_context(db_session, user))


@router.post("/account/tokens", name="account_token_create")
def create_token(
    request: Request, db_session: SessionDep, user: CurrentUser, form: PostedForm
) -> Response:
    values = values_of(form)
    try:
        api_token, clear = service.create_api_token(
            db_session=db_session, user=user, name=values.get("name", ""), request=request
        )
    except FieldError as exc:
        db_session.rollback()
        context = _account_context(db_session, user, values=values, errors=exc.errors)
        return render(request, "accounts/account.html", context, status_code=400)
    context = _account_context(db_session, user, new_token=(api_token, clear))
    # Shown once: this page is the only place the clear token ever appears.
    return render(
        request,
        "accounts/account.html",
        context,
        status_code=201,
        headers={"Cache-Control": "no-store"},
    )


@router.post("/account/tokens/{token_id}/revoke", name="account_token_revoke")
def revoke_token(
    request: Request, db_session: SessionDep, user: CurrentUser, token_id: PathId
) -> Response:
    service.revoke_api_token(db_session=db_session, user=user, token_id=token_id, request=request)
    flash(request, _("The token is revoked."))
    return RedirectResponse("/account", status_code=303)


@router.post("/account/logout-everywhere", name="account_logout_everywhere")
def logout_everywhere(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    service.log_out_everywhere(db_session=db_session, user=user, request=request)
    response = RedirectResponse("/login", status_code=303)
    end_session(response)
    return response


@router.api_route("/account/password", methods=["GET", "POST"], name="account_password")
def change_password_page(
    request: Request, db_session: SessionDep, user: CurrentUser, form: PostedForm
) -> Response:
    errors: dict[str, str] = {}
    if request.method == "POST":
        current = raw_field(form, "current_password")
        new = raw_field(form, "new_password")
        wait = service.throttle_wait(
            db_session=db_session, email=user.email, ip=audit.client_ip(request)
        )
        if wait is not None:
            audit.record(
                db_session,
                action=AuditAction.password_change_throttled,
                actor=user,
                request=request,
            )
            return _too_many(request, "accounts/password.html", {"values": {}}, wait)
        try:
            service.change_password(
                db_session=db_session, user=user, current=current, new=new, request=request
            )
        except FieldError as exc:
            db_session.rollback()
            errors = exc.errors
            if "current_password" in errors:
                service.record_wrong_password(db_session=db_session, user=user, request=request)
        else:
            # The version changed: this browser gets a fresh cookie, the others are out.
            flash(request, _("Your password is changed; other browsers are signed out."))
            return _signed_in(user, "/account")
    return render(
        request,
        "accounts/password.html",
        {"errors": errors, "values": {}},
        status_code=400 if errors else 200,
    )


# --- team and invitations -----------------------------------------------------------------


def _team_context(db_session: Session, user: User, **extra: Any) -> dict[str, Any]:
    members, _total = service.list_users(
        db_session=db_session, limit=500, offset=0, organisation_id=user.organisation_id
    )
    return {
        "user": user,
        "organisation": user.organisation,
        "members": members,
        "role_labels": {k: str(v) for k, v in ROLE_LABELS.items()},
        "can_manage": user.organisation_id is not None
        and policy.can_manage_team(user, user.organisation_id),
        "values": {},
        "errors": {},
        "invitation_link": None,
        "invitations": (
            service.list_invitations(db_session=db_session, organisation_id=user.organisation_id)
            if user.organisation_id is not None
            and policy.can_manage_team(user, user.organisation_id)
            else []
        ),
        **extra,
    }


def _require_team(user: User) -> int:
    """The user's organisation id (404 for a user of no organisation)."""
    if user.organisation_id is None:
        raise NotFound(_("You belong to no organisation."))
    return user.organisation_id


@router.get("/team", name="team")
def team_page(request: Request, db_session: SessionDep, user: CurrentUser) -> Response:
    if user.organisation_id is None and policy.is_platform_admin(user):
        # Administrators staff organisations from each one's page (/organisations/{id}/team).
        flash(request, _("Open an organisation's page to manage its team."), kind="info")
        return RedirectResponse("/organisations", status_code=303)
    _require_team(user)
    return render(request, "accounts/team.html", _team_context(db_session, user))


@router.post("/team/invitations", name="team_invite")
def invite(
    request: Request, db_session: SessionDep, user: CurrentUser, form: PostedForm
) -> Response:
    organisation_id = _require_team(user)
    policy.require_org_admin(user, organisation_id)
    values = values_of(form)
    email = values.get("email", "")
    errors = {}
    if problem := _email_error(email):
        errors["email"] = problem
    else:
        try:
            token = service.invite(
                db_session=db_session,
                inviter=user,
                organisation_id=organisation_id,
                email=email,
                request=request,
            )
        except FieldError as exc:
            db_session.rollback()
            errors = exc.errors
    if errors:
        context = _team_context(db_session, user, values=values, errors=errors)
        return render(request, "accounts/team.html", context, status_code=400)
    notifications.mail_invitation(
        db_session=db_session,
        inviter=user,
        organisation_id=organisation_id,
        email=email,
        token=token,
    )
    link = f"{get_settings().base_url.rstrip('/')}/invitations/{token}"
    context = _team_context(db_session, user, invitation_link=link, invited=email)
    return render(
        request,
        "accounts/team.html",
        context,
        status_code=201,
        headers={"Cache-Control": "no-store"},
    )


@router.post("/team/invitations/{invitation_id}/revoke", name="team_invitation_revoke")
def revoke_invitation(
    request: Request, db_session: SessionDep, user: CurrentUser, invitation_id: PathId
) -> RedirectResponse:
    organisation_id = _require_team(user)
    service.revoke_invitation(
        db_session=db_session,
        actor=user,
        organisation_id=organisation_id,
        invitation_id=invitation_id,
        request=request,
    )
    return RedirectResponse("/team", status_code=303)


@router.post("/team/members/{member_id}/role", name="team_member_role")
def change_member_role(
    request: Request,
    db_session: SessionDep,
    user: CurrentUser,
    member_id: PathId,
    form: PostedForm,
) -> Response:
    organisation_id = _require_team(user)
    policy.require_org_admin(user, organisation_id)
    member = service.get_user(db_session=db_session, user_id=member_id)
    if member.organisation_id != user.organisation_id:
        raise NotFound(_("User %(id)s not found.", id=member_id))
    values = values_of(form)
    data, errors = parse_form(UserUpdate, {"role": values.get("role")})
    if data is not None and not errors:
        try:
            service.update_user(
                db_session=db_session, actor=user, user=member, data=data, request=request
            )
        except FieldError as exc:
            db_session.rollback()
            errors = exc.errors
    if errors:
        context = _team_context(
            db_session,
            user,
            errors={f"role-{member_id}": errors.get("role") or next(iter(errors.values()))},
        )
        return render(request, "accounts/team.html", context, status_code=400)
    flash(request, _("The role of %(email)s is changed.", email=member.email))
    return RedirectResponse("/team", status_code=303)


@router.api_route("/invitations/{token}", methods=["GET", "POST"], name="invitation")
def invitation_page(
    request: Request, db_session: SessionDep, token: str, form: PostedForm
) -> Response:
    try:
        invitation = service.read_invitation(db_session=db_session, token=token)
    except InvalidToken as exc:
        return render(
            request, "accounts/link_invalid.html", {"message": _token_problem(exc)}, status_code=400
        )
    errors: dict[str, str] = {}
    if request.method == "POST":
        password = raw_field(form, "password")
        try:
            created = service.accept_invitation(
                db_session=db_session, token=token, password=password, request=request
            )
        except FieldError as exc:
            db_session.rollback()
            errors = exc.errors
            invitation = service.read_invitation(db_session=db_session, token=token)
        except InvalidToken as exc:  # pragma: no cover - expired between GET and POST
            return render(
                request,
                "accounts/link_invalid.html",
                {"message": _token_problem(exc)},
                status_code=400,
            )
        else:
            flash(request, _("Welcome! You have joined your organisation."))
            return _signed_in(created, _home_of(created))
    return render(
        request,
        "accounts/invitation.html",
        {"invitation": invitation, "errors": errors, "values": {}},
        status_code=400 if errors else 200,
    )


# --- password reset -----------------------------------------------------------------------


@router.api_route("/password-reset", methods=["GET", "POST"], name="password_reset_request")
def password_reset_request_page(
    request: Request, db_session: SessionDep, form: PostedForm
) -> Response:
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    sent = False
    if request.method == "POST":
        values = values_of(form)
        email = values.get("email", "")
        wait = (
            None
            if _email_error(email)
            else service.reset_wait(db_session=db_session, email=email, ip=audit.client_ip(request))
        )
        if problem := _email_error(email):
            errors["email"] = problem
        elif wait is not None:
            audit.record(
                db_session,
                action=AuditAction.password_reset_throttled,
                actor_email=email[:320],
                request=request,
            )
            context = {"values": values, "sent": False}
            return _too_many(request, "accounts/reset_request.html", context, wait)
        else:
            reset = service.request_password_reset(
                db_session=db_session, email=email, request=request
            )
            if reset is not None:
                notifications.mail_password_reset(db_session=db_session, reset=reset)
            sent = True  # the same answer whether or not the account exists
    return render(
        request,
        "accounts/reset_request.html",
        {"values": values, "errors": errors, "sent": sent},
        status_code=400 if errors else 200,
    )


@router.api_route("/password-reset/{token}", methods=["GET", "POST"], name="password_reset")
def password_reset_page(
    request: Request, db_session: SessionDep, token: str, form: PostedForm
) -> Response:
    try:
        _reset, target = service.read_password_reset(db_session=db_session, token=token)
    except (InvalidToken, NotFound) as exc:
        problem = _token_problem(exc if isinstance(exc, InvalidToken) else InvalidToken(False))
        return render(request, "accounts/link_invalid.html", {"message": problem}, status_code=400)
    errors: dict[str, str] = {}
    if request.method == "POST":
        password = raw_field(form, "password")
        try:
            user = service.reset_password(
                db_session=db_session, token=token, password=password, request=request
            )
        except FieldError as exc:
            db_session.rollback()
            errors = exc.errors
        else:
            return _signed_in(user, _home_of(user))
    return render(
        request,
        "accounts/reset_form.html",
        {"email": target.email, "errors": errors, "values": {}},
        status_code=400 if errors else 200,
    )


# --- administrators -----------------------------------------------------------------------


@router.get("/admin/users", name="admin_users")
def admin_users_page(
    request: Request,
    db_session: SessionDep,
    admin: PlatformAdmin,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: PageNumber = 1,
) -> Response:
    users, total = service.list_users(
        db_session=db_session, limit=PER_PAGE, offset=(page - 1) * PER_PAGE, q=q
    )
    return render(
        request,
        "accounts/admin_users.html",
        {
            "users": users,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PER_PAGE)),
            "q": q or "",
            "role_labels": {k: str(v) for k, v in ROLE_LABELS.items()},
            "me": admin,
            "errors": {},
        },
    )


def _form_bool(value: str | None) -> bool | None:
    if value in ("true", "1", "on", "yes"):
        return True
    if value in ("false", "0", "off", "no"):
        return False
    return None


@router.post("/admin/users/{user_id}", name="admin_user_update")
def admin_user_update(
    request: Request,
    db_session: SessionDep,
    admin: PlatformAdmin,
    user_id: PathId,
    form: PostedForm,
) -> Response:
    target = service.get_user(db_session=db_session, user_id=user_id)
    values = values_of(form)
    submitted: dict[str, str | bool | None] = {
        "role": values.get("role") or None,
        "is_active": _form_bool(values.get("is_active")),
        "is_platform_admin": _form_bool(values.get("is_platform_admin")),
    }
    data, errors = parse_form(UserUpdate, {k: v for k, v in submitted.items() if v is not None})
    if data is not None and not errors:
        try:
            service.update_user(
                db_session=db_session, actor=admin, user=target, data=data, request=request
            )
        except FieldError as exc:
            db_session.rollback()
            errors = exc.errors
    if errors:
        users, total = service.list_users(db_session=db_session, limit=PER_PAGE, offset=0)
        return render(
            request,
            "accounts/admin_users.html",
            {
                "users": users,
                "total": total,
                "page": 1,
                "pages": max(1, -(-total // PER_PAGE)),
                "q": "",
                "role_labels": {k: str(v) for k, v in ROLE_LABELS.items()},
                "me": admin,
                "errors": {f"user-{user_id}": next(iter(errors.values()))},
            },
            status_code=400,
        )
    flash(request, _("The account of %(email)s is updated.", email=target.email))
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/password-resets", name="admin_password_resets")
def admin_resets_page(
    request: Request, db_session: SessionDep, _admin: PlatformAdmin, page: PageNumber = 1
) -> Response:
    base = get_settings().base_url.rstrip("/")
    resets, total = service.pending_password_resets(
        db_session=db_session, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
    )
    pending = [(reset, f"{base}/password-reset/{token}") for reset, token in resets]
    statuses = notifications.reset_email_statuses(
        db_session=db_session, reset_ids=[reset.id for reset, _link in pending]
    )
    return render(
        request,
        "accounts/admin_resets.html",
        {
            "pending": pending,
            "email_statuses": statuses,
            "smtp_configured": notifications.smtp_configured(),
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PER_PAGE)),
        },
        headers={"Cache-Control": "no-store"},
    )


@router.get("/admin/audit", name="admin_audit")
def admin_audit_page(
    request: Request,
    db_session: SessionDep,
    _admin: PlatformAdmin,
    action: Annotated[AuditAction | None, Query()] = None,
    page: PageNumber = 1,
) -> Response:
    events, total = service.list_audit_events(
        db_session=db_session,
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
        action=action.value if action else None,
    )
    organisation_names, user_emails = service.audit_names(db_session=db_session, events=events)
    return render(
        request,
        "accounts/admin_audit.html",
        {
            "events": events,
            "organisation_names": organisation_names,
            "user_emails": user_emails,
            "action_label": audit.action_label,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // PER_PAGE)),
            "action": action.value if action else "",
            "actions": list(AuditAction),
        },
    )
