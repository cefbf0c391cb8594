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

from app.scheduling.model import Instance, breaks_of_mask

_DEBUG = False
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
        solver.parameters.random_seed = seed
        status = solver.solve(self.model)
        return solver, status

    def read(self, solver: cp_model.CpSolver) -> list[int]:
        slot_of = [-1] * len(self.inst.meetings)
        for (k, s), v in self.x.items():
            if solver.boolean_value(v):
                slot_of[k] = s
        return slot_of


def solve_exact(inst: Instance, start: list[int], deadline: float, *, seed: int = 0,
                lns_share: float = 0.0) -> ExactOutcome:
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

    # Exact neighbourhoods on breaks (the selection stays), then Phase 3: breaks
    if lns_share > 0 and time.monotonic() < deadline - 1.0:
        before = _breaks(inst, best)
        best = lns_breaks(inst, best, time.monotonic() + (deadline - time.monotonic()) * lns_share,
                          seed=seed)
        out.log.append(f"lns: {before} -> {_breaks(inst, best)} breaks")
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
    masks = [0] * len(inst.participants)
    for m, s in zip(inst.meetings, slot_of):
        if s >= 0:
            masks[m.a] |= 1 << s
            masks[m.b] |= 1 << s
    return sum(breaks_of_mask(x) for x in masks)


def lns_breaks(inst: Instance, slot_of: list[int], deadline: float, *, seed: int = 0,
               sub_seconds: float = 2.0, size: int = 8) -> list[int]:
    """Exact neighbourhoods: free every meeting of a few participants (one with breaks and
    some of its partners), keep the rest of the schedule, and let CP-SAT place the freed
    meetings with the fewest breaks (each stays held, so required meetings and weight
    are unchanged; fairness is kept exactly). Returns the best schedule found."""
    import random

    rng = random.Random(seed)
    n_p = len(inst.participants)
    cur = list(slot_of)
    fails = 0
    while time.monotonic() < deadline - 0.1:
        masks = [0] * n_p
        for k, s in enumerate(cur):
            if s >= 0:
                m = inst.meetings[k]
                masks[m.a] |= 1 << s
                masks[m.b] |= 1 << s
        br = [breaks_of_mask(x) for x in masks]
        with_breaks = [p for p in range(n_p) if br[p] > 0]
        if not with_breaks:
            break
        chosen = {rng.choice(with_breaks)}
        frontier = list(chosen)
        while len(chosen) < min(size + fails, 40) and frontier:
            p = frontier.pop(rng.randrange(len(frontier)))
            partners = [inst.meetings[k].b if inst.meetings[k].a == p else inst.meetings[k].a
                        for k in inst.by_participant[p] if cur[k] >= 0]
            rng.shuffle(partners)
            for q in partners[:3]:
                if q not in chosen:
                    chosen.add(q)
                    frontier.append(q)
        free = sorted({k for p in chosen for k in inst.by_participant[p]
                       if cur[k] >= 0 and inst.meetings[k].fixed_slot is None})
        if not free:
            fails += 1
            continue
        budget = min(sub_seconds, deadline - time.monotonic() - 0.05)
        if budget <= 0.05:
            break
        new = _solve_neighbourhood(inst, cur, free, br, budget, rng.randrange(1 << 30))
        if new is None:
            fails += 1
            continue
        cur = new
    return cur


def _solve_neighbourhood(inst: Instance, cur: list[int], free: list[int], br: list[int],
                         seconds: float, seed: int) -> list[int] | None:
    n_s = inst.n_slots
    free_set = set(free)
    fixed_busy: dict[int, int] = {}  # participant -> mask of slots taken by kept meetings
    per_slot = [0] * n_s
    tables_taken: set[tuple[int, int]] = set()
    for k, s in enumerate(cur):
        if s < 0 or k in free_set:
            continue
        m = inst.meetings[k]
        fixed_busy[m.a] = fixed_busy.get(m.a, 0) | (1 << s)
        fixed_busy[m.b] = fixed_busy.get(m.b, 0) | (1 << s)
        per_slot[s] += 1
        if inst.table_of[k]:
            tables_taken.add((s, inst.table_of[k]))
    md = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    per_ps: dict[tuple[int, int], list] = {}
    slot_vars: list[list] = [[] for _ in range(n_s)]
    table_vars: dict[tuple[int, int], list] = {}
    touched = set()
    for k in free:
        m = inst.meetings[k]
        touched.update((m.a, m.b))
        vs = []
        for s in inst.allowed[k]:
            if (fixed_busy.get(m.a, 0) >> s) & 1 or (fixed_busy.get(m.b, 0) >> s) & 1:
                continue
            t = inst.table_of[k]
            if t and (s, t) in tables_taken:
                continue
            v = md.new_bool_var("")
            x[k, s] = v
            vs.append(v)
            per_ps.setdefault((m.a, s), []).append(v)
            per_ps.setdefault((m.b, s), []).append(v)
            slot_vars[s].append(v)
            if t:
                table_vars.setdefault((s, t), []).append(v)
        if not vs:
            return None
        md.add_exactly_one(vs)
    for s in range(n_s):
        if len(slot_vars[s]) > inst.tables - per_slot[s]:
            md.add(sum(slot_vars[s]) <= inst.tables - per_slot[s])
    for vs in table_vars.values():
        if len(vs) > 1:
            md.add_at_most_one(vs)
    terms = []
    new_br = {}
    for p in touched:
        fb = fixed_busy.get(p, 0)
        busy = []
        for s in range(n_s):
            vs = per_ps.get((p, s))
            if (fb >> s) & 1:
                busy.append(1)
            elif not vs:
                busy.append(0)
            elif len(vs) == 1:
                busy.append(vs[0])
            else:
                md.add_at_most_one(vs)
                b = md.new_bool_var("")
                md.add(sum(vs) == b)
                busy.append(b)
        starts = []
        for s in range(n_s):
            b = busy[s]
            if isinstance(b, int) and b == 0:
                continue
            prev = busy[s - 1] if s > 0 else 0
            if isinstance(prev, int) and prev == 1:
                continue
            if isinstance(prev, int):  # prev idle: a start iff busy here
                starts.append(b)
                continue
            if isinstance(b, int):  # busy here for sure: a start iff prev idle
                starts.append(prev.Not())
                continue
            st = md.new_bool_var("")
            md.add_implication(st, b)
            md.add_implication(st, prev.Not())
            md.add_bool_or([b.Not(), prev, st])
            starts.append(st)
        v = md.new_int_var(0, n_s, "")
        md.add(v == sum(starts) - 1)  # every touched participant keeps >= 1 meeting
        new_br[p] = v
        terms.append(v)
    if inst.fairness is not None:
        others = [br[p] for p in range(len(br)) if p not in touched]
        hi = md.new_int_var(0, n_s, "")
        lo = md.new_int_var(0, n_s, "")
        for v in terms:
            md.add(hi >= v)
            md.add(lo <= v)
        if others:
            md.add(hi >= max(others))
            md.add(lo <= min(others))
        md.add(hi - lo <= inst.fairness)
    old = sum(br[p] for p in touched)
    md.add(sum(terms) <= old)
    md.minimize(sum(terms))
    for (k, s), v in x.items():
        md.add_hint(v, cur[k] == s)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    st = solver.solve(md)
    if _DEBUG:
        print("nbhd", solver.status_name(st), old, solver.objective_value if st in (2, 4) else None)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.objective_value >= old:
        return None
    out = list(cur)
    for (k, s), v in x.items():
        if solver.boolean_value(v):
            out[k] = s
    return out
