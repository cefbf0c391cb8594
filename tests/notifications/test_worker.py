"""The outbox's runners: the web process's background thread (started and stopped by the
app's lifespan) and ``euroffshore outbox send``."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from sqlalchemy.orm import sessionmaker

from app import main
from app.cli import main as cli_main
from app.notifications.dispatch import OutboxWorker
from app.notifications.mailer import OutgoingEmail
from app.notifications.models import EmailStatus, Notification, NotificationKind
from app.notifications.service import notify_address
from tests.notifications.conftest import SmtpServer, use_smtp

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _committed_row(factory, email: str) -> int:
    with factory() as session, session.begin():
        row = notify_address(
            db_session=session,
            email=email,
            locale="en",
            kind=NotificationKind.registration_approved,
            params={"event_name": "Euroffshore Casablanca"},
            now=NOW,
        )
        row.email_status = EmailStatus.pending.value
        session.flush()
        return row.id


def _cleanup(factory, pattern: str) -> None:
    with factory() as session, session.begin():
        session.execute(delete(Notification).where(Notification.email.like(pattern)))


def test_worker_thread_sends_and_stops_cleanly(engine) -> None:
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    row_id = _committed_row(factory, "worker-test@example.org")
    sent: list[OutgoingEmail] = []
    worker = OutboxWorker(interval_s=0.05, session_factory=factory, sender=sent.append)
    try:
        worker.start()
        deadline = time.monotonic() + 10
        while not sent and time.monotonic() < deadline:
            time.sleep(0.02)
        started = time.monotonic()
        worker.stop()
        assert time.monotonic() - started < 2
        assert [e.to for e in sent] == ["worker-test@example.org"]
        with factory() as session:
            assert session.get(Notification, row_id).email_status == "sent"
    finally:
        worker.stop()
        _cleanup(factory, "worker-test@%")


class _FakeWorker:
    instances: list[_FakeWorker] = []

    def __init__(self, *, interval_s: float, limit: int) -> None:
        self.interval_s, self.limit = interval_s, limit
        self.started = self.stopped = False
        _FakeWorker.instances.append(self)

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.stopped = True


@pytest.mark.parametrize(
    ("smtp", "worker_on", "expected"),
    [
        ("smtp://127.0.0.1:2525", "true", 1),
        ("smtp://127.0.0.1:2525", "false", 0),
        (None, "true", 0),
    ],
)
def test_lifespan_runs_the_worker_only_when_asked(
    monkeypatch, smtp: str | None, worker_on: str, expected: int
) -> None:
    _FakeWorker.instances = []
    monkeypatch.setattr(main, "OutboxWorker", _FakeWorker)
    use_smtp(monkeypatch, smtp, outbox_worker=worker_on, outbox_interval_s="2.5")
    with TestClient(main.create_app()):
        assert [w.started for w in _FakeWorker.instances] == [True] * expected
    assert [(w.stopped, w.interval_s) for w in _FakeWorker.instances] == [(True, 2.5)] * expected


def test_cli_outbox_send_delivers_due_mail(
    smtp_server: SmtpServer, monkeypatch, engine, database_url, capsys
) -> None:
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    _committed_row(factory, "cli-test@example.org")
    use_smtp(monkeypatch, smtp_server.url, database_url=database_url)
    from app.core import db

    monkeypatch.setattr(db, "_engine", engine)
    monkeypatch.setattr(db, "_session_factory", factory)
    try:
        assert cli_main(["outbox", "send"]) == 0
        assert "sent 1," in capsys.readouterr().out
        assert [m["To"] for m in smtp_server.messages] == ["cli-test@example.org"]
        with factory() as session:
            status = session.scalar(
                select(Notification.email_status).where(
                    Notification.email == "cli-test@example.org"
                )
            )
        assert status == "sent"
    finally:
        _cleanup(factory, "cli-test@%")


def test_cli_outbox_send_without_smtp_says_so(capsys) -> None:
    assert cli_main(["outbox", "send"]) == 1
    assert "EUROFFSHORE_SMTP_URL is not set" in capsys.readouterr().out


def test_worker_round_expires_due_requests_and_sends_their_emails(monkeypatch, db_session) -> None:
    """No page visit needed: one round of the web process's worker expires the pending
    request whose time has come and sends the sender's "expired" e-mail."""
    from sqlalchemy.orm import Session

    from app.core.db import utcnow
    from app.events.models import MeetingRequest
    from tests.matchmaking import builders

    use_smtp(monkeypatch, "smtp://127.0.0.1:1")  # rows are queued; the sender is a list
    event = builders.event(db_session, request_deadline=None)
    client_user, client = builders.client(db_session, event, name="Énergie Verte SA")
    _a_user, centre = builders.provider(db_session, event, name="Atlas Contact")
    _b_user, other = builders.provider(db_session, event, name="Bab Call")
    due = builders.request(
        db_session, event, client, centre, expires_at=utcnow() - timedelta(minutes=1)
    )
    later = builders.request(
        db_session, event, client, other, expires_at=utcnow() + timedelta(hours=1)
    )

    def factory() -> Session:  # the worker's sessions, inside the test's transaction
        return Session(
            bind=db_session.connection(),
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
        )

    sent: list[OutgoingEmail] = []
    worker = OutboxWorker(interval_s=60, session_factory=factory, sender=sent.append)
    report = worker.run_once()
    statuses = dict(
        db_session.execute(
            select(MeetingRequest.id, MeetingRequest.status)
            .where(MeetingRequest.event_id == event.id)
            .execution_options(populate_existing=True)
        ).all()
    )
    assert statuses == {due.id: "expired", later.id: "pending"}
    assert (report.sent, [e.to for e in sent]) == (1, [client_user.email])
    assert worker.run_once().attempted == 0
