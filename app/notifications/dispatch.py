"""Send the outbox: claim due e-mails, send them outside any transaction, record the result.

``dispatch_due`` is a plain function so that any scheduler can run it: the web process's
background thread (``OutboxWorker``), ``euroffshore outbox send [--loop]``, or later a task
queue. Several dispatchers may run at once:

1. *claim* — one short transaction picks due rows (``FOR UPDATE SKIP LOCKED`` on
   PostgreSQL, so concurrent dispatchers take different rows), counts the attempt and
   pushes ``next_attempt_at`` forward by ``LEASE``: the row is invisible to other
   dispatchers while it is being sent, and comes back by itself if this process dies;
2. *send* — with no transaction open, each message on its own SMTP connection with a
   timeout, so a slow server holds no lock and no database connection;
3. *record* — one short transaction per message: ``sent``, or the error and the next try
   after an exponential backoff, or ``failed`` after ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.config import get_settings
from app.core.db import utcnow
from app.matchmaking.service import expire_due_requests
from app.notifications.mailer import OutgoingEmail, Sender, SmtpConfig, SmtpSender
from app.notifications.messages import EMAIL_ONLY_KINDS, render_email
from app.notifications.models import EmailStatus, Notification

log = logging.getLogger(__name__)
T = TypeVar("T")

# After this many attempts an e-mail is given up (about two hours of retries).
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
# How long a claimed row stays reserved: far longer than one send with its timeouts.
LEASE = timedelta(minutes=5)
# An SMTP error message kept on the row is cut to this many characters.
ERROR_CHARS = 500


@dataclass(frozen=True)
class DispatchReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.failed


@dataclass(frozen=True)
class _Claimed:
    id: int
    attempts: int
    email: OutgoingEmail | None
    # Set when the message could not even be written (a bug or a bad row).
    problem: str | None = None
    # The params to keep once the e-mail is done with: a secret link (password reset,
    # invitation) is not kept in the database after it was sent or given up.
    params_after: dict[str, Any] | None = None


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` failed ones: 1, 2, 4, 8... minutes, capped."""
    factor: int = 2 ** max(attempts - 1, 0)
    return min(FIRST_RETRY * factor, LONGEST_RETRY)


def default_sender() -> Sender | None:
    """The SMTP sender of the settings (None when no SMTP server is configured)."""
    settings = get_settings()
    if not settings.smtp_url:
        return None
    config = SmtpConfig.from_url(settings.smtp_url, timeout_s=settings.smtp_timeout_s)
    return SmtpSender(config, mail_from=settings.mail_from)


def _claim(session: Session, *, now: datetime, limit: int) -> list[_Claimed]:
    query = (
        select(Notification)
        .where(
            Notification.email_status == EmailStatus.pending.value,
            Notification.next_attempt_at <= now,
            Notification.email.is_not(None),
        )
        .order_by(Notification.next_attempt_at, Notification.id)
        .limit(limit)
        # Read the rows as they are now, not as an earlier step of this session saw them.
        .execution_options(populate_existing=True)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed: list[_Claimed] = []
    for row in session.scalars(query).all():
        # A conditional update: on a database without SKIP LOCKED (SQLite) a row another
        # dispatcher claimed in between no longer matches, and is left to it.
        taken = session.execute(
            update(Notification)
            .where(
                Notification.id == row.id,
                Notification.email_status == EmailStatus.pending.value,
                Notification.attempts == row.attempts,
            )
            .values(attempts=row.attempts + 1, next_attempt_at=now + LEASE)
            .execution_options(synchronize_session=False)
        )
        if getattr(taken, "rowcount", 0) != 1:
            continue
        try:
            rendered = render_email(row)
        except Exception as exc:  # a bad row must not stop the others
            log.exception("notification %s could not be rendered", row.id)
            claimed.append(_Claimed(row.id, row.attempts + 1, None, f"render: {exc!r}"))
            continue
        params_after = (
            {k: v for k, v in (row.params or {}).items() if k != "link"}
            if row.kind in EMAIL_ONLY_KINDS
            else None
        )
        claimed.append(
            _Claimed(
                row.id,
                row.attempts + 1,
                OutgoingEmail(
                    to=row.email or "",
                    subject=rendered.subject,
                    text=rendered.text,
                    html=rendered.html,
                    locale=rendered.locale,
                    reference=f"notification-{row.id}",
                ),
                params_after=params_after,
            )
        )
    return claimed


def _record(
    session: Session, claimed: _Claimed, *, error: str | None, now: datetime
) -> EmailStatus:
    values: dict[str, object]
    if error is None:
        status, values = EmailStatus.sent, {"sent_at": now, "last_error": None}
    elif claimed.attempts >= MAX_ATTEMPTS:
        status, values = EmailStatus.failed, {"last_error": error[:ERROR_CHARS]}
    else:
        status = EmailStatus.pending
        values = {
            "last_error": error[:ERROR_CHARS],
            "next_attempt_at": now + retry_delay(claimed.attempts),
        }
    if status is not EmailStatus.pending and claimed.params_after is not None:
        values["params"] = claimed.params_after
    session.execute(
        update(Notification)
        .where(
            Notification.id == claimed.id,
            Notification.email_status == EmailStatus.pending.value,
            # Still our claim (not re-claimed after the lease ran out).
            Notification.attempts == claimed.attempts,
        )
        .values(email_status=status.value, **values)
        .execution_options(synchronize_session=False)
    )
    return status


def dispatch_due(
    *,
    session_factory: Callable[[], Session] | None = None,
    db_session: Session | None = None,
    now: datetime | None = None,
    limit: int = 50,
    sender: Sender | None = None,
    clock: Callable[[], datetime] | None = None,
) -> DispatchReport:
    """Send up to ``limit`` due e-mails and record each result.

    Give a ``session_factory`` (a worker: one short session per step) or a ``db_session``,
    which this function commits after the claim and after each result, as a worker owns its
    session. ``now`` decides which rows are due; ``clock`` (default: ``now`` if given, else
    the real time) stamps the results. Without ``sender`` the settings' SMTP server is used;
    with none configured nothing is sent.
    """
    sender = sender or default_sender()
    if sender is None:
        return DispatchReport()
    due_at = now or utcnow()
    stamp: Callable[[], datetime] = clock or ((lambda: due_at) if now else utcnow)

    def run(step: Callable[[Session], T]) -> T:
        if db_session is not None:
            result = step(db_session)
            db_session.commit()
            return result
        factory = session_factory
        if factory is None:
            from app.core.db import get_session_factory

            factory = get_session_factory()
        with factory() as session, session.begin():
            return step(session)

    claimed = run(lambda s: _claim(s, now=due_at, limit=limit))
    counts = {EmailStatus.sent: 0, EmailStatus.pending: 0, EmailStatus.failed: 0}
    for item in claimed:
        error = item.problem
        if item.email is not None:
            try:
                sender(item.email)
            except Exception as exc:  # SMTP refusals, timeouts, refused connections
                error = f"{type(exc).__name__}: {exc}"
                log.warning("e-mail of notification %s not sent: %s", item.id, error)
            else:
                log.info("e-mail of notification %s sent", item.id)

        def record(
            session: Session, item: _Claimed = item, error: str | None = error
        ) -> EmailStatus:
            return _record(session, item, error=error, now=stamp())

        counts[run(record)] += 1
    return DispatchReport(
        sent=counts[EmailStatus.sent],
        retried=counts[EmailStatus.pending],
        failed=counts[EmailStatus.failed],
    )


def expire_due(*, session_factory: Callable[[], Session] | None = None) -> int:
    """Expire the meeting requests whose time has come, in one short transaction, so that
    their e-mails are in the outbox for this round; return how many (0 after an error).

    Safe with several processes: the expiry is a conditional UPDATE of pending rows only.
    """
    factory = session_factory
    if factory is None:
        from app.core.db import get_session_factory

        factory = get_session_factory()
    try:
        with factory() as session, session.begin():
            return expire_due_requests(db_session=session)
    except Exception:  # the database is away, or a bad row: the next round tries again
        log.exception("expiring due meeting requests failed")
        return 0


class OutboxWorker:
    """A daemon thread that, every ``interval_s`` until stopped, expires the due meeting
    requests (``expire_due``) then runs ``dispatch_due``, so expiry e-mails go out without
    anyone visiting a page."""

    def __init__(
        self,
        *,
        interval_s: float,
        limit: int = 50,
        session_factory: Callable[[], Session] | None = None,
        sender: Sender | None = None,
    ) -> None:
        self.interval_s = interval_s
        self.limit = limit
        self.session_factory = session_factory
        self.sender = sender
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="outbox-worker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        """Ask the loop to stop and wait for the message being sent, if any."""
        self._stop.set()
        self._thread.join(timeout_s)

    def run_once(self) -> DispatchReport:
        """One round: expire the due meeting requests, then send the due e-mails."""
        expire_due(session_factory=self.session_factory)
        try:
            return dispatch_due(
                session_factory=self.session_factory, limit=self.limit, sender=self.sender
            )
        except Exception:  # the database is away: try again at the next tick
            log.exception("outbox dispatch failed")
            return DispatchReport()

    def _loop(self) -> None:
        while not self._stop.is_set():
            report = self.run_once()
            # A full batch means more is due: go on at once.
            if report.attempted < self.limit:
                self._stop.wait(self.interval_s)
