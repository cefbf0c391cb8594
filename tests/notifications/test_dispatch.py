"""The outbox through a real SMTP server on localhost: delivery in the recipient's language,
retries with backoff, the timeout of a hung server, and two dispatchers at once."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from app.notifications import dispatch
from app.notifications.dispatch import MAX_ATTEMPTS, dispatch_due, retry_delay
from app.notifications.mailer import OutgoingEmail, SmtpConfig, SmtpUrlError
from app.notifications.models import EmailStatus, Notification, NotificationKind
from app.notifications.service import notify_address, notify_user
from tests.accounts.factories import user
from tests.notifications.conftest import SmtpServer, free_port, use_smtp

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
REQUEST = {
    "event_name": "Euroffshore Casablanca",
    "sender_name": "Énergie Verte SA",
    "message": "Bonjour, parlons de votre site de Rabat.",
}


def _subject(message) -> str:
    # A long subject is folded on the wire; mail readers drop the fold's leading space.
    return str(message["Subject"]).strip()


def _request_received(db_session: Session, recipient, now: datetime = NOW) -> Notification:
    row = notify_user(
        db_session=db_session,
        user=recipient,
        kind=NotificationKind.request_received,
        params=REQUEST,
        link="/events/3/requests",
        event_id=None,
        now=now,
    )
    db_session.commit()
    return row


def test_retry_delay_doubles_then_caps() -> None:
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=4),
        timedelta(minutes=8),
    ]
    assert retry_delay(20) == dispatch.LONGEST_RETRY


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example:2525", ("mail.example", 2525, "plain", None, None)),
        ("smtp://u%40x:p%3Aw@mail.example", ("mail.example", 25, "plain", "u@x", "p:w")),
        ("smtp://mail.example?starttls=1", ("mail.example", 587, "starttls", None, None)),
        ("smtp+starttls://a:b@mail.example:25", ("mail.example", 25, "starttls", "a", "b")),
        ("smtps://a:b@mail.example", ("mail.example", 465, "tls", "a", "b")),
    ],
)
def test_smtp_url_is_read(url: str, expected: tuple[object, ...]) -> None:
    config = SmtpConfig.from_url(url, timeout_s=3)
    assert (config.host, config.port, config.security, config.username, config.password) == (
        expected
    )
    assert config.timeout_s == 3


def test_smtp_url_with_unknown_scheme_is_refused() -> None:
    with pytest.raises(SmtpUrlError):
        SmtpConfig.from_url("http://mail.example")


def test_notification_arrives_by_smtp_in_english(smtp_server: SmtpServer, db_session) -> None:
    recipient = user(db_session, email="buyer@energie.example")
    row = _request_received(db_session, recipient)
    assert row.email_status == "pending"

    report = dispatch_due(db_session=db_session, now=NOW)

    assert (report.sent, report.retried, report.failed) == (1, 0, 0)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert _subject(message) == "Énergie Verte SA asks to meet you at Euroffshore Casablanca"
    assert message["To"] == "buyer@energie.example"
    assert message["From"] == "Euroffshore <no-reply@euroffshore.test>"
    assert message["Content-Language"] == "en"
    assert message["Message-ID"].endswith("@euroffshore.test>")
    assert message["Date"] is not None
    assert message.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "http://127.0.0.1:8000/events/3/requests" in text
    assert 'href="http://127.0.0.1:8000/events/3/requests"' in html
    assert "Bonjour, parlons de votre site de Rabat." in text
    db_session.refresh(row)
    assert (row.email_status, row.attempts, row.sent_at, row.last_error) == ("sent", 1, NOW, None)


def test_french_user_gets_french(smtp_server: SmtpServer, db_session) -> None:
    recipient = user(db_session, email="acheteur@energie.example")
    recipient.locale = "fr"
    db_session.commit()
    _request_received(db_session, recipient)

    dispatch_due(db_session=db_session, now=NOW)

    message = smtp_server.messages[0]
    # A UTF-8 subject, encoded on the wire and read back whole.
    assert _subject(message) == "Énergie Verte SA souhaite vous rencontrer à Euroffshore Casablanca"
    assert message["Content-Language"] == "fr"
    text = message.get_body(("plain",)).get_content()
    assert "Répondre à la demande" in text
    assert "Answer the request" not in text


def test_nothing_is_due_before_its_time(smtp_server: SmtpServer, db_session) -> None:
    _request_received(db_session, user(db_session), now=NOW)
    report = dispatch_due(db_session=db_session, now=NOW - timedelta(seconds=1))
    assert report.attempted == 0
    assert smtp_server.messages == []


def test_refusing_server_is_retried_with_backoff_then_failed(
    smtp_server: SmtpServer, db_session
) -> None:
    smtp_server.handler.refuse = "451 4.3.0 Try again later"
    row = _request_received(db_session, user(db_session))
    now = NOW
    delays = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert dispatch_due(db_session=db_session, now=now - timedelta(seconds=1)).attempted == 0
        report = dispatch_due(db_session=db_session, now=now)
        assert report.attempted == 1
        db_session.refresh(row)
        assert row.attempts == attempt
        assert "451" in (row.last_error or "")
        if attempt < MAX_ATTEMPTS:
            assert row.email_status == "pending"
            delays.append(row.next_attempt_at - now)
            now = row.next_attempt_at
    assert row.email_status == "failed"
    assert delays[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert dispatch_due(db_session=db_session, now=now + timedelta(days=1)).attempted == 0
    assert smtp_server.messages == []


def test_server_back_after_a_refusal_gets_the_message(smtp_server: SmtpServer, db_session) -> None:
    smtp_server.handler.refuse = "451 4.3.0 Try again later"
    row = _request_received(db_session, user(db_session))
    dispatch_due(db_session=db_session, now=NOW)
    smtp_server.handler.refuse = None
    db_session.refresh(row)
    dispatch_due(db_session=db_session, now=row.next_attempt_at)
    db_session.refresh(row)
    assert (row.email_status, row.attempts, len(smtp_server.messages)) == ("sent", 2, 1)


def test_closed_port_is_retried(monkeypatch, db_session) -> None:
    use_smtp(monkeypatch, f"smtp://127.0.0.1:{free_port()}")
    row = _request_received(db_session, user(db_session))
    report = dispatch_due(db_session=db_session, now=NOW)
    db_session.refresh(row)
    assert (report.retried, row.email_status, row.attempts) == (1, "pending", 1)
    assert row.next_attempt_at == NOW + timedelta(minutes=1)
    assert "ConnectionRefusedError" in (row.last_error or "")


def test_hung_server_is_cut_by_the_timeout(monkeypatch, hanging_server: int, db_session) -> None:
    use_smtp(monkeypatch, f"smtp://127.0.0.1:{hanging_server}", smtp_timeout_s="0.5")
    rows = [_request_received(db_session, user(db_session)) for _ in range(2)]
    started = time.monotonic()
    report = dispatch_due(db_session=db_session, now=NOW)
    elapsed = time.monotonic() - started
    assert report.retried == 2
    assert elapsed < 5
    for row in rows:
        db_session.refresh(row)
        assert (row.email_status, row.next_attempt_at) == ("pending", NOW + timedelta(minutes=1))
        assert "timed out" in (row.last_error or "")


def test_request_is_not_slowed_by_a_hung_server(
    monkeypatch, hanging_server: int, db_session, client
) -> None:
    use_smtp(monkeypatch, f"smtp://127.0.0.1:{hanging_server}", smtp_timeout_s="5")
    member = user(db_session, email="forgetful@energie.example")
    started = time.monotonic()
    response = client.post("/password-reset", data={"email": member.email})
    assert response.status_code == 200
    assert time.monotonic() - started < 2
    row = db_session.scalar(select(Notification).where(Notification.user_id == member.id))
    assert (row.kind, row.email_status) == ("password_reset", "pending")


def test_without_smtp_nothing_is_pending_or_sent(db_session) -> None:
    row = _request_received(db_session, user(db_session))
    assert row.email_status == "none"
    assert dispatch_due(db_session=db_session, now=NOW).attempted == 0


def test_claimed_row_is_not_claimed_again_during_its_lease(db_session) -> None:
    sent: list[OutgoingEmail] = []
    row = notify_address(
        db_session=db_session,
        email="x@example.org",
        locale="en",
        kind=NotificationKind.registration_approved,
        params={"event_name": "Casa"},
        now=NOW,
    )
    row.email_status = EmailStatus.pending.value
    db_session.commit()
    claimed = dispatch._claim(db_session, now=NOW, limit=10)
    db_session.commit()
    assert [c.id for c in claimed] == [row.id]
    assert dispatch_due(db_session=db_session, now=NOW, sender=sent.append).attempted == 0
    later = NOW + dispatch.LEASE
    assert dispatch_due(db_session=db_session, now=later, sender=sent.append).sent == 1
    assert [e.to for e in sent] == ["x@example.org"]


def test_two_dispatchers_send_each_message_once(engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("concurrent dispatchers are a PostgreSQL deployment (SKIP LOCKED)")
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with factory() as session, session.begin():
        for n in range(40):
            row = notify_address(
                db_session=session,
                email=f"participant{n}@example.org",
                locale="fr" if n % 2 else "en",
                kind=NotificationKind.registration_approved,
                params={"event_name": "Euroffshore Casablanca"},
                now=NOW,
            )
            row.email_status = EmailStatus.pending.value
    received: list[str] = []
    lock = threading.Lock()

    def slow_sender(email: OutgoingEmail) -> None:
        time.sleep(0.005)
        with lock:
            received.append(email.to)

    start = threading.Barrier(2)

    def run() -> None:
        start.wait()
        while dispatch_due(session_factory=factory, now=NOW, limit=7, sender=slow_sender).attempted:
            pass

    try:
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert sorted(received) == sorted(f"participant{n}@example.org" for n in range(40))
        with factory() as session:
            statuses = session.scalars(
                select(Notification.email_status).where(Notification.email.like("participant%"))
            ).all()
        assert statuses == ["sent"] * 40
    finally:
        with factory() as session, session.begin():
            session.execute(delete(Notification).where(Notification.email.like("participant%")))
