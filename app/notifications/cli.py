"""``euroffshore outbox send [--loop]``: send the due e-mails of the outbox from a separate
worker process (run the web processes with EUROFFSHORE_OUTBOX_WORKER=false then)."""

from __future__ import annotations

import argparse
import signal
import threading
from types import FrameType


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Declare the outbox command's arguments."""
    parser.add_argument("action", choices=["send"], help="send the e-mails that are due")
    parser.add_argument(
        "--loop", action="store_true", help="keep sending every --interval seconds until stopped"
    )
    parser.add_argument(
        "--interval", type=float, default=None, help="seconds between rounds (--loop)"
    )
    parser.add_argument("--limit", type=int, default=None, help="e-mails per round")


def run(args: argparse.Namespace) -> int:
    """Send the due e-mails once, or in a loop until SIGINT/SIGTERM."""
    import app.models  # noqa: F401  (every table known, so foreign keys resolve)
    from app.core.config import get_settings
    from app.core.logging import configure_logging
    from app.notifications.dispatch import DispatchReport, dispatch_due

    settings = get_settings()
    configure_logging(settings.log_level)
    if not settings.smtp_url:
        print("EUROFFSHORE_SMTP_URL is not set: no e-mail to send")
        return 1
    limit = args.limit or settings.outbox_batch_size
    interval = args.interval if args.interval is not None else settings.outbox_interval_s
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    if args.loop:
        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
    total = DispatchReport()
    while True:
        report = dispatch_due(limit=limit)
        total = DispatchReport(
            sent=total.sent + report.sent,
            retried=total.retried + report.retried,
            failed=total.failed + report.failed,
        )
        if not args.loop:
            break
        if report.attempted < limit and stop.wait(interval):
            break
        if stop.is_set():
            break
    print(f"sent {total.sent}, to retry {total.retried}, failed {total.failed}")
    return 0
