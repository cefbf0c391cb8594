"""Reference values for event-sized instances: CP-SAT on the full (run) model given a long
time (many minutes), started from a known schedule. What it proves is the reference:
`optimal` (breaks proved), `infeasible` (the required meetings proved not to fit), or
`feasible` (best found, with CP-SAT's proved lower bound). A proof made by an earlier
method stays valid: run.py recomputes only references that proved nothing."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ortools.sat.python import cp_model  # noqa: E402

from app.scheduling.exact import BreaksProver, _Model  # noqa: E402
from app.scheduling.model import Instance  # noqa: E402

METHOD = "runs+length:prover+core/2"  # cached references made otherwise are recomputed
# (runs+length: the run model with its run-length constraint, 2026-12-02)


def reference(inst: Instance, hint: list[int] | None, seconds: float, workers: int = 2) -> dict:
    t0 = time.monotonic()
    mdl = _Model(inst)
    md = mdl.model
    n_req = len(mdl.required)
    out: dict = {
        "solver": f"CP-SAT run model, {seconds:.0f} s: the engine's prover (zero-break "
        f"model beside default search, 1 worker each) beside a core-guided search "
        f"({max(1, workers - 1)} worker)",
        "method": METHOD,
    }
    if hint is not None:
        mdl.hint(hint)
    # 1. can every required meeting be placed?
    if n_req:
        md.maximize(sum(mdl.held[k] for k in mdl.required))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds / 3
        solver.parameters.num_workers = workers
        st = solver.solve(md)
        proved_short = (st == cp_model.OPTIMAL and solver.objective_value < n_req - 0.5) or (
            st in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            and solver.best_objective_bound < n_req - 0.5
        )
        if proved_short or st == cp_model.INFEASIBLE:
            out.update(
                status="infeasible",
                required_placeable=int(solver.best_objective_bound + 1e-6)
                if st != cp_model.INFEASIBLE
                else 0,
                seconds=round(time.monotonic() - t0, 1),
            )
            return out
        if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.objective_value < n_req - 0.5:
            out.update(status="unknown", seconds=round(time.monotonic() - t0, 1))
            return out
        for k in mdl.required:
            md.add(mdl.held[k] == 1)
        if hint is None or any(hint[k] < 0 for k in mdl.required):
            mdl.hint(mdl.read(solver))
    # 2. fewest breaks: the engine's prover (one worker) beside a core-guided search (one
    # worker) started from the hint, given the rest of the time; the bound is the higher
    deadline = t0 + seconds
    prover = BreaksProver(inst, required_floor=n_req, weight_floor=None)
    if hint is not None:
        prover.offer(hint)
    prover.start(deadline)
    md.minimize(sum(b for b in mdl.breaks if not isinstance(b, int)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(1.0, deadline - time.monotonic())
    solver.parameters.num_workers = max(1, workers - 1)
    solver.parameters.optimize_with_core = True
    solver.best_bound_callback = prover._bound  # either side's bound may close the gap
    prover.register(solver)
    st = solver.solve(md) if not prover.closed else cp_model.UNKNOWN
    prover.unregister(solver)
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        prover.offer(mdl.read(solver))
    prover.join()
    lb = prover.lb
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        lb = max(lb, int(max(0, -(-solver.best_objective_bound // 1))))
    if prover.best == float("inf"):
        out.update(status="unknown", lower_bound=lb)
    else:
        best = int(prover.best)
        out.update(
            status="optimal" if lb >= best else "feasible", breaks=best, lower_bound=min(lb, best)
        )
    out["seconds"] = round(time.monotonic() - t0, 1)
    return out
