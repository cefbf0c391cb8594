"""``euroffshore events expire-requests``: expire the pending meeting requests whose time has
come and notify their senders (the background worker calls the same function)."""

from __future__ import annotations

import argparse

from app.core.db import get_session_factory
from app.matchmaking.service import expire_due_requests


def run(args: argparse.Namespace) -> int:
    """Run one events action; print what it did."""
    if args.action == "expire-requests":
        with get_session_factory()() as db_session:
            count = expire_due_requests(db_session=db_session)
            db_session.commit()
        print(f"{count} meeting request(s) expired")
    return 0
