"""One-time messages: flashed before a redirect, shown once on the next page, signed."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from app.core.flash import FLASH_COOKIE, FlashMessage, _decode, _encode
from tests.accounts.factories import user
from tests.needs.builders import need


def _flashes(response) -> list[str]:
    soup = BeautifulSoup(response.text, "html.parser")
    region = soup.select_one("main .flash-region[role=status]")
    assert region is not None, "every page has the (polite) status region"
    return [p.get_text(strip=True) for p in region.select(".alert p")]


def test_flash_survives_the_redirect_once(client: TestClient, db_session, login) -> None:
    owner = user(db_session, kind="client")
    draft = need(db_session, owner.organisation_id, status="draft")
    login(owner)
    response = client.post(f"/needs/{draft.id}/open", follow_redirects=False)
    assert response.status_code == 303
    assert FLASH_COOKIE in response.headers["set-cookie"]
    page = client.get(response.headers["location"])
    assert _flashes(page) == [f"“{draft.title}” is published: call centres can see it."]
    assert _flashes(client.get(f"/needs/{draft.id}")) == []  # shown once


def test_flash_is_in_the_language_of_the_person(client: TestClient, db_session, login) -> None:
    owner = user(db_session, kind="client")
    opened = need(db_session, owner.organisation_id)
    login(owner)
    client.cookies.set("lang", "fr")
    page = client.post(f"/needs/{opened.id}/close")
    assert _flashes(page) == [f"« {opened.title} » est clôturé."]


def test_flash_cookie_refuses_a_forged_value() -> None:
    good = _encode([FlashMessage("Saved.")])
    assert _decode(good) == [FlashMessage("Saved.")]
    assert _decode(good[:-2] + "xx") == []
    assert _decode("not-signed") == []


def test_anonymous_visitor_is_told_to_sign_in_and_comes_back(
    client: TestClient, db_session
) -> None:
    response = client.get("/dashboard", follow_redirects=False)
    assert response.headers["location"] == "/login?next=/dashboard"
    page = client.get(response.headers["location"])
    assert _flashes(page) == ["Please sign in to see this page."]
