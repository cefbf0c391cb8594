"""The ``euroffshore`` command line: migrate, serve, and the engines' file commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any


def _cmd_migrate(args: argparse.Namespace) -> int:
    from app.core import migrations
    from app.core.config import get_settings

    migrations.upgrade(get_settings().database_url, args.revision)
    print(f"database migrated to {args.revision}")
    return 0


# Shared with the tests and benchmarks that serve the app. Proxy headers are read by the
# app itself, only from EUROFFSHORE_TRUSTED_PROXIES (app.core.limits): uvicorn's own
# handling believes X-Forwarded-For from 127.0.0.1 by default.
UVICORN_OPTIONS: dict[str, Any] = {
    "proxy_headers": False,
    "log_level": "info",
    "access_log": False,  # our RequestIdMiddleware logs each request with its id
}


def _cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    try:
        uvicorn.run(
            "app.main:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            **UVICORN_OPTIONS,
        )
    except KeyboardInterrupt:
        # uvicorn shuts down cleanly on Ctrl-C, then re-raises the signal: stopping the
        # server is the normal way out, so `make run` ends without an error.
        print("server stopped")
    return 0


def _cmd_schedule_file(args: argparse.Namespace) -> int:
    from app.scheduling import cli as scheduling_cli

    return scheduling_cli.run(args)


def _cmd_create_admin(args: argparse.Namespace) -> int:
    from app.accounts import cli as accounts_cli

    return accounts_cli.run(args)


def _cmd_demo(args: argparse.Namespace) -> int:
    from app.demo import cli as demo_cli

    return demo_cli.run(args)


def _cmd_i18n(args: argparse.Namespace) -> int:
    from app import i18n_catalogs

    if args.action == "update":
        for path in i18n_catalogs.update(args.domain):
            print(f"updated {path}")
    elif args.action == "compile":
        for path in i18n_catalogs.compile_all():
            print(f"compiled {path}")
    else:
        issues = i18n_catalogs.problems()
        print("\n".join(issues) or "catalogues complete")
        return 1 if issues else 0
    return 0


def _cmd_outbox(args: argparse.Namespace) -> int:
    from app.notifications import cli as notifications_cli

    return notifications_cli.run(args)


def _cmd_events(args: argparse.Namespace) -> int:
    from app.matchmaking import cli as matchmaking_cli

    return matchmaking_cli.run(args)


def _cmd_event_instance(args: argparse.Namespace) -> int:
    from app.agenda import cli as agenda_cli

    return agenda_cli.run_instance(args)


def _cmd_build_agenda(args: argparse.Namespace) -> int:
    from app.agenda import cli as agenda_cli

    return agenda_cli.run_build(args)


def _cmd_worker(args: argparse.Namespace) -> int:
    """A standalone huey consumer of the agenda builds (as many processes as wanted)."""
    from huey.consumer import Consumer

    from app.agenda.jobs import get_huey

    Consumer(get_huey(), workers=args.workers, worker_type="thread", periodic=False).run()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="euroffshore", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    migrate = sub.add_parser("migrate", help="upgrade the database to the latest schema")
    migrate.add_argument("--revision", default="head")
    migrate.set_defaults(func=_cmd_migrate)

    serve = sub.add_parser("serve", help="serve the web application")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=_cmd_serve)

    from app.accounts import cli as accounts_cli

    create_admin = sub.add_parser("create-admin", help="create a platform administrator")
    accounts_cli.add_arguments(create_admin)
    create_admin.set_defaults(func=_cmd_create_admin)

    demo = sub.add_parser("demo", help="load the deterministic demo data (and demo logins)")
    from app.demo import cli as demo_cli

    demo_cli.add_arguments(demo)
    demo.set_defaults(func=_cmd_demo)

    i18n = sub.add_parser("i18n", help="maintain the translation catalogues")
    i18n.add_argument("action", choices=["update", "compile", "check"])
    i18n.add_argument("--domain", help="only this catalogue (messages, accounts, directory...)")
    i18n.set_defaults(func=_cmd_i18n)

    from app.notifications import cli as notifications_cli

    outbox = sub.add_parser("outbox", help="send the e-mails of the notification outbox")
    notifications_cli.add_arguments(outbox)
    outbox.set_defaults(func=_cmd_outbox)
    events = sub.add_parser("events", help="event maintenance (expire due meeting requests)")
    events.add_argument("action", choices=["expire-requests"])
    events.set_defaults(func=_cmd_events)

    from app.scheduling import cli as scheduling_cli

    schedule = sub.add_parser(
        "schedule-file", help="optimise an agenda instance file (docs/scheduling-format.md)"
    )
    scheduling_cli.add_arguments(schedule)
    schedule.set_defaults(func=_cmd_schedule_file)

    from app.agenda import cli as agenda_cli

    instance = sub.add_parser(
        "event-instance", help="write an event's optimiser instance (format 1)"
    )
    agenda_cli.add_instance_arguments(instance)
    instance.set_defaults(func=_cmd_event_instance)
    build = sub.add_parser(
        "build-agenda", help="build an event's draft agenda with the optimiser (synchronously)"
    )
    agenda_cli.add_build_arguments(build)
    build.set_defaults(func=_cmd_build_agenda)
    worker = sub.add_parser("worker", help="run the background jobs (agenda builds) on huey")
    worker.add_argument("--workers", type=int, default=1, help="threads (default %(default)s)")
    worker.set_defaults(func=_cmd_worker)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
