"""CP-SAT on the whole model, for instances of real-event size (a few hundred meetings).

Variables x[m, s] (meeting m in slot s, only for slots where it may go). A participant's
breaks are the starts of its runs of busy slots minus one (if it meets at all): with
busy[p, s] = sum of its x in s, start[p, s] = busy[p, s] and not busy[p, s-1], both
exact (fairness compares breaks both ways, so no one-sided relaxation). The three
objectives are solved in turn, each phase keeping the previous optimum as a constraint
and starting from the best schedule so far (solution hint). A proved phase gives the
bounds the result reports; a phase stopped by the clock gives CP-SAT's proved bound.

Breaks are proved by `BreaksProver`, a core-guided worker (the MaxSAT approach that
proves optima on real events in Bofill et al.) running in a thread beside the search
that improves the schedule; whichever side closes the gap stops the other.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from app.scheduling.model import Instance, breaks_of_mask

_DEBUG = False
MAX_WORKERS = 2  # a 2-core machine shared with others
IMPROVER_WORKERS = 1  # beside the prover's one


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
        for vs in per_slot:
            if len(vs) > inst.tables:
                md.add(sum(vs) <= inst.tables)
        for vs in per_table.values():
            if len(vs) > 1:
                md.add_at_most_one(vs)
        self.breaks = []
        self.aux: list[tuple] = []  # (variable, kind, participant, slot) for full hints
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
                    self.aux.append((b, "busy", p, s))
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
                self.aux.append((st, "start", p, s))
                md.add_implication(st, busy[s])
                md.add_implication(st, busy[s - 1].Not())
                md.add_bool_or([busy[s].Not(), busy[s - 1], st])
                starts.append(st)
            anyb = md.new_bool_var(f"any{p}")
            self.aux.append((anyb, "any", p, 0))
            md.add_max_equality(anyb, live)
            br = md.new_int_var(0, n_s, f"br{p}")
            self.aux.append((br, "breaks", p, 0))
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
        self.aux.append((lo, "lo", p, 0))
        self.aux.append((hi, "hi", p, 0))
        for s, b in enumerate(busy):
            if b is not None:
                md.add(lo <= s).only_enforce_if(b)
                md.add(hi >= s).only_enforce_if(b)
        zero = md.new_bool_var(f"nobreak{p}")
        self.aux.append((zero, "zero", p, 0))
        md.add(br == 0).only_enforce_if(zero)
        md.add(br >= 1).only_enforce_if(zero.Not())
        md.add(hi - lo + 1 == sum(hs)).only_enforce_if(zero)
        first = min(s for s, b in enumerate(busy) if b is not None)
        last = max(s for s, b in enumerate(busy) if b is not None)
        for u in range(first + 1, last):
            if busy[u] is None:  # p cannot meet in u: a window without break avoids it
                left = md.new_bool_var(f"w{p}_{u}")
                self.aux.append((left, "left", p, u))
                md.add(hi <= u - 1).only_enforce_if([zero, left])
                md.add(lo >= u + 1).only_enforce_if([zero, left.Not()])

    def hint(self, slot_of: list[int]) -> None:
        """A complete hint (every variable), so that CP-SAT starts from this schedule."""
        md = self.model
        md.clear_hints()
        for (k, s), v in self.x.items():
            md.add_hint(v, slot_of[k] == s)
        masks = [0] * len(self.inst.participants)
        for k, s in enumerate(slot_of):
            md.add_hint(self.held[k], s >= 0)
            if s >= 0:
                m = self.inst.meetings[k]
                masks[m.a] |= 1 << s
                masks[m.b] |= 1 << s
        for v, kind, p, s in self.aux:
            mk = masks[p]
            if kind == "busy":
                val = (mk >> s) & 1
            elif kind == "start":
                val = int((mk >> s) & 1 and not (s > 0 and (mk >> (s - 1)) & 1))
            elif kind == "any":
                val = int(mk != 0)
            elif kind == "breaks":
                val = breaks_of_mask(mk)
            elif kind == "lo":
                val = (mk & -mk).bit_length() - 1 if mk else 0
            elif kind == "hi":
                val = mk.bit_length() - 1 if mk else 0
            elif kind == "zero":
                val = int(breaks_of_mask(mk) == 0)
            else:  # "left": the window lies before slot s
                val = int(mk != 0 and mk.bit_length() - 1 <= s - 1)
            md.add_hint(v, val)

    def solve(self, seconds: float, seed: int) -> tuple[cp_model.CpSolver, int]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        solver.parameters.num_workers = MAX_WORKERS
        solver.parameters.random_seed = seed + 1  # seed 0 -> CP-SAT's default, 1
        status = solver.solve(self.model)
        return solver, status

    def read(self, solver: cp_model.CpSolver) -> list[int]:
        slot_of = [-1] * len(self.inst.meetings)
        for (k, s), v in self.x.items():
            if solver.boolean_value(v):
                slot_of[k] = s
        return slot_of


def _core_parameters(solver: cp_model.CpSolver, seconds: float, seed: int) -> None:
    """One core-guided worker (MaxSAT-style: the breaks are many small soft terms) with
    the full LP relaxation. Side by side on the benchmark's event instances (30 s each)
    it proved higher bounds on breaks than CP-SAT's default two-worker portfolio."""
    p = solver.parameters
    p.max_time_in_seconds = max(0.05, seconds)
    p.num_workers = 1
    p.optimize_with_core = True
    p.linearization_level = 2
    p.random_seed = seed + 1  # seed 0 -> CP-SAT's default, 1


class BreaksProver:
    """Proves a lower bound on breaks in a thread of its own (CP-SAT releases the GIL)
    while the caller keeps searching for better schedules.

    The model holds what the earlier objectives proved: at least `required_floor`
    required meetings held (each of them, when that is their number), optional weight
    at least `weight_floor` (scaled integers, see `_weights`). Any schedule optimal on the first
    two objectives satisfies these, so the bound it proves is a valid breaks bound.
    `offer(schedule)` tells it the best schedule known elsewhere: once its bound reaches
    that, every search registered with it stops (the schedule is optimal)."""

    def __init__(self, inst: Instance, *, required_floor: int | None, weight_floor: int | None,
                 seed: int = 0) -> None:
        self.inst = inst
        self.mdl = _Model(inst)
        md = self.mdl.model
        req = self.mdl.required
        if required_floor is not None and required_floor >= len(req):
            for k in req:
                md.add(self.mdl.held[k] == 1)
        elif required_floor:
            md.add(sum(self.mdl.held[k] for k in req) >= required_floor)
        if weight_floor:
            ws, _sc, _exact = _weights(inst)
            md.add(sum(ws[k] * self.mdl.held[k] for k in self.mdl.optional) >= weight_floor)
        md.minimize(sum(b for b in self.mdl.breaks if not isinstance(b, int)))
        self.seed = seed
        self.required_floor = required_floor
        self.weight_floor = weight_floor
        self.lb = 0
        self.best = math.inf  # best breaks known (offered or found here)
        self.slot_of: list[int] | None = None  # the best admissible schedule known
        self.status = "not started"
        self._lock = threading.Lock()
        self._stoppers: list = []
        self._thread: threading.Thread | None = None

    @property
    def closed(self) -> bool:
        return self.lb >= self.best

    def offer(self, slot_of: list[int]) -> None:
        """A schedule found elsewhere; counts only if it meets the floors and fairness."""
        if self._admissible(slot_of):
            breaks = _breaks(self.inst, slot_of)
            with self._lock:
                if breaks < self.best:
                    self.best = breaks
                    self.slot_of = list(slot_of)
            self._check()

    def _admissible(self, slot_of: list[int]) -> bool:
        inst = self.inst
        held_req = sum(1 for k in self.mdl.required if slot_of[k] >= 0)
        if self.required_floor is not None and held_req < min(self.required_floor,
                                                              len(self.mdl.required)):
            return False
        if self.weight_floor:
            ws, _sc, _exact = _weights(inst)
            if sum(ws[k] for k in self.mdl.optional if slot_of[k] >= 0) < self.weight_floor:
                return False
        if inst.fairness is not None:
            br = [breaks_of_mask(x) for x in _masks(inst, slot_of)]
            if br and max(br) - min(br) > inst.fairness:
                return False
        return True

    def register(self, solver: cp_model.CpSolver) -> None:
        with self._lock:
            self._stoppers.append(solver)
        self._check()

    def unregister(self, solver: cp_model.CpSolver) -> None:
        with self._lock:
            if solver in self._stoppers:
                self._stoppers.remove(solver)

    def _check(self) -> None:
        if self.closed:
            with self._lock:
                stoppers = list(self._stoppers)
            for sv in stoppers:
                sv.stop_search()

    def _bound(self, value: float) -> None:
        self.lb = max(self.lb, math.ceil(value - 1e-6))
        self._check()

    def start(self, deadline: float) -> None:
        solver = cp_model.CpSolver()
        _core_parameters(solver, deadline - time.monotonic(), self.seed)
        solver.best_bound_callback = self._bound
        self.register(solver)

        def run() -> None:
            st = solver.solve(self.mdl.model)
            self.status = solver.status_name(st)
            if st in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
                # cannot happen when the floors come from a valid schedule; claim nothing
                self.lb = 0
                self.unregister(solver)
                return
            if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                self.offer(self.mdl.read(solver))
            if st == cp_model.OPTIMAL:
                self.lb = max(self.lb, _breaks(self.inst, self.mdl.read(solver)))
            elif st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                self._bound(solver.best_objective_bound)
            self.unregister(solver)

        self._thread = threading.Thread(target=run, name="breaks-prover", daemon=True)
        self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()


def solve_exact(inst: Instance, start: list[int], deadline: float, *, seed: int = 0,
                prover: BreaksProver | None = None) -> ExactOutcome:
    out = ExactOutcome()
    t_build = time.monotonic()
    mdl = _Model(inst)
    md = mdl.model
    out.log.append(f"model {len(mdl.x)} vars in {time.monotonic() - t_build:.2f}s")
    best = list(start)
    if prover is not None and prover.slot_of is not None \
            and _key(inst, prover.slot_of) < _key(inst, best):
        best = list(prover.slot_of)  # a valid schedule seen earlier beats the start
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

    # Phase 3: breaks. A core-guided prover raises the lower bound in a thread of its own
    # (started by the caller when the first two objectives were settled early) while a
    # second CP-SAT search improves the schedule from the best one known; both stop as
    # soon as the bound meets the best schedule.
    if time.monotonic() < deadline - 0.2:
        if prover is None and req_proved:
            prover = BreaksProver(inst, required_floor=req_best, seed=seed,
                                  weight_floor=w_best if mdl.optional else None)
            prover.start(deadline)
        if prover is not None:
            prover.offer(best)
        md.minimize(sum(b for b in mdl.breaks if not isinstance(b, int)))
        mdl.hint(best)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.05, deadline - time.monotonic())
        solver.parameters.num_workers = IMPROVER_WORKERS if prover is not None else MAX_WORKERS
        solver.parameters.random_seed = seed + 1  # seed 0 -> CP-SAT's default, 1
        if prover is not None:
            prover.register(solver)
        skip = prover is not None and prover.closed
        st = cp_model.UNKNOWN if skip else solver.solve(md)
        if prover is not None:
            prover.unregister(solver)
        if not skip:
            out.log.append(f"breaks: {solver.status_name(st)} {solver.wall_time:.1f}s "
                           f"obj {solver.objective_value if st in ok else None} "
                           f"bound {solver.best_objective_bound if st in ok else None}")
        lb = 0
        if st in ok:
            cand = mdl.read(solver)
            best = cand if _breaks(inst, cand) <= _breaks(inst, best) else best
            lb = max(0, math.ceil(solver.best_objective_bound - 1e-6))
            if prover is not None:
                prover.offer(best)
        if req_proved:
            out.breaks_bound = lb
    if prover is not None:  # it stops by the deadline at the latest
        prover.offer(best)
        prover.join()
        out.log.append(f"prover: {prover.status} bound {prover.lb}")
        found = prover.slot_of
        if found is not None and _key(inst, found) < _key(inst, best):
            best = found
        if req_proved:
            out.breaks_bound = max(out.breaks_bound or 0, prover.lb)
    out.slot_of = best
    return out


def _masks(inst: Instance, slot_of: list[int]) -> list[int]:
    """Per participant, the bit mask of the slots it meets in."""
    masks = [0] * len(inst.participants)
    for m, s in zip(inst.meetings, slot_of):
        if s >= 0:
            masks[m.a] |= 1 << s
            masks[m.b] |= 1 << s
    return masks


def _key(inst: Instance, slot_of: list[int]) -> tuple[int, float, int]:
    """The lexicographic objective, smaller is better."""
    left = sum(1 for m, s in zip(inst.meetings, slot_of) if s < 0 and m.required)
    weight = sum(m.weight for m, s in zip(inst.meetings, slot_of) if s >= 0 and not m.required)
    return left, -round(weight, 6), _breaks(inst, slot_of)


def _breaks(inst: Instance, slot_of: list[int]) -> int:
    return sum(breaks_of_mask(x) for x in _masks(inst, slot_of))
