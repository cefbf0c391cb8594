"""The interface speaks English and French; catalogues are complete and up to date."""

from __future__ import annotations

import pytest

from app import i18n, i18n_catalogs


def test_catalogues_are_complete_and_up_to_date():
    assert i18n_catalogs.problems() == []


@pytest.mark.parametrize(
    ("cookie", "header", "expected"),
    [
        (None, None, "en"),
        (None, "fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        (None, "de-DE,de;q=0.9", "en"),
        ("en", "fr-FR", "en"),
        ("fr", None, "fr"),
        ("xx", "fr-CH", "fr"),
    ],
)
def test_locale_negotiation(cookie, header, expected):
    assert i18n.negotiate_locale(cookie, header) == expected


def test_pages_follow_accept_language(client):
    page = client.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<html lang="fr">' in page.text
    assert "Rencontrez les centres d’appels offshore" in page.text


def test_language_switch_is_remembered(client):
    response = client.post(
        "/language", data={"lang": "fr", "next": "/login"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    page = client.get("/", headers={"Accept-Language": "en"})  # the choice beats the browser
    assert '<html lang="fr">' in page.text
    assert "Rencontrez les centres d’appels offshore" in page.text


def test_language_switch_never_redirects_off_site(client):
    response = client.post(
        "/language", data={"lang": "fr", "next": "//evil.example/"}, follow_redirects=False
    )
    assert response.headers["location"] == "/"


def test_api_errors_are_translated(client, db_session, login):
    from tests.accounts.factories import platform_admin

    login(platform_admin(db_session))
    response = client.post(
        "/api/v1/organisations",
        json={"kind": "client", "legal_name": "X", "country": "ZZ"},
        headers={"Accept-Language": "fr"},
    )
    assert "Code pays inconnu" in response.json()["detail"][0]["msg"]


def test_dates_and_numbers_follow_the_locale():
    from datetime import date

    token = i18n.current_locale.set("fr")
    try:
        assert i18n.format_date(date(2026, 11, 12), "long") == "12 novembre 2026"
        assert i18n.format_number(1234.5) == "1\u202f234,5"
        assert i18n.country_name("MA") == "Maroc"
    finally:
        i18n.current_locale.reset(token)
