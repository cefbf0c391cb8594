"""Every state-changing request needs a CSRF token, except Bearer-authenticated API calls."""

from __future__ import annotations

from app.accounts.csrf import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, token_for_secret
from app.accounts.sessions import SESSION_COOKIE, session_token
from tests.accounts.factories import user


def _csrf_of(page) -> str:
    marker = f'name="{CSRF_FIELD}" value="'
    return page.text.split(marker, 1)[1].split('"', 1)[0]


def test_form_post_without_token_is_refused(bare_client):
    response = bare_client.post("/language", data={"lang": "fr"}, follow_redirects=False)
    assert response.status_code == 403
    assert "Reload the page" in response.text
    assert "lang=fr" not in response.headers.get("set-cookie", "")


def test_form_post_with_the_token_of_the_page_passes(bare_client):
    page = bare_client.get("/")
    assert CSRF_COOKIE in page.cookies
    response = bare_client.post(
        "/language", data={"lang": "fr", CSRF_FIELD: _csrf_of(page)}, follow_redirects=False
    )
    assert response.status_code == 303


def test_token_of_another_browser_is_refused(bare_client):
    bare_client.get("/")
    forged = token_for_secret("another-browser-secret-0123456789")
    response = bare_client.post("/language", data={"lang": "fr", CSRF_FIELD: forged})
    assert response.status_code == 403


def test_tampered_token_is_refused(bare_client):
    page = bare_client.get("/")
    token = _csrf_of(page)
    response = bare_client.post("/language", data={"lang": "fr", CSRF_FIELD: token[:-2] + "xx"})
    assert response.status_code == 403


def test_header_token_is_accepted_for_forms(bare_client):
    bare_client.get("/")
    secret = bare_client.cookies[CSRF_COOKIE]
    response = bare_client.post(
        "/language",
        data={"lang": "fr"},
        headers={CSRF_HEADER: token_for_secret(secret)},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_api_call_with_session_cookie_needs_the_header(bare_client, db_session):
    admin = user(db_session, is_platform_admin=True)
    bare_client.cookies.set(SESSION_COOKIE, session_token(admin))
    body = {"kind": "client", "legal_name": "X SA", "country": "FR"}
    refused = bare_client.post("/api/v1/organisations", json=body)
    assert refused.status_code == 403
    assert refused.json()["error"] == "csrf_failed"
    bare_client.get("/")
    token = token_for_secret(bare_client.cookies[CSRF_COOKIE])
    accepted = bare_client.post("/api/v1/organisations", json=body, headers={CSRF_HEADER: token})
    assert accepted.status_code == 201, accepted.text
