"""Who may call the accounts routes (run by tests/accounts/test_route_access.py), and the
API documentation routes, which everyone may read."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts import service
from app.accounts.models import ApiToken, Invitation
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.accounts.world import Rule

NEW_PASSWORD = "Antananarivo 2026 calls"
SIGNUP = {
    "kind": "client",
    "legal_name": "Mutuelle Bleue SA",
    "country": "FR",
    "email": "new.founder@mutuelle.example",
    "password": NEW_PASSWORD,
}


def objects(db_session, world) -> dict[str, object]:
    member = world.users["client_member"]
    token = db_session.scalar(select(ApiToken).where(ApiToken.user_id == member.id))
    invitation = service.invite(
        db_session=db_session,
        inviter=member,
        organisation_id=world.client_org.id,
        email="invitee@energie.example",
    )
    reset = service.request_password_reset(db_session=db_session, email=member.email)
    db_session.commit()
    pending = db_session.scalar(
        select(Invitation.id).where(Invitation.organisation_id == world.client_org.id)
    )
    return {
        "client_invitation": pending,
        "client_member_token": token.id,
        "client_member_email": member.email,
        "invitation": invitation,
        "reset_token": service.password_reset_token(reset=reset, user=member),
    }


_SIGNED_IN = {"default": 200, "anonymous": 401}
_ADMIN_API = {"default": 403, "anonymous": 401, "admin": 200}
_ADMIN_PAGE = {"default": 403, "anonymous": 303, "admin": 200}

RULES = [
    # --- API ---
    Rule("GET", "/api/v1/me", **_SIGNED_IN),
    Rule("GET", "/api/v1/me/tokens", **_SIGNED_IN),
    Rule("POST", "/api/v1/me/tokens", json={"name": "ERP"}, default=201, anonymous=401),
    Rule(
        "DELETE",
        "/api/v1/me/tokens/{client_member_token}",
        default=404,
        anonymous=401,
        client_member=204,
        note="only the owner sees or revokes its tokens",
    ),
    Rule("GET", "/api/v1/users", **_ADMIN_API),
    Rule("GET", "/api/v1/users/{client_member_id}", **_ADMIN_API),
    Rule(
        "PATCH",
        "/api/v1/users/{other_client_member_id}",
        json={"is_platform_admin": True},
        **_ADMIN_API,
    ),
    Rule("GET", "/api/v1/audit-events", **_ADMIN_API),
    # --- sign-up, login ---
    Rule("GET", "/signup", default=303, anonymous=200),
    Rule("POST", "/signup", data=SIGNUP, default=303),
    Rule("GET", "/login", default=303, anonymous=200),
    Rule(
        "POST",
        "/login",
        data={"email": "{client_member_email}", "password": "wrong one!"},
        default=400,
    ),
    Rule(
        "POST",
        "/login",
        data={"email": "{client_member_email}", "password": DEFAULT_PASSWORD},
        default=303,
    ),
    Rule("POST", "/logout", default=303),
    # --- account ---
    Rule("GET", "/account", default=200, anonymous=303),
    Rule("POST", "/account/tokens", data={"name": "CRM"}, default=201, anonymous=303),
    Rule(
        "POST",
        "/account/tokens/{client_member_token}/revoke",
        default=404,
        anonymous=303,
        client_member=303,
    ),
    Rule("POST", "/account/logout-everywhere", default=303),
    Rule("GET", "/account/password", default=200, anonymous=303),
    Rule(
        "POST",
        "/account/password",
        data={"current_password": "not it at all", "new_password": NEW_PASSWORD},
        default=400,
        anonymous=303,
    ),
    # --- team, invitations (the world's users are the admins of their organisation) ---
    Rule(
        "GET",
        "/team",
        default=200,
        anonymous=303,
        admin=303,
        note="a platform administrator without organisation is sent to the organisations",
    ),
    Rule(
        "GET",
        "/organisations/{organiser_org}/team",
        default=404,
        anonymous=303,
        organiser=200,
        admin=200,
        note="an organisation's admins and platform administrators staff it",
    ),
    Rule(
        "POST",
        "/organisations/{organiser_org}/team/invitations",
        data={"email": "first.organiser@x.example"},
        default=404,
        anonymous=303,
        organiser=201,
        admin=201,
    ),
    Rule(
        "POST",
        "/team/invitations",
        data={"email": "colleague@x.example"},
        default=201,
        anonymous=303,
        admin=404,
    ),
    Rule(
        "POST",
        "/team/members/{client_member_id}/role",
        data={"role": "admin"},
        default=404,
        anonymous=303,
        client_member=303,
    ),
    Rule(
        "POST",
        "/team/invitations/{client_invitation}/revoke",
        default=404,
        anonymous=303,
        client_member=303,
        note="another organisation's invitation is not found; a platform admin has no team",
    ),
    Rule(
        "GET",
        "/api/v1/organisations/{client_org}/invitations",
        default=403,
        anonymous=401,
        client_member=200,
        admin=200,
    ),
    Rule(
        "DELETE",
        "/api/v1/organisations/{client_org}/invitations/{client_invitation}",
        default=403,
        anonymous=401,
        client_member=204,
        admin=204,
    ),
    Rule("GET", "/invitations/{invitation}", default=200),
    Rule("POST", "/invitations/{invitation}", data={"password": NEW_PASSWORD}, default=303),
    Rule("GET", "/invitations/not-a-real-token", default=400),
    # --- password reset ---
    Rule("GET", "/password-reset", default=200),
    Rule("POST", "/password-reset", data={"email": "{client_member_email}"}, default=200),
    Rule("GET", "/password-reset/{reset_token}", default=200),
    Rule("POST", "/password-reset/{reset_token}", data={"password": NEW_PASSWORD}, default=303),
    Rule("GET", "/password-reset/forged.token.value", default=400),
    # --- administrators ---
    Rule("GET", "/admin/users", **_ADMIN_PAGE),
    Rule("GET", "/admin/users", params={"q": "example"}, **_ADMIN_PAGE),
    Rule(
        "POST",
        "/admin/users/{other_client_member_id}",
        data={"is_platform_admin": "true"},
        default=403,
        anonymous=303,
        admin=303,
    ),
    Rule("GET", "/admin/password-resets", **_ADMIN_PAGE),
    Rule("GET", "/admin/audit", **_ADMIN_PAGE),
    # --- API documentation: public ---
    Rule("GET", "/openapi.json", default=200),
    Rule("GET", "/docs", default=200),
    Rule("GET", "/docs/oauth2-redirect", default=200),
    Rule("GET", "/redoc", default=200),
]
