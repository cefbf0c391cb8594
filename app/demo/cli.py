"""``euroffshore demo``: load the demo data into the configured database."""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from app.demo.loader import DemoLogin


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from app.demo.generate import DEFAULT_PROVIDERS, DEFAULT_SEED

    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing when the database already has organisations",
    )
    parser.add_argument(
        "--providers",
        type=int,
        default=DEFAULT_PROVIDERS,
        help="call centres to create (default %(default)s)",
    )
    parser.add_argument(
        "--needs", type=int, default=None, help="needs in all (default: 1-3 per client)"
    )
    parser.add_argument(
        "--clients",
        type=int,
        default=None,
        help="client companies (default 40, more when --needs asks for it)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        help="random seed: the same seed gives the same data",
    )
    parser.add_argument("--no-accounts", action="store_true", help="no demo user accounts")
    parser.add_argument(
        "--event-participants",
        type=int,
        default=None,
        help="participants of the demo event (default: most demo organisations); "
        "organisations are created as needed, e.g. 1000 for benchmarks",
    )


def _print_logins(logins: Sequence[DemoLogin]) -> None:
    from app.demo.loader import DEMO_PASSWORD

    if not logins:
        return
    print(f"Demo logins (password for all: {DEMO_PASSWORD} — demo data only):")
    for login in logins:
        where = f" — {login.organisation}" if login.organisation else ""
        print(f"  {login.role:<15} {login.email}{where}")


def run(args: argparse.Namespace) -> int:
    from app.core.db import get_session_factory
    from app.demo import event, generate, loader

    for name in ("providers", "needs", "clients", "event_participants"):
        value = getattr(args, name)
        if value is not None and value < 0:
            print(f"--{name.replace('_', '-')} must be 0 or more")
            return 2
    session = get_session_factory()()
    try:
        if not loader.is_empty(session):
            if args.if_empty:
                print("Demo data not loaded: the database already has organisations.")
                _print_logins(loader.existing_logins(session))
                return 0
            print(
                "The database is not empty: load the demo into a fresh database "
                "(or use --if-empty)."
            )
            return 1
        started = time.perf_counter()
        data = generate.build(
            seed=args.seed, providers=args.providers, clients=args.clients, needs=args.needs
        )
        report = loader.load(db_session=session, data=data, accounts_too=not args.no_accounts)
        event_report = event.load_event(
            db_session=session, seed=args.seed, participants=args.event_participants
        )
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
    print(
        f"Demo data loaded in {time.perf_counter() - started:.1f} s: "
        f"{report.providers} call centres, {report.clients} clients, {report.needs} needs, "
        f"{report.interests} expressions of interest, {report.shortlists} shortlisted"
        f"{' (bulk inserts)' if report.bulk else ''}."
    )
    requests = ", ".join(f"{n} {status}" for status, n in sorted(event_report.requests.items()))
    print(
        f'Event "{event.EVENT_NAME}" (/events/{event_report.event_id}), requests open: '
        f"{event_report.participants} participants, requests: {requests or 'none'}, "
        f"{event_report.preferences} preferences."
    )
    _print_logins(report.logins)
    return 0
