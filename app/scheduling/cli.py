"""`schedule-file INSTANCE.json [-o RESULT.json] [--time-limit S]`: the file contract.

Exit 0 with a result written (also when required meetings cannot all be placed), 2 on
an invalid instance with one line on stderr naming the field.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from app.scheduling.model import InstanceError, parse_instance
from app.scheduling.solve import solve


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("instance", help="instance file (format euroffshore-schedule/1)")
    parser.add_argument("-o", "--output", help="result file (default: standard output)")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=None,
        metavar="SECONDS",
        help="wall-clock budget (overrides the instance's time_limit_s)",
    )
    parser.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)


def process_started() -> float:
    """The time.monotonic() value at which this process started (Linux), so that the time
    limit also covers interpreter start and imports; the current time elsewhere."""
    now = time.monotonic()
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        start_ticks = int(fields[19])  # field 22 of stat(5): starttime, in clock ticks
        elapsed = time.clock_gettime(time.CLOCK_BOOTTIME) - start_ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return now
    return now - elapsed if 0 <= elapsed < 120 else now


def run(args: argparse.Namespace, started: float | None = None) -> int:
    """Run the subcommand. `started` (a time.monotonic() value) is when the clock of the
    time limit starts: the process start by default."""
    started = process_started() if started is None else started
    if args.time_limit is not None and not args.time_limit > 0:
        print("invalid argument: --time-limit: must be > 0", file=sys.stderr)
        return 2
    try:
        with open(args.instance, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        print(f"cannot read {args.instance}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        print(f"invalid instance: not JSON: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 2
    try:
        inst = parse_instance(data)
    except InstanceError as exc:
        print(f"invalid instance: {exc}", file=sys.stderr)
        return 2
    result = solve(inst, args.time_limit, started=started, seed=args.seed)
    out = json.dumps(result.to_json(inst), separators=(",", ":"))
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(out + "\n")
    else:
        sys.stdout.write(out + "\n")
    return 0


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="schedule-file", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
