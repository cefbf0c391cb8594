"""Invitations (signed, expiring links), team roles, password resets shown to
administrators, and expired or tampered links refused with a clear message."""

from __future__ import annotations

from bs4 import BeautifulSoup
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from app.accounts.config import get_account_settings
from app.accounts.models import PasswordReset, User
from app.core.config import get_settings
from tests.accounts.factories import DEFAULT_PASSWORD, log_in, log_out, platform_admin, user

NEW_PASSWORD = "Dakar Plateau 2026 agents"


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _invite(client, db_session, email="colleague@energie.example"):
    admin = user(db_session)
    log_in(client, admin)
    response = client.post("/team/invitations", data={"email": email})
    assert response.status_code == 201, response.text
    link = _soup(response).find(id="invitation-link")["value"]
    log_out(client)
    return admin, _path(link)


def test_invited_colleague_sets_a_password_and_joins_as_member(client, db_session):
    admin, path = _invite(client, db_session)
    page = client.get(path)
    assert page.status_code == 200 and admin.organisation.legal_name in page.text
    weak = client.post(path, data={"password": "colleague1"})
    assert weak.status_code == 400 and _soup(weak).find(id="e-password")
    joined = client.post(path, data={"password": NEW_PASSWORD}, follow_redirects=False)
    assert joined.status_code == 303
    colleague = db_session.scalar(select(User).where(User.email == "colleague@energie.example"))
    assert (colleague.organisation_id, colleague.role) == (admin.organisation_id, "member")
    again = client.post(path, data={"password": NEW_PASSWORD})
    assert again.status_code == 400 and "already been accepted" in again.text


def test_tampered_and_expired_invitations_are_refused_clearly(client, db_session, monkeypatch):
    _admin, path = _invite(client, db_session)
    tampered = client.get(path[:-4] + "abcd")
    assert tampered.status_code == 400 and "not valid" in tampered.text
    monkeypatch.setattr(get_account_settings(), "invitation_max_age_days", -1)
    expired = client.get(path)
    assert expired.status_code == 400 and "expired" in expired.text


def test_plain_members_cannot_invite_or_change_roles(client, db_session):
    admin = user(db_session)
    member = user(db_session, organisation=admin.organisation, role="member")
    log_in(client, member)
    assert client.post("/team/invitations", data={"email": "x@y.example"}).status_code == 403
    assert client.post(f"/team/members/{admin.id}/role", data={"role": "member"}).status_code == 403
    assert "Create an invitation link" not in client.get("/team").text


def test_org_admin_promotes_a_colleague_but_not_a_stranger(client, db_session):
    admin = user(db_session)
    member = user(db_session, organisation=admin.organisation, role="member")
    stranger = user(db_session)
    log_in(client, admin)
    ok = client.post(
        f"/team/members/{member.id}/role", data={"role": "admin"}, follow_redirects=False
    )
    assert ok.status_code == 303
    db_session.refresh(member)
    assert member.role == "admin"
    assert (
        client.post(f"/team/members/{stranger.id}/role", data={"role": "member"}).status_code == 404
    )
    db_session.refresh(stranger)
    assert stranger.role == "admin"


def test_last_admin_cannot_step_down(client, db_session):
    admin = user(db_session)
    log_in(client, admin)
    response = client.post(f"/team/members/{admin.id}/role", data={"role": "member"})
    assert response.status_code == 400
    assert "at least one active admin" in _soup(response).find(id=f"e-role-{admin.id}").text


def test_password_reset_link_is_shown_to_admins_and_works_once(client, db_session):
    member = user(db_session, email="forgot@x.example")
    asked = client.post("/password-reset", data={"email": "Forgot@x.example"})
    unknown = client.post("/password-reset", data={"email": "nobody@x.example"})
    assert asked.status_code == unknown.status_code == 200
    message = "If an active account uses this address"
    assert message in asked.text and message in unknown.text
    log_in(client, platform_admin(db_session))
    page = client.get("/admin/password-resets")
    link = _soup(page).find("input", id=lambda v: v and v.startswith("link-"))["value"]
    log_out(client)
    path = _path(link)
    assert client.get(path).status_code == 200
    done = client.post(path, data={"password": NEW_PASSWORD}, follow_redirects=False)
    assert done.status_code == 303
    reused = client.get(path)
    assert reused.status_code == 400 and "not valid" in reused.text
    log_out(client)
    old = client.post("/login", data={"email": member.email, "password": DEFAULT_PASSWORD})
    assert old.status_code == 400
    new = client.post(
        "/login", data={"email": member.email, "password": NEW_PASSWORD}, follow_redirects=False
    )
    assert new.status_code == 303


def test_expired_or_forged_reset_links_are_refused(client, db_session):
    member = user(db_session)
    client.post("/password-reset", data={"email": member.email})
    reset = db_session.scalar(select(PasswordReset))
    forged = URLSafeTimedSerializer("not-the-secret", salt="euroffshore.password-reset").dumps(
        {"r": reset.id, "u": member.id, "h": "x"}
    )
    assert client.get(f"/password-reset/{forged}").status_code == 400
    from app.accounts import service

    token = service.password_reset_token(reset=reset, user=member)
    reset.expires_at = reset.created_at  # already past
    db_session.commit()
    expired = client.get(f"/password-reset/{token}")
    assert expired.status_code == 400 and "expired" in expired.text
    assert get_settings().secret_key != "not-the-secret"


def test_admin_deactivates_a_user_and_it_is_audited(client, db_session):
    admin = platform_admin(db_session)
    target = user(db_session)
    other = user(db_session, organisation=target.organisation, role="admin")
    log_in(client, admin)
    response = client.post(
        f"/admin/users/{other.id}", data={"is_active": "false"}, follow_redirects=False
    )
    assert response.status_code == 303
    db_session.refresh(other)
    assert other.is_active is False
    audit = client.get("/api/v1/audit-events", params={"action": "user_deactivated"}).json()
    assert audit["total"] == 1 and audit["items"][0]["target_user_id"] == other.id
    assert "user_deactivated" in client.get("/admin/audit").text


def test_admin_cannot_remove_its_own_access(client, db_session):
    admin = platform_admin(db_session)
    log_in(client, admin)
    response = client.patch(f"/api/v1/users/{admin.id}", json={"is_active": False})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "is_active"]
    page = client.post(f"/admin/users/{admin.id}", data={"is_platform_admin": "false"})
    assert page.status_code == 400 and _soup(page).find(id=f"e-user-{admin.id}")


def test_role_change_through_the_api_is_audited(client, db_session):
    log_in(client, platform_admin(db_session))
    target = user(db_session, role="admin")
    colleague = user(db_session, organisation=target.organisation, role="member")
    response = client.patch(f"/api/v1/users/{colleague.id}", json={"role": "admin"})
    assert response.status_code == 200 and response.json()["role"] == "admin"
    events = client.get("/api/v1/audit-events", params={"action": "role_changed"}).json()
    assert events["items"][0]["detail"] == "role: member → admin"
