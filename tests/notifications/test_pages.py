"""The notifications pages and API: the list in the viewer's language, the unread count in
the header, marking read, and nobody else's notifications."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.accounts.models import User
from app.notifications.models import NotificationKind
from app.notifications.service import notify_organisation, notify_user
from tests.accounts.factories import api_token, log_in, user

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _notify(db_session, recipient, n: int = 3):
    rows = [
        notify_user(
            db_session=db_session,
            user=recipient,
            kind=NotificationKind.request_accepted,
            params={"event_name": "Euroffshore Casablanca", "recipient_name": f"Centre {i}"},
            link="/organisations",
            now=NOW + timedelta(minutes=i),
        )
        for i in range(n)
    ]
    db_session.commit()
    return rows


def _header_count(html: str) -> str | None:
    badge = BeautifulSoup(html, "html.parser").select_one(".account-nav .notification-count")
    return badge.select_one(".visually-hidden").get_text(strip=True) if badge else None


def test_list_shows_newest_first_with_unread_marked(client, db_session) -> None:
    member = user(db_session)
    rows = _notify(db_session, member)
    rows[0].read_at = NOW
    db_session.commit()
    log_in(client, member)
    page = client.get("/notifications")
    assert page.status_code == 200
    items = BeautifulSoup(page.text, "html.parser").select(".notification")
    assert [i.select_one(".notification-text").get_text() for i in items] == [
        "Centre 2 accepted your meeting request at Euroffshore Casablanca",
        "Centre 1 accepted your meeting request at Euroffshore Casablanca",
        "Centre 0 accepted your meeting request at Euroffshore Casablanca",
    ]
    assert ["is-unread" in i["class"] for i in items] == [True, True, False]
    assert [i.a["href"] for i in items] == [f"/notifications/{r.id}" for r in reversed(rows)]
    assert _header_count(page.text) == "2 unread"


def test_list_speaks_the_viewers_language_not_the_stored_one(client, db_session) -> None:
    member = user(db_session)
    _notify(db_session, member, n=1)  # written in English (the user's locale then)
    log_in(client, member)
    client.cookies.set("lang", "fr")
    page = client.get("/notifications")
    assert "Centre 0 a accepté votre demande de rendez-vous à Euroffshore Casablanca" in page.text
    assert _header_count(page.text) == "1 non lue"


def test_list_is_paginated(client, db_session) -> None:
    member = user(db_session)
    _notify(db_session, member, n=23)
    log_in(client, member)
    second = client.get("/notifications?page=2")
    assert len(BeautifulSoup(second.text, "html.parser").select(".notification")) == 3
    assert "Page 2 of 2" in second.text


def test_list_query_count_does_not_grow(client, db_session, count_queries) -> None:
    member = user(db_session)
    log_in(client, member)
    _notify(db_session, member, n=2)
    with count_queries() as few:
        client.get("/notifications")
    _notify(db_session, member, n=15)
    with count_queries() as many:
        client.get("/notifications")
    assert many.count == few.count


def test_opening_marks_read_and_follows_the_link(client, db_session) -> None:
    member = user(db_session)
    row = _notify(db_session, member, n=1)[0]
    log_in(client, member)
    opened = client.get(f"/notifications/{row.id}", follow_redirects=False)
    assert (opened.status_code, opened.headers["location"]) == (303, "/organisations")
    db_session.refresh(row)
    assert row.read_at is not None
    assert _header_count(client.get("/notifications").text) is None


def test_mark_all_read_clears_the_count(client, db_session) -> None:
    member = user(db_session)
    _notify(db_session, member)
    log_in(client, member)
    done = client.post("/notifications/read-all", follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/notifications")
    page = client.get("/notifications")
    assert _header_count(page.text) is None
    assert "Nothing unread." in page.text


def test_another_users_notification_is_404(client, db_session) -> None:
    owner = user(db_session)
    stranger = user(db_session)
    row = _notify(db_session, owner, n=1)[0]
    log_in(client, stranger)
    assert client.get(f"/notifications/{row.id}").status_code == 404
    assert client.post(f"/api/v1/me/notifications/{row.id}/read").status_code == 404
    client.post("/notifications/read-all")
    db_session.refresh(row)
    assert row.read_at is None
    assert client.get("/api/v1/me/notifications").json()["total"] == 0


def test_api_lists_unread_only_and_marks_read(client, db_session) -> None:
    member = user(db_session)
    rows = _notify(db_session, member)
    headers = {"Authorization": f"Bearer {api_token(db_session, member)}"}
    listed = client.get("/api/v1/me/notifications", params={"limit": 2}, headers=headers).json()
    assert (listed["total"], [i["id"] for i in listed["items"]]) == (3, [rows[2].id, rows[1].id])
    item = listed["items"][0]
    assert item["url"] == "http://127.0.0.1:8000/organisations"
    assert item["unread"] is True
    read = client.post(f"/api/v1/me/notifications/{rows[2].id}/read", headers=headers)
    assert (read.status_code, read.json()["unread"]) == (200, False)
    unread = client.get(
        "/api/v1/me/notifications", params={"unread_only": "true"}, headers=headers
    ).json()
    assert [i["id"] for i in unread["items"]] == [rows[1].id, rows[0].id]
    assert client.post("/api/v1/me/notifications/read-all", headers=headers).json() == {
        "marked": 2,
        "unread": 0,
    }


def test_api_text_follows_accept_language(client, db_session) -> None:
    member = user(db_session)
    _notify(db_session, member, n=1)
    headers = {"Authorization": f"Bearer {api_token(db_session, member)}", "Accept-Language": "fr"}
    items = client.get("/api/v1/me/notifications", headers=headers).json()["items"]
    assert items[0]["text"].startswith("Centre 0 a accepté")


def test_organisation_notice_reaches_every_active_member(db_session) -> None:
    admin = user(db_session)
    colleague = user(db_session, organisation=admin.organisation, role="member")
    user(db_session, organisation=admin.organisation, role="member", is_active=False)
    rows = notify_organisation(
        db_session=db_session,
        organisation_id=admin.organisation_id,
        kind=NotificationKind.registration_approved,
        params={"event_name": "Euroffshore Casablanca"},
    )
    assert [r.user_id for r in rows] == [admin.id, colleague.id]


def test_switching_language_updates_the_users_locale(client, db_session) -> None:
    member = user(db_session)
    log_in(client, member)
    client.post("/language", data={"lang": "fr", "next": "/"})
    db_session.refresh(member)
    assert member.locale == "fr"
    client.post("/language", data={"lang": "en", "next": "/"})
    db_session.refresh(member)
    assert member.locale == "en"


def test_login_and_signup_record_the_current_language(client, db_session) -> None:
    from tests.accounts.factories import DEFAULT_PASSWORD

    member = user(db_session)
    client.cookies.set("lang", "fr")
    client.post("/login", data={"email": member.email, "password": DEFAULT_PASSWORD})
    db_session.refresh(member)
    assert member.locale == "fr"
    client.cookies.clear()
    client.headers["Accept-Language"] = "fr-FR,fr;q=0.9"
    from tests.accounts.factories import prime_csrf

    prime_csrf(client)
    client.post(
        "/signup",
        data={
            "kind": "client",
            "legal_name": "Mutuelle Bleue SA",
            "country": "FR",
            "email": "fondatrice@mutuelle.example",
            "password": "Antananarivo 2026 calls",
        },
    )
    created = db_session.scalar(select(User).where(User.email == "fondatrice@mutuelle.example"))
    assert created.locale == "fr"


def test_anonymous_visitor_sees_no_count(client) -> None:
    assert _header_count(client.get("/").text) is None


def test_every_page_shows_events_and_the_unread_count_to_a_signed_in_user(
    client, db_session
) -> None:
    member = user(db_session, kind="provider")
    _notify(db_session, member, n=2)
    log_in(client, member)
    pages = [
        "/",
        "/dashboard",
        "/organisations",
        f"/organisations/{member.organisation_id}",
        "/providers",
        "/needs",
        "/events",
        "/notifications",
        "/account",
    ]
    seen = {}
    for path in pages:
        response = client.get(path)
        nav = BeautifulSoup(response.text, "html.parser").select_one("header nav")
        links = [a["href"] for a in nav.select("a")] if nav else []
        seen[path] = (response.status_code, "/events" in links, _header_count(response.text))
    assert seen == {path: (200, True, "2 unread") for path in pages}
    client.cookies.clear()
    anonymous = BeautifulSoup(client.get("/providers").text, "html.parser")
    assert [a["href"] for a in anonymous.select("header nav a")].count("/events") == 0
