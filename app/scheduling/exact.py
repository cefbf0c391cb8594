"""CP-SAT on the whole model, for instances of real-event size (a few hundred meetings).

Variables x[m, s] (meeting m in slot s, only for slots where it may go). A participant's
breaks are the starts of its runs of busy slots minus one (if it meets at all): with
busy[p, s] = sum of its x in s, start[p, s] = busy[p, s] and not busy[p, s-1], both
exact (fairness compares breaks both ways, so no one-sided relaxation). The three
objectives are solved in turn, each phase keeping the previous optimum as a constraint
and starting from the best schedule so far (solution hint). A proved phase gives the
bounds the result reports; a phase stopped by the clock gives CP-SAT's proved bound.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from app.scheduling.model import Instance

MAX_WORKERS = 2  # a 2-core machine shared with others


@dataclass
class ExactOutcome:
    slot_of: list[int] | None = None
    required_infeasible: bool = False
    required_left_proved: int | None = None  # optimum of the first objective, when proved
    weight_bound: float | None = None
    breaks_bound: int | None = None
    log: list[str] = field(default_factory=list)


def _weights(inst: Instance) -> tuple[list[int], int, bool]:
    ws = [m.weight for m in inst.meetings]
    for sc in (1, 10, 100, 1000):
        if all(abs(w * sc - round(w * sc)) < 1e-9 for w in ws):
            return [round(w * sc) for w in ws], sc, True
    sc = 1000
    return [round(w * sc) for w in ws], sc, False


class _Model:
    def __init__(self, inst: Instance, implied: bool = True) -> None:
        self.inst = inst
        md = self.model = cp_model.CpModel()
        n_s = inst.n_slots
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.held = []
        per_ps: dict[tuple[int, int], list] = {}
        per_slot: list[list] = [[] for _ in range(n_s)]
        per_table: dict[tuple[int, int], list] = {}
        for k, m in enumerate(inst.meetings):
            vs = []
            for s in inst.allowed[k]:
                v = md.new_bool_var(f"x{k}_{s}")
                self.x[k, s] = v
                vs.append(v)
                per_ps.setdefault((m.a, s), []).append(v)
                per_ps.setdefault((m.b, s), []).append(v)
                per_slot[s].append(v)
                t = inst.table_of[k]
                if t:
                    per_table.setdefault((s, t), []).append(v)
            h = md.new_bool_var(f"h{k}")
            if vs:
                md.add(sum(vs) == h)
            else:
                md.add(h == 0)
            self.held.append(h)
        for s, vs in enumerate(per_slot):
            if len(vs) > inst.tables:
                md.add(sum(vs) <= inst.tables)
        for vs in per_table.values():
            if len(vs) > 1:
                md.add_at_most_one(vs)
        self.breaks = []
        for p, part in enumerate(inst.participants):
            hs = [self.held[k] for k in inst.by_participant[p]]
            if part.max_meetings is not None and len(hs) > part.max_meetings:
                md.add(sum(hs) <= part.max_meetings)
            busy: list = []
            for s in range(n_s):
                vs = per_ps.get((p, s))
                if not vs:
                    busy.append(None)
                elif len(vs) == 1:
                    busy.append(vs[0])
                else:
                    b = md.new_bool_var(f"b{p}_{s}")
                    md.add(sum(vs) == b)
                    busy.append(b)
            live = [b for b in busy if b is not None]
            if len(live) <= 1:
                self.breaks.append(0)
                continue
            starts = []
            for s in range(n_s):
                if busy[s] is None:
                    continue
                if s == 0 or busy[s - 1] is None:
                    starts.append(busy[s])
                    continue
                st = md.new_bool_var(f"st{p}_{s}")
                md.add_implication(st, busy[s])
                md.add_implication(st, busy[s - 1].Not())
                md.add_bool_or([busy[s].Not(), busy[s - 1], st])
                starts.append(st)
            anyb = md.new_bool_var(f"any{p}")
            md.add_max_equality(anyb, live)
            br = md.new_int_var(0, n_s, f"br{p}")
            md.add(br == sum(starts) - anyb)
            self.breaks.append(br)
            if implied:
                self._window(p, busy, br, hs)
        if inst.fairness is not None:
            hi = md.new_int_var(0, n_s, "hi")
            lo = md.new_int_var(0, n_s, "lo")
            for br in self.breaks:
                md.add(hi >= br)
                md.add(lo <= br)
            md.add(hi - lo <= inst.fairness)
        self.required = [k for k, m in enumerate(inst.meetings) if m.required]
        self.optional = [k for k, m in enumerate(inst.meetings) if not m.required]

    def _window(self, p: int, busy: list, br, hs: list) -> None:
        """Implied constraints: with no break, p's meetings fill a window [lo, hi] of
        exactly as many slots, containing no slot where p cannot meet."""
        md = self.model
        n_s = self.inst.n_slots
        lo = md.new_int_var(0, n_s - 1, f"lo{p}")
        hi = md.new_int_var(0, n_s - 1, f"hi{p}")
        for s, b in enumerate(busy):
            if b is not None:
                md.add(lo <= s).only_enforce_if(b)
                md.add(hi >= s).only_enforce_if(b)
        zero = md.new_bool_var(f"nobreak{p}")
        md.add(br == 0).only_enforce_if(zero)
        md.add(br >= 1).only_enforce_if(zero.Not())
        md.add(hi - lo + 1 == sum(hs)).only_enforce_if(zero)
        first = min(s for s, b in enumerate(busy) if b is not None)
        last = max(s for s, b in enumerate(busy) if b is not None)
        for u in range(first + 1, last):
            if busy[u] is None:  # p cannot meet in u: a window without break avoids it
                left = md.new_bool_var(f"w{p}_{u}")
                md.add(hi <= u - 1).only_enforce_if([zero, left])
                md.add(lo >= u + 1).only_enforce_if([zero, left.Not()])

    def hint(self, slot_of: list[int]) -> None:
        md = self.model
        md.clear_hints()
        for (k, s), v in self.x.items():
            md.add_hint(v, slot_of[k] == s)

    def solve(self, seconds: float, seed: int) -> tuple[cp_model.CpSolver, int]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_workers = MAX_WORKERS
        solver.parameters.random_seed = seed
        status = solver.solve(self.model)
        return solver, status

    def read(self, solver: cp_model.CpSolver) -> list[int]:
        slot_of = [-1] * len(self.inst.meetings)
        for (k, s), v in self.x.items():
            if solver.boolean_value(v):
                slot_of[k] = s
        return slot_of


def solve_exact(inst: Instance, start: list[int], deadline: float, *, seed: int = 0) -> ExactOutcome:
    out = ExactOutcome()
    t_build = time.monotonic()
    mdl = _Model(inst)
    md = mdl.model
    out.log.append(f"model {len(mdl.x)} vars in {time.monotonic() - t_build:.2f}s")
    best = list(start)
    n_req = len(mdl.required)
    ok = (cp_model.OPTIMAL, cp_model.FEASIBLE)

    # Phase 1: required meetings
    req_best = sum(1 for k in mdl.required if best[k] >= 0)
    req_proved = req_best == n_req
    if n_req and not req_proved:
        md.maximize(sum(mdl.held[k] for k in mdl.required))
        mdl.hint(best)
        budget = (deadline - time.monotonic()) * 0.5
        solver, st = mdl.solve(budget, seed)
        out.log.append(f"required: {solver.status_name(st)} {solver.wall_time:.1f}s")
        if st in ok:
            cand = mdl.read(solver)
            n = sum(1 for k in mdl.required if cand[k] >= 0)
            if n > req_best:
                best, req_best = cand, n
        if st == cp_model.OPTIMAL:
            req_proved = True
            out.required_infeasible = req_best < n_req
        elif st == cp_model.INFEASIBLE:  # cannot happen with a valid hint; be safe
            return out
        elif st in ok and solver.best_objective_bound < n_req - 0.5:
            out.required_infeasible = True
    if req_proved:
        out.required_left_proved = n_req - req_best
    if req_best == n_req:
        for k in mdl.required:
            md.add(mdl.held[k] == 1)
    elif n_req:
        md.add(sum(mdl.held[k] for k in mdl.required) >= req_best)

    # Phase 2: optional weight
    ws, sc, exact_w = _weights(inst)
    w_best = sum(ws[k] for k in mdl.optional if best[k] >= 0)
    if mdl.optional and time.monotonic() < deadline - 0.2:
        expr = sum(ws[k] * mdl.held[k] for k in mdl.optional)
        md.maximize(expr)
        mdl.hint(best)
        budget = (deadline - time.monotonic()) * 0.6
        solver, st = mdl.solve(budget, seed)
        out.log.append(f"weight: {solver.status_name(st)} {solver.wall_time:.1f}s")
        if st in ok:
            cand = mdl.read(solver)
            wc = sum(ws[k] for k in mdl.optional if cand[k] >= 0)
            nc = sum(1 for k in mdl.required if cand[k] >= 0)
            if nc >= req_best and wc > w_best:
                best, w_best = cand, wc
            bound = solver.best_objective_bound
            slack = 0 if exact_w else len(mdl.optional)
            out.weight_bound = (math.floor(bound + 1e-6) + slack) / sc
        md.add(expr >= w_best - (0 if exact_w else len(mdl.optional)))
    elif not mdl.optional:
        out.weight_bound = 0.0

    # Phase 3: breaks
    if time.monotonic() < deadline - 0.2:
        md.minimize(sum(b for b in mdl.breaks if not isinstance(b, int)))
        mdl.hint(best)
        solver, st = mdl.solve(deadline - time.monotonic(), seed)
        out.log.append(f"breaks: {solver.status_name(st)} {solver.wall_time:.1f}s "
                       f"obj {solver.objective_value if st in ok else None} "
                       f"bound {solver.best_objective_bound if st in ok else None}")
        if st in ok:
            cand = mdl.read(solver)
            best = cand if _breaks(inst, cand) <= _breaks(inst, best) else best
            if req_proved:
                out.breaks_bound = max(0, math.ceil(solver.best_objective_bound - 1e-6))
    out.slot_of = best
    return out


def _breaks(inst: Instance, slot_of: list[int]) -> int:
    from app.scheduling.solve import objective_of

    return objective_of(inst, slot_of)[2]
