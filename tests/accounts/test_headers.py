"""Security headers on every response; Secure cookies behind HTTPS."""

from __future__ import annotations

from bs4 import BeautifulSoup

from app.accounts.config import get_account_settings
from tests.accounts.factories import DEFAULT_PASSWORD, user


def test_pages_carry_a_strict_policy_without_inline_scripts(client):
    response = client.get("/")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"
    soup = BeautifulSoup(response.text, "html.parser")
    assert all(script.get("src") for script in soup.find_all("script"))  # no inline script
    assert soup.find(style=True) is None and soup.find("style") is None


def test_api_errors_and_csrf_refusals_carry_the_headers_too(bare_client):
    assert "content-security-policy" in bare_client.get("/api/v1/me").headers
    refused = bare_client.post("/logout")
    assert refused.status_code == 403
    assert refused.headers["x-frame-options"] == "DENY"


def test_cookies_are_secure_when_configured(client, db_session, monkeypatch):
    monkeypatch.setattr(get_account_settings(), "secure_cookies", True)
    member = user(db_session, email="secure@x.example")
    response = client.post(
        "/login", data={"email": member.email, "password": DEFAULT_PASSWORD}, follow_redirects=False
    )
    assert "Secure" in response.headers["set-cookie"]
    assert response.headers["strict-transport-security"] == "max-age=31536000"


def test_cookies_follow_the_base_url_scheme_by_default(monkeypatch):
    settings = get_account_settings()
    monkeypatch.setattr(settings, "secure_cookies", None)
    from app.core.config import get_settings

    monkeypatch.setattr(get_settings(), "base_url", "https://euroffshore.example")
    assert settings.cookies_secure is True
    monkeypatch.setattr(get_settings(), "base_url", "http://127.0.0.1:8000")
    assert settings.cookies_secure is False
