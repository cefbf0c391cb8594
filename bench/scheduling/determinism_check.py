"""Determinism check for refactoring the optimiser: same input, same schedule, bit for bit.

    python bench/scheduling/determinism_check.py --record bench/scheduling/determinism.json
    python bench/scheduling/determinism_check.py --check bench/scheduling/determinism.json

Record before a refactoring, check after: any difference in a schedule, an objective, a
bound or a CP-SAT model is a change of behaviour. The engine is time-limited and runs
CP-SAT in threads, so the check makes it deterministic without touching its code:

- the clock of every `app.scheduling` module is frozen, so no deadline ever passes and
  every loop ends by its own rule (a stable pass, the list done, a move budget);
- the annealing walk gets a fixed budget of `WALK_MOVES` moves when the engine gives it
  none (at a frozen clock its temperature stays at its starting value);
- `solve`'s CP-SAT parts (`BreaksProver`, `solve_exact`) are replaced by recorders that
  log every schedule offered to them, so the orchestration around them is compared too;
- CP-SAT itself is compared at unit level: the protocol buffers of the run model (with
  its schedule hint), the prover's model and the zero-break model, a one-worker solve
  of the run model under a deterministic time limit, and `solve_exact` on one worker with
  a passive prover and CP-SAT's deterministic time limit on three instances (the prover's
  threads themselves race by design and are not compared end to end);
- the walk alone (compiled and Python), from the construction, with a fixed budget.

Instances: the shared small and medium ones and a few generated event-sized ones
(`gen_events.py`, seeded) and a small one with optional meetings (`gen_instances.py`).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import pkgutil
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_events  # noqa: E402

import app.scheduling  # noqa: E402
from app.scheduling.model import Instance, parse_instance  # noqa: E402

SHARED = REPO.parent.parent / "shared"
if not SHARED.exists():
    SHARED = Path("/work/shared")
WALK_MOVES = 300_000
# `solve_exact` is checked on these, each CP-SAT solve stopped by CP-SAT's deterministic
# clock (about seconds of work) rather than the wall clock.
EXACT_CHECKED = ("optional-small", "events-8-fixed", "small-allrequired")
EXACT_DETERMINISTIC_TIME = 8.0
FROZEN_AT = 1000.0


def _digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:16]


def _freeze_clocks() -> None:
    """Every app.scheduling module sees a clock that never moves."""
    frozen = types.SimpleNamespace(**{k: getattr(time, k) for k in dir(time) if k[0] != "_"})
    frozen.monotonic = lambda: FROZEN_AT
    for info in pkgutil.iter_modules(app.scheduling.__path__):
        if info.name == "__main__":
            continue
        mod = importlib.import_module(f"app.scheduling.{info.name}")
        if isinstance(getattr(mod, "time", None), types.ModuleType):
            mod.time = frozen  # type: ignore[attr-defined]


def _budgeted(walk: Callable[..., int]) -> Callable[..., int]:
    def run(*args: Any, **kw: Any) -> int:
        if kw.get("max_iters") is None:
            kw["max_iters"] = WALK_MOVES
        return walk(*args, **kw)

    return run


class _Trace:
    events: list[Any] = []


class _RecordingProver:
    """Stands for exact.BreaksProver: proves nothing, records what it is told."""

    def __init__(
        self, inst: Instance, *, required_floor: int | None, weight_floor: int | None, seed: int = 0
    ) -> None:
        _Trace.events.append(["prover", required_floor, weight_floor, seed])
        self.lb = 0
        self.closed = False
        self.zero_open = False
        self.slot_of: list[int] | None = None

    def offer(self, slot_of: list[int]) -> None:
        _Trace.events.append(["offer", _digest(list(slot_of))])

    def start(self, deadline: float) -> None:
        _Trace.events.append(["start"])


def _recording_exact(
    inst: Instance, start: list[int], deadline: float, *, seed: int = 0, prover: Any = None
) -> Any:
    from app.scheduling.exact import ExactOutcome

    _Trace.events.append(["exact", _digest(list(start)), seed, prover is not None])
    return ExactOutcome()


class _PassiveProver(_RecordingProver):
    """Stands for exact.BreaksProver inside `solve_exact`: never closes, never stops."""

    def __init__(
        self, inst: Instance, *, required_floor: int | None, weight_floor: int | None, seed: int = 0
    ) -> None:
        super().__init__(inst, required_floor=required_floor, weight_floor=weight_floor, seed=seed)
        self.required_floor = required_floor
        self.weight_floor = weight_floor
        self.status = "passive"

    def hand_over(self) -> None:
        _Trace.events.append(["hand_over"])

    def register(self, solver: Any) -> None:
        pass

    def unregister(self, solver: Any) -> None:
        pass

    def _bound(self, value: float) -> None:
        pass

    def join(self) -> None:
        pass


def _exact_runs(inst: Instance) -> dict:
    """`solve_exact` itself, on one CP-SAT worker and with a passive prover, from the
    construction: deterministic where each CP-SAT phase ends before its time limit."""
    from ortools.sat.python import cp_model

    from app.scheduling import exact
    from app.scheduling.schedule import Schedule

    class _DeterministicSolver(cp_model.CpSolver):
        """Stops on CP-SAT's deterministic clock (work done), not the wall clock."""

        def solve(self, *args: Any, **kw: Any) -> Any:
            self.parameters.max_deterministic_time = EXACT_DETERMINISTIC_TIME
            return super().solve(*args, **kw)

    det_cp_model = types.SimpleNamespace(**vars(cp_model))
    det_cp_model.CpSolver = _DeterministicSolver
    saved = exact.MAX_WORKERS, exact.IMPROVER_WORKERS, exact.BreaksProver, exact.cp_model
    exact.MAX_WORKERS = exact.IMPROVER_WORKERS = 1
    exact.BreaksProver = _PassiveProver  # type: ignore[misc]
    exact.cp_model = det_cp_model  # type: ignore[assignment]
    try:
        sch = Schedule(inst)
        for k in sorted(range(len(inst.meetings)), key=lambda k: len(inst.allowed[k])):
            sch.try_insert(k)
        _Trace.events = []
        out = exact.solve_exact(inst, sch.copy_assignment(), FROZEN_AT + 600, seed=1)
    finally:
        exact.MAX_WORKERS, exact.IMPROVER_WORKERS, exact.BreaksProver, exact.cp_model = saved
    return {
        "solve-exact-one-worker": {
            "schedule": _digest(out.slot_of),
            "bounds": [
                out.required_infeasible,
                out.required_left_proved,
                out.weight_bound,
                out.breaks_bound,
            ],
            "phases": [line.split(" ")[:2] for line in out.log[1:]],
            "trace": _digest(_Trace.events),
        }
    }


def _instances() -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    for name in ("small-allrequired", "medium"):
        path = SHARED / "scheduling-instances" / f"{name}.json"
        out.append((name, json.loads(path.read_text())))
    out.append(("events-3-forbidden", gen_events.generate(3, forbidden=True)))
    out.append(("events-8-fixed", gen_events.generate(8, fixed=True)))
    out.append(("events-10-nonbipartite", gen_events.generate(10, nonbipartite=True)))
    out.append(("events-5-overload", gen_events.generate(5, overload=True)))
    out.append(("events-7-forbidden-fixed", gen_events.generate(7, forbidden=True, fixed=True)))
    sys.path.insert(0, str(SHARED / "tools"))
    import gen_instances  # the contract's generator

    args = argparse.Namespace(
        clients=10,
        providers=12,
        requests=70,
        slots=8,
        tables=6,
        seed=4,
        unavail=0.15,
        required_share=0.3,
        sessions=True,
        max_degree=0,
        no_max=False,
        fairness=2,
    )
    out.append(("optional-small", gen_instances.generate(args)))
    return out


def _result_summary(inst: Instance, res: Any) -> dict:
    data = res.to_json(inst)
    return {
        "status": data["status"],
        "objective": data["objective"],
        "bounds": data["bounds"],
        "assignments": _digest(data["assignments"]),
        "unscheduled": _digest(data["unscheduled"]),
        "stats": _digest(data["stats"]),
    }


def _solve_runs(name: str, inst: Instance) -> dict:
    solve_mod = importlib.import_module("app.scheduling.solve")

    out = {}
    for mode in ("exact", "heuristic"):
        _Trace.events = []
        res = solve_mod.solve(inst, 30.0, started=FROZEN_AT, seed=1, exact=(mode == "exact"))
        out[f"solve-{mode}"] = {**_result_summary(inst, res), "trace": _digest(_Trace.events)}
    return out


def _walk_runs(inst: Instance) -> dict:
    """The walk alone from the construction (a first `solve` phase, without its walk)."""
    from app.scheduling import improve
    from app.scheduling.schedule import Schedule

    out = {}
    for compiled in (True, False):
        sch = Schedule(inst)
        for k in sorted(range(len(inst.meetings)), key=lambda k: len(inst.allowed[k])):
            sch.try_insert(k)
        best = improve.anneal_breaks(
            sch,
            FROZEN_AT + 100,
            cap=inst.fairness,
            seed=5,
            temp_start=0.2,
            temp_end=0.2,
            compensate=4,
            max_iters=WALK_MOVES if compiled else WALK_MOVES // 10,
            compiled=compiled,
        )
        out[f"walk-{'compiled' if compiled else 'python'}"] = {
            "best": best,
            "assignment": _digest(sch.copy_assignment()),
        }
    return out


def _cpsat_runs(inst: Instance) -> dict:
    """The CP-SAT models, byte for byte, and one deterministic solve of the run model."""
    from ortools.sat.python import cp_model

    from app.scheduling import exact
    from app.scheduling.schedule import Schedule

    sch = Schedule(inst)
    for k in sorted(range(len(inst.meetings)), key=lambda k: len(inst.allowed[k])):
        sch.try_insert(k)
    start = sch.copy_assignment()
    mdl = exact._Model(inst)
    mdl.hint(start)
    run_model = mdl.model.Proto().__str__().encode()
    required = sum(1 for k in mdl.required if start[k] >= 0)
    prover = exact.BreaksProver(inst, required_floor=required, weight_floor=None, seed=0)
    prover_model = prover.mdl.model.Proto().__str__().encode()
    built = exact.zero_breaks_model(inst, [s >= 0 for s in start])
    zero = None if built is None else built[0].Proto().__str__().encode()
    prover.mdl.hint(start)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 1
    solver.parameters.max_deterministic_time = 2.0
    status = solver.solve(prover.mdl.model)
    found = mdl.read(solver) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    return {
        "run-model": hashlib.sha256(run_model).hexdigest()[:16],
        "prover-model": hashlib.sha256(prover_model).hexdigest()[:16],
        "zero-break-model": None if zero is None else hashlib.sha256(zero).hexdigest()[:16],
        "one-worker-solve": [solver.status_name(status), _digest(found)],
    }


def collect() -> dict:
    solve_mod = importlib.import_module("app.scheduling.solve")

    _freeze_clocks()
    solve_mod.anneal_breaks = _budgeted(solve_mod.anneal_breaks)  # type: ignore[attr-defined]
    solve_mod.BreaksProver = _RecordingProver  # type: ignore[attr-defined,misc]
    solve_mod.solve_exact = _recording_exact  # type: ignore[attr-defined]
    results = {}
    for name, data in _instances():
        inst = parse_instance(data)
        t = time.perf_counter()
        entry = _solve_runs(name, inst)
        if len(inst.meetings) <= 700:
            entry.update(_walk_runs(inst))
            entry.update(_cpsat_runs(inst))
        if name in EXACT_CHECKED:
            entry.update(_exact_runs(inst))
        results[name] = entry
        print(f"{name}: {time.perf_counter() - t:.1f}s", file=sys.stderr)
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--record", metavar="FILE", help="write the results to FILE")
    group.add_argument("--check", metavar="FILE", help="compare with the results in FILE")
    args = ap.parse_args()
    results = collect()
    if args.record:
        Path(args.record).write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
        print(json.dumps(results, indent=1, sort_keys=True))
        return 0
    expected = json.loads(Path(args.check).read_text())
    diffs = [
        f"{name} {part}: {expected.get(name, {}).get(part)} -> {value}"
        for name, parts in results.items()
        for part, value in parts.items()
        if expected.get(name, {}).get(part) != value
    ]
    missing = [name for name in expected if name not in results]
    for line in diffs + [f"{name}: missing" for name in missing]:
        print("DIFFERENT", line)
    if diffs or missing:
        return 1
    n = sum(len(parts) for parts in results.values())
    print(f"identical: {n} checks on {len(results)} instances ({', '.join(results)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
