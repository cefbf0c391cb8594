"""Password resets and invitations go out by e-mail with working links; they are never
listed in the app, and the admin page says whether the e-mail left."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.accounts.models import User
from app.notifications.dispatch import dispatch_due
from app.notifications.models import Notification
from tests import factories
from tests.accounts.factories import log_in, log_out, platform_admin, user
from tests.notifications.conftest import SmtpServer

NEW_PASSWORD = "Ouarzazate 2026 dunes"


def _subject(message) -> str:
    # A long subject is folded on the wire; mail readers drop the fold's leading space.
    return str(message["Subject"]).strip()


def _link(server: SmtpServer, prefix: str) -> str:
    text = server.messages[-1].get_body(("plain",)).get_content()
    found = re.search(r"http://127\.0\.0\.1:8000(" + re.escape(prefix) + r"\S+)", text)
    assert found is not None, text
    return found.group(1)


def test_password_reset_email_arrives_with_a_working_link(
    smtp_server: SmtpServer, client, db_session
) -> None:
    member = user(db_session, email="forgetful@energie.example")
    member.locale = "fr"
    db_session.commit()

    assert client.post("/password-reset", data={"email": member.email}).status_code == 200
    assert dispatch_due(db_session=db_session).sent == 1

    message = smtp_server.messages[0]
    assert smtp_server.handler.recipients == [["forgetful@energie.example"]]
    assert _subject(message) == "Réinitialisez votre mot de passe Euroffshore"
    assert "Le lien est valable 2 heures." in message.get_body(("plain",)).get_content()
    path = _link(smtp_server, "/password-reset/")
    assert client.get(path).status_code == 200
    done = client.post(path, data={"password": NEW_PASSWORD}, follow_redirects=False)
    assert done.status_code == 303


def test_unknown_address_gets_no_reset_email(smtp_server: SmtpServer, client, db_session) -> None:
    assert client.post("/password-reset", data={"email": "nobody@x.example"}).status_code == 200
    assert dispatch_due(db_session=db_session).attempted == 0
    assert smtp_server.messages == []


def test_invitation_email_arrives_with_a_working_link(
    smtp_server: SmtpServer, client, db_session
) -> None:
    admin = user(db_session, email="boss@energie.example")
    log_in(client, admin)
    created = client.post("/team/invitations", data={"email": "colleague@energie.example"})
    assert created.status_code == 201
    log_out(client)
    assert dispatch_due(db_session=db_session).sent == 1

    message = smtp_server.messages[0]
    assert message["To"] == "colleague@energie.example"
    assert _subject(message) == (
        f"boss@energie.example invites you to join {admin.organisation.legal_name} on Euroffshore"
    )
    path = _link(smtp_server, "/invitations/")
    assert client.get(path).status_code == 200
    joined = client.post(path, data={"password": NEW_PASSWORD}, follow_redirects=False)
    assert joined.status_code == 303
    colleague = db_session.scalar(select(User).where(User.email == "colleague@energie.example"))
    assert colleague.organisation_id == admin.organisation_id


def test_admin_staffing_an_organisation_sends_the_invitation_by_email(
    smtp_server: SmtpServer, client, db_session
) -> None:
    admin = user(db_session, is_platform_admin=True)
    organiser = factories.organisation(db_session, kind="organiser", legal_name="Salon Offshore")
    log_in(client, admin)
    created = client.post(
        f"/organisations/{organiser.id}/team/invitations", data={"email": "chef@salon.example"}
    )
    assert created.status_code == 201
    log_out(client)
    assert dispatch_due(db_session=db_session).sent == 1
    assert smtp_server.messages[0]["To"] == "chef@salon.example"
    path = _link(smtp_server, "/invitations/")
    joined = client.post(path, data={"password": NEW_PASSWORD}, follow_redirects=False)
    assert joined.status_code == 303
    first = db_session.scalar(select(User).where(User.email == "chef@salon.example"))
    assert (first.organisation_id, first.role) == (organiser.id, "admin")


def test_french_inviter_sends_a_french_invitation(
    smtp_server: SmtpServer, client, db_session
) -> None:
    admin = user(db_session)
    log_in(client, admin)
    client.cookies.set("lang", "fr")
    client.post("/team/invitations", data={"email": "collegue@energie.example"})
    dispatch_due(db_session=db_session)
    assert _subject(smtp_server.messages[0]).endswith("sur Euroffshore")


def test_reset_and_invitation_are_never_listed_in_the_app(
    smtp_server: SmtpServer, client, db_session
) -> None:
    admin = user(db_session)
    client.post("/password-reset", data={"email": admin.email})
    log_in(client, admin)
    client.post("/team/invitations", data={"email": admin.email.replace("user", "other")})
    rows = db_session.scalars(select(Notification)).all()
    assert sorted(r.kind for r in rows) == ["invitation", "password_reset"]
    page = client.get("/notifications")
    assert "password-reset" not in page.text and "/invitations/" not in page.text
    api = client.get("/api/v1/me/notifications").json()
    assert api["total"] == 0
    reset = next(r for r in rows if r.kind == "password_reset")
    assert client.post(f"/api/v1/me/notifications/{reset.id}/read").status_code == 404


def test_admin_page_says_whether_the_reset_email_left(
    smtp_server: SmtpServer, client, db_session
) -> None:
    member = user(db_session, email="lost@energie.example")
    client.post("/password-reset", data={"email": member.email})
    log_in(client, platform_admin(db_session))
    assert "Waiting to be sent" in client.get("/admin/password-resets").text
    dispatch_due(db_session=db_session)
    page = client.get("/admin/password-resets").text
    assert "Sent" in page
    assert "The platform does not send e-mails yet" not in page


def test_admin_page_without_smtp_stays_the_fallback(client, db_session) -> None:
    member = user(db_session, email="lost@energie.example")
    client.post("/password-reset", data={"email": member.email})
    log_in(client, platform_admin(db_session))
    page = client.get("/admin/password-resets").text
    assert "The platform does not send e-mails yet" in page
    assert "Not sent (no SMTP server configured)" in page
    assert "/password-reset/" in page


def test_reset_link_is_not_logged(smtp_server: SmtpServer, client, db_session, caplog) -> None:
    member = user(db_session, email="quiet@energie.example")
    with caplog.at_level("DEBUG"):
        client.post("/password-reset", data={"email": member.email})
        dispatch_due(db_session=db_session)
        path = _link(smtp_server, "/password-reset/")
        assert client.get(path).status_code == 200
    # The server side of the test (aiosmtpd, the test client) logs what it sees; the app must not.
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith(("mail.log", "httpx"))]
    assert [m for m in ours if path in m] == []
    assert [m for m in ours if "GET /password-reset/[redacted] 200" in m] != []


def test_secret_link_is_not_kept_once_sent(smtp_server: SmtpServer, client, db_session) -> None:
    member = user(db_session, email="kept@energie.example")
    client.post("/password-reset", data={"email": member.email})
    row = db_session.scalar(select(Notification).where(Notification.user_id == member.id))
    assert "link" in row.params
    dispatch_due(db_session=db_session)
    db_session.refresh(row)
    assert (row.email_status, sorted(row.params)) == ("sent", ["expires_hours", "reset_id"])


def test_secret_link_is_not_stored_without_smtp(client, db_session) -> None:
    member = user(db_session, email="nosmtp@energie.example")
    client.post("/password-reset", data={"email": member.email})
    row = db_session.scalar(select(Notification).where(Notification.user_id == member.id))
    assert (row.email_status, "link" in row.params) == ("none", False)
