"""``euroffshore event-instance EVENT_ID [-o FILE]`` and ``euroffshore build-agenda EVENT_ID
[--time-limit S] [--result FILE]``: the optimiser on an event of the configured database.

``build-agenda`` runs synchronously: it builds the instance, runs the same ``solve`` as
``schedule-file``, writes the draft back in one transaction and prints the summary.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the parser is built for every command: no database import at start
    from app.agenda.models import AgendaRun
    from app.agenda.service import DraftSummary

#: The optimiser's budget when neither the flag nor the instance names one.
DEFAULT_BUILD_SECONDS = 30.0


def add_instance_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("event_id", type=int, help="the event's id")
    parser.add_argument("-o", "--output", help="instance file (default: standard output)")


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("event_id", type=int, help="the event's id")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=DEFAULT_BUILD_SECONDS,
        metavar="SECONDS",
        help="the optimiser's wall-clock budget (default %(default)s)",
    )
    parser.add_argument("--result", help="also write the optimiser's result (format 1) here")
    parser.add_argument("--instance", help="also write the instance (format 1) here")


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _write(text: str, path: str | None) -> None:
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)


def run_instance(args: argparse.Namespace) -> int:
    """Write the event's instance."""
    from app.agenda.instance import build_instance
    from app.core.db import get_session_factory
    from app.core.errors import NotFound

    session = get_session_factory()()
    try:
        data, _map = build_instance(db_session=session, event_id=args.event_id)
    except NotFound:
        print(f"no event {args.event_id}", file=sys.stderr)
        return 1
    finally:
        session.close()
    _write(_dump(data), args.output)
    return 0


def run_build(args: argparse.Namespace) -> int:
    """Build the event's agenda and print what the draft holds."""
    from app.agenda.instance import build_instance
    from app.agenda.service import apply_result, draft_summary
    from app.core.db import get_session_factory, utcnow
    from app.core.errors import NotFound
    from app.scheduling import parse_instance, solve

    if not args.time_limit > 0:
        print("invalid argument: --time-limit: must be > 0", file=sys.stderr)
        return 2
    session = get_session_factory()()
    try:
        started_at = utcnow()
        clock = time.monotonic()
        try:
            data, mapping = build_instance(
                db_session=session, event_id=args.event_id, time_limit_s=args.time_limit
            )
        except NotFound:
            print(f"no event {args.event_id}", file=sys.stderr)
            return 1
        instance = parse_instance(data)
        result = solve(instance, args.time_limit).to_json(instance)
        run = apply_result(
            db_session=session,
            event_id=args.event_id,
            instance_map=mapping,
            result=result,
            time_limit_s=args.time_limit,
            started_at=started_at,
        )
        summary = draft_summary(db_session=session, event_id=args.event_id)
        session.commit()
        seconds = time.monotonic() - clock
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
    if args.instance:
        _write(_dump(data), args.instance)
    if args.result:
        _write(json.dumps(result, separators=(",", ":")) + "\n", args.result)
    print(report(run, summary, seconds))
    return 0


def report(run: AgendaRun, summary: DraftSummary, seconds: float) -> str:
    """The lines ``build-agenda`` prints (English: a command for operators)."""
    origins = ", ".join(f"{n} {origin}" for origin, n in summary.by_origin.items()) or "none"
    lines = [
        f"agenda run {run.id}: status {run.result_status}, {seconds:.1f} s "
        f"(optimiser {run.seconds} s)",
        f"meetings placed: {summary.meetings} ({origins})",
        f"required meetings: {summary.required_wanted}, left out: {len(summary.left_out)}",
        f"breaks: {summary.total_breaks} in all, at most "
        f"{max(summary.breaks.values(), default=0)} for one participant"
        f" (lower bound {run.breaks_bound})",
        f"optional weight: {run.weight} (upper bound {run.weight_bound})",
        f"participants with fewer than {summary.few} meetings: {len(summary.few_meetings)}",
    ]
    for item in summary.left_out:
        lines.append(
            f"  left out: {item.a_name} (#{item.a_participation_id}) with {item.b_name} "
            f"(#{item.b_participation_id}), {item.origin}: {item.reason}"
        )
    return "\n".join(lines)
