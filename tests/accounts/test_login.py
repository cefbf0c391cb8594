"""Sign-up, login, logout, log out everywhere, throttling, and the session cookie."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.accounts.models import AuditEvent, LoginFailure, User
from app.accounts.sessions import SESSION_COOKIE, session_token
from app.organisations.models import Organisation
from tests.accounts.factories import DEFAULT_PASSWORD, log_in, user

SIGNUP = {
    "kind": "provider",
    "legal_name": "Atlas Contact Center SARL",
    "country": "MA",
    "city": "Rabat",
    "email": "Founder@Atlas.example",
    "password": "Rabat Agdal 2026 seats",
}
WRONG = "Wrong e-mail or password, or the account is locked."


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def _actions(db_session) -> list[str]:
    return list(db_session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_signup_creates_the_organisation_and_its_admin_and_signs_in(client, db_session):
    response = client.post("/signup", data=SIGNUP, follow_redirects=False)
    assert response.status_code == 303, response.text
    created = db_session.scalar(select(User).where(User.email == "founder@atlas.example"))
    assert created.role == "admin" and created.is_platform_admin is False
    org = db_session.get(Organisation, created.organisation_id)
    assert (org.kind, org.legal_name, org.verified) == ("provider", SIGNUP["legal_name"], False)
    assert response.headers["location"] == "/dashboard"  # where its next step is
    cookie = response.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    me = client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["email"] == "founder@atlas.example"
    assert "signup" in _actions(db_session)


def test_signup_with_a_weak_password_keeps_values_and_says_why(client, db_session):
    response = client.post("/signup", data={**SIGNUP, "password": "short"})
    assert response.status_code == 400
    soup = _soup(response)
    assert "at least 10 characters" in soup.find(id="e-password").text
    assert soup.find("input", {"name": "password"})["aria-describedby"] == "e-password"
    assert soup.find("input", {"name": "legal_name"})["value"] == SIGNUP["legal_name"]
    assert soup.find("input", {"name": "password"}).get("value") in (None, "")
    assert _count(db_session, Organisation) == 0 and _count(db_session, User) == 0


def test_signup_refuses_common_password_and_email_in_password(client, db_session):
    common = client.post("/signup", data={**SIGNUP, "password": "motdepasse123"})
    assert "most common" in _soup(common).find(id="e-password").text
    mail = client.post("/signup", data={**SIGNUP, "password": "founder-rabat-2026"})
    assert "e-mail" in _soup(mail).find(id="e-password").text
    assert _count(db_session, User) == 0


def test_signup_as_organiser_or_with_bad_fields_is_refused(client, db_session):
    response = client.post(
        "/signup", data={**SIGNUP, "kind": "organiser", "country": "ZZ", "email": "nope"}
    )
    assert response.status_code == 400
    soup = _soup(response)
    for field in ("kind", "country", "email"):
        assert soup.find(id=f"e-{field}") is not None, field
    assert _count(db_session, Organisation) == 0


def test_signup_with_a_taken_email_loses_nothing(client, db_session):
    user(db_session, email="founder@atlas.example")
    before = _count(db_session, Organisation)
    response = client.post("/signup", data=SIGNUP)
    assert response.status_code == 400
    assert "already exists" in _soup(response).find(id="e-email").text
    assert _count(db_session, Organisation) == before


def test_login_then_logout(bare_client, db_session):
    member = user(db_session, email="ines@energie.example")
    page = bare_client.get("/login?next=/organisations")
    token = _soup(page).find("input", {"name": "csrf_token"})["value"]
    response = bare_client.post(
        "/login",
        data={
            "email": "INES@energie.example",
            "password": DEFAULT_PASSWORD,
            "next": "/organisations",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/organisations"
    assert bare_client.get("/organisations").status_code == 200
    header = _soup(bare_client.get("/account")).find(class_="account-nav").text
    assert "ines@energie.example" in header and member.organisation.legal_name in header
    out = bare_client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert out.status_code == 303
    assert bare_client.get("/organisations", follow_redirects=False).status_code == 303
    assert _actions(db_session)[-2:] == ["login", "logout"]


def test_login_never_redirects_off_site(client, db_session):
    user(db_session, email="a@b.example")
    response = client.post(
        "/login",
        data={"email": "a@b.example", "password": DEFAULT_PASSWORD, "next": "//evil.example/"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert not response.headers["location"].startswith("//")


def test_wrong_password_unknown_user_and_locked_account_get_the_same_message(client, db_session):
    user(db_session, email="known@x.example")
    user(db_session, email="locked@x.example", is_active=False)
    answers = [
        client.post("/login", data={"email": email, "password": password})
        for email, password in (
            ("known@x.example", "not the password!"),
            ("nobody@x.example", DEFAULT_PASSWORD),
            ("locked@x.example", DEFAULT_PASSWORD),
        )
    ]
    assert [a.status_code for a in answers] == [400, 400, 400]
    messages = {_soup(a).find(role="alert").text.strip() for a in answers}
    assert messages == {WRONG}
    assert _actions(db_session).count("login_failed") == 3
    assert SESSION_COOKIE not in client.cookies


def test_repeated_failures_for_one_account_are_refused_for_a_while(client, db_session):
    user(db_session, email="target@x.example")
    for _ in range(5):
        assert (
            client.post(
                "/login", data={"email": "target@x.example", "password": "guess guess 1"}
            ).status_code
            == 400
        )
    refused = client.post(
        "/login", data={"email": "target@x.example", "password": DEFAULT_PASSWORD}
    )
    assert refused.status_code == 429
    assert "Try again in 15 minutes" in refused.text
    assert 800 < int(refused.headers["retry-after"]) <= 901
    assert SESSION_COOKIE not in client.cookies
    # Another account from the same address is not locked by these five.
    user(db_session, email="other@x.example")
    ok = client.post(
        "/login",
        data={"email": "other@x.example", "password": DEFAULT_PASSWORD},
        follow_redirects=False,
    )
    assert ok.status_code == 303


def test_throttle_ends_when_failures_leave_the_window(client, db_session):
    user(db_session, email="later@x.example")
    for _ in range(5):
        client.post("/login", data={"email": "later@x.example", "password": "guess guess 1"})
    for failure in db_session.scalars(select(LoginFailure)):
        failure.created_at = failure.created_at - timedelta(minutes=16)
    db_session.commit()
    ok = client.post(
        "/login",
        data={"email": "later@x.example", "password": DEFAULT_PASSWORD},
        follow_redirects=False,
    )
    assert ok.status_code == 303


def test_many_failures_from_one_address_are_refused(client, db_session):
    for i in range(20):
        client.post("/login", data={"email": f"spray{i}@x.example", "password": "guess guess"})
    user(db_session, email="innocent@x.example")
    refused = client.post(
        "/login", data={"email": "innocent@x.example", "password": DEFAULT_PASSWORD}
    )
    assert refused.status_code == 429


def test_log_out_everywhere_invalidates_every_session(client, db_session):
    member = user(db_session)
    other_browser_cookie = session_token(member)
    log_in(client, member)
    response = client.post("/account/logout-everywhere", follow_redirects=False)
    assert response.status_code == 303
    client.cookies.set(SESSION_COOKIE, other_browser_cookie)
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/account", follow_redirects=False).headers["location"] == (
        "/login?next=/account"
    )


def test_tampered_or_foreign_session_cookie_is_ignored(client, db_session):
    member = user(db_session)
    token = session_token(member)
    client.cookies.set(SESSION_COOKIE, token[:-3] + "abc")
    assert client.get("/api/v1/me").status_code == 401


def test_deactivated_user_loses_its_session(client, db_session):
    member = user(db_session)
    log_in(client, member)
    member.is_active = False
    db_session.commit()
    assert client.get("/api/v1/me").status_code == 401


def test_change_password_needs_the_current_one_and_a_strong_new_one(client, db_session):
    member = user(db_session)
    log_in(client, member)
    wrong = client.post(
        "/account/password",
        data={"current_password": "nope nope nope", "new_password": "Fes Meknes 2027 calls"},
    )
    assert wrong.status_code == 400 and _soup(wrong).find(id="e-current_password")
    weak = client.post(
        "/account/password",
        data={"current_password": DEFAULT_PASSWORD, "new_password": "1234567890"},
    )
    assert weak.status_code == 400 and _soup(weak).find(id="e-new_password")
    ok = client.post(
        "/account/password",
        data={"current_password": DEFAULT_PASSWORD, "new_password": "Fes Meknes 2027 calls"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert client.get("/api/v1/me").status_code == 200  # this browser stays signed in
    client.post("/logout")
    assert (
        client.post(
            "/login",
            data={"email": member.email, "password": "Fes Meknes 2027 calls"},
            follow_redirects=False,
        ).status_code
        == 303
    )


def test_pages_need_a_signed_in_user_and_come_back_after_login(client):
    response = client.get("/organisations?kind=provider", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/organisations%3Fkind%3Dprovider"


def test_api_answers_401_with_the_bearer_challenge(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"] == "not_authenticated"
