"""CP-SAT on the whole model, for instances of real-event size (a few hundred meetings).

Variables x[m, s] (meeting m in slot s, only for slots where it may go). A participant's
busy slots are covered by runs, one boolean per block of consecutive slots it could
fill; its breaks are its blocks minus one (if it meets at all), exact both ways, as
fairness needs (see `_Model`). The three objectives are solved in turn, each phase
keeping the previous optimum as a constraint and starting from the best schedule so far
(solution hint). A proved phase gives the bounds the result reports; a phase stopped by
the clock gives CP-SAT's proved bound.

Breaks are proved by `BreaksProver` in threads beside the search that improves the
schedule: the zero-break model (every participant meets in one window of consecutive
slots: a yes comes in seconds where the run model takes minutes) beside the run model;
whichever side closes the gap stops the others. Once the zero-break question is settled,
the last phase (`solve_exact`'s breaks phase, same model and floors) takes the run model
over with both workers: CP-SAT's full search, which proves bounds, beside its
large-neighbourhood searches, which improve the schedule from the annealed one.
docs/optimiser.md has the measurements behind these choices.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from app.scheduling.model import Instance, breaks_of_mask

MAX_WORKERS = 2  # a 2-core machine shared with others
IMPROVER_WORKERS = 1  # beside the prover's one, while the zero-break model runs too
# Of the prover's time, at most, on the zero-break model, in a thread of its own beside
# the run model (CP-SAT releases the GIL). Its time to a yes is heavy-tailed, so it runs
# beside the run model rather than before it, where it would delay the run model's proofs.
ZERO_SHARE = 0.7
# Shares of the time left for the first two phases: each leaves time for the next.
REQUIRED_PHASE_SHARE = 0.5
WEIGHT_PHASE_SHARE = 0.6
PHASE_MIN_S = 0.2  # a phase is not started with less time than this
MIN_SOLVE_S = 0.05  # a positive time limit for CP-SAT, even once the deadline has passed


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


def _placements(
    md: cp_model.CpModel, inst: Instance, keep: list[bool] | None = None
) -> tuple[dict[Any, Any], dict[Any, Any], list[list[Any]]]:
    """x[m, s] for each meeting kept and each slot it may go in, with the rules of a slot:
    at most `tables` meetings, at most one on each bound table. Returns x, the variables
    of each (participant, slot) and those of each meeting."""
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    per_ps: dict[tuple[int, int], list[Any]] = {}
    per_slot: list[list[Any]] = [[] for _ in range(inst.n_slots)]
    per_table: dict[tuple[int, int], list[Any]] = {}
    of_meeting: list[list[Any]] = []
    for k, m in enumerate(inst.meetings):
        vs: list[Any] = []
        of_meeting.append(vs)
        if keep is not None and not keep[k]:
            continue
        for s in inst.allowed[k]:
            v = x[k, s] = md.new_bool_var(f"x{k}_{s}")
            vs.append(v)
            per_ps.setdefault((m.a, s), []).append(v)
            per_ps.setdefault((m.b, s), []).append(v)
            per_slot[s].append(v)
            if inst.table_of[k]:
                per_table.setdefault((s, inst.table_of[k]), []).append(v)
    for vs in per_slot:
        if len(vs) > inst.tables:
            md.add(sum(vs) <= inst.tables)
    for vs in per_table.values():
        if len(vs) > 1:
            md.add_at_most_one(vs)
    return x, per_ps, of_meeting


class _Model:
    """x[m, s] for the slots where meeting m may go; a participant's busy slots are
    covered by *runs* (maximal blocks of consecutive busy slots): one boolean per block
    [a, b] it could fill, at most one covering each slot, none touching (a block ending
    in s - 1 and one starting in s would be one block). Its breaks are its blocks minus
    one. This extended formulation gives CP-SAT far stronger reasoning than counting
    starts of busy slots (docs/optimiser.md)."""

    def __init__(self, inst: Instance) -> None:
        self.inst = inst
        md = self.model = cp_model.CpModel()
        n_s = inst.n_slots
        self.x, per_ps, of_meeting = _placements(md, inst)
        self.held = []
        for k, vs in enumerate(of_meeting):
            h = md.new_bool_var(f"h{k}")
            if vs:
                md.add(sum(vs) == h)
            else:
                md.add(h == 0)
            self.held.append(h)
        self.breaks: list[cp_model.IntVar | int] = []  # 0: no break possible
        self.runs: list[dict[tuple[int, int], cp_model.IntVar]] = []
        self.any: list[cp_model.IntVar | None] = []
        for p, part in enumerate(inst.participants):
            hs = [self.held[k] for k in inst.by_participant[p]]
            cap = len(hs) if part.max_meetings is None else min(len(hs), part.max_meetings)
            if part.max_meetings is not None and len(hs) > part.max_meetings:
                md.add(sum(hs) <= part.max_meetings)
            runs: dict[tuple[int, int], cp_model.IntVar] = {}
            for a in range(n_s):
                for b in range(a, min(n_s, a + cap)):
                    if (p, b) not in per_ps:
                        break
                    runs[a, b] = md.new_bool_var(f"r{p}_{a}_{b}")
            self.runs.append(runs)
            # touch[s]: the blocks starting in s or ending in s - 1 (at most one of them)
            cover: list[list[Any]] = [[] for _ in range(n_s)]
            touch: list[list[Any]] = [[] for _ in range(n_s + 1)]
            for (a, b), v in runs.items():
                for s in range(a, b + 1):
                    cover[s].append(v)
                touch[a].append(v)
                touch[b + 1].append(v)
            for s in range(n_s):
                held_here = per_ps.get((p, s))
                if not held_here:
                    continue
                md.add_at_most_one(cover[s])
                md.add(sum(held_here) == sum(cover[s]))
                if s and len(touch[s]) > 1:
                    md.add_at_most_one(touch[s])
            if runs:
                # implied (the runs cover exactly the busy slots), but stated it lets
                # CP-SAT take a schedule hint at once and find better ones sooner
                md.add(sum((b - a + 1) * v for (a, b), v in runs.items()) == sum(hs))
            if not runs or cap <= 1:
                self.any.append(None)
                self.breaks.append(0)
                continue
            anyb = md.new_bool_var(f"any{p}")
            md.add_max_equality(anyb, list(runs.values()))
            self.any.append(anyb)
            br = md.new_int_var(0, max(0, cap - 1), f"br{p}")
            md.add(br == sum(runs.values()) - anyb)
            self.breaks.append(br)
        if inst.fairness is not None:
            hi = md.new_int_var(0, n_s, "hi")
            lo = md.new_int_var(0, n_s, "lo")
            for count in self.breaks:
                md.add(hi >= count)
                md.add(lo <= count)
            md.add(hi - lo <= inst.fairness)
        self.required = [k for k, m in enumerate(inst.meetings) if m.required]
        self.optional = [k for k, m in enumerate(inst.meetings) if not m.required]

    def hint(self, slot_of: list[int]) -> None:
        """A complete hint (every variable), so that CP-SAT starts from this schedule."""
        md = self.model
        md.clear_hints()
        for (k, s), v in self.x.items():
            md.add_hint(v, slot_of[k] == s)
        masks = _masks(self.inst, slot_of)
        for k, s in enumerate(slot_of):
            md.add_hint(self.held[k], s >= 0)
        for p, runs in enumerate(self.runs):
            blocks = set(_blocks(masks[p]))
            for ab, v in runs.items():
                md.add_hint(v, ab in blocks)
            any_block, breaks = self.any[p], self.breaks[p]
            if any_block is not None and not isinstance(breaks, int):
                md.add_hint(any_block, masks[p] != 0)
                md.add_hint(breaks, breaks_of_mask(masks[p]))

    def solve(self, seconds: float, seed: int) -> tuple[cp_model.CpSolver, Any]:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(MIN_SOLVE_S, seconds)
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


def _prover_parameters(solver: cp_model.CpSolver, seconds: float, seed: int) -> None:
    """One worker, CP-SAT's default search: on the run model it proved optima that the
    core-guided search did not (docs/optimiser.md)."""
    p = solver.parameters
    p.max_time_in_seconds = max(MIN_SOLVE_S, seconds)
    p.num_workers = 1
    p.random_seed = seed + 1  # seed 0 -> CP-SAT's default, 1


def zero_breaks_model(
    inst: Instance, held: list[bool]
) -> tuple[cp_model.CpModel, dict[Any, Any]] | None:
    """A schedule of exactly the meetings `held` in which nobody has a break: each
    participant meeting d times takes a window of d consecutive slots and meets in every
    one of them. One boolean per possible window, exactly one per participant, and the
    meetings of each slot of the window sum to one. None when some participant has no
    window at all (no such schedule). Far easier for CP-SAT than the run model when
    the answer is yes."""
    n_s = inst.n_slots
    md = cp_model.CpModel()
    x, per_ps, of_meeting = _placements(md, inst, held)
    for k, vs in enumerate(of_meeting):
        if held[k]:
            if not vs:
                return None
            md.add_exactly_one(vs)
    for p in range(len(inst.participants)):
        d = sum(1 for k in inst.by_participant[p] if held[k])
        if d == 0:
            continue
        starts = [t for t in range(n_s - d + 1) if all((p, s) in per_ps for s in range(t, t + d))]
        if not starts:
            return None
        w = {t: md.new_bool_var(f"w{p}_{t}") for t in starts}
        md.add_exactly_one(w.values())
        for s in range(n_s):
            if (p, s) in per_ps:
                md.add(sum(per_ps[p, s]) == sum(w[t] for t in starts if t <= s < t + d))
    return md, x


class BreaksProver:
    """Proves a lower bound on breaks in a thread of its own (CP-SAT releases the GIL)
    while the caller keeps searching for better schedules; its own search finds
    schedules too.

    The model holds what the earlier objectives proved: at least `required_floor`
    required meetings held (each of them, when that is their number), optional weight
    at least `weight_floor` (scaled integers, see `_weights`). Any schedule optimal on the first
    two objectives satisfies these, so the bound it proves is a valid breaks bound.
    `offer(schedule)` tells it the best schedule known elsewhere: once its bound reaches
    that, every search registered with it stops (the schedule is optimal)."""

    def __init__(
        self, inst: Instance, *, required_floor: int | None, weight_floor: int | None, seed: int = 0
    ) -> None:
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
        self._stoppers: list[Any] = []
        self._thread: threading.Thread | None = None
        self._zero_thread: threading.Thread | None = None
        self._zero_solver: cp_model.CpSolver | None = None
        self._run_solver: cp_model.CpSolver | None = None
        self._handed_over = False

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
        if self.required_floor is not None and held_req < min(
            self.required_floor, len(self.mdl.required)
        ):
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
        zero = self._zero_solver
        if self.lb > 0 and zero is not None:
            zero.stop_search()  # no schedule without breaks: its question is answered

    def start(self, deadline: float, zero_share: float = ZERO_SHARE) -> None:
        """In threads: while the best schedule known has breaks, up to `zero_share` of the
        time on the zero-break model (a schedule without breaks ends the search; a proof
        that none exists raises the bound to 1 when the meetings to hold are forced);
        beside it, the run model, started from the best schedule known."""
        zero = self.best > 0 and zero_share > 0
        if zero:
            t_zero = time.monotonic() + (deadline - time.monotonic()) * zero_share
            self._zero_thread = threading.Thread(
                target=self._zero, args=(t_zero,), name="zero-breaks", daemon=True
            )
            self._zero_thread.start()

        def run() -> None:
            if self.closed:
                self.status = "OPTIMAL"
                return
            solver = cp_model.CpSolver()
            _prover_parameters(solver, deadline - time.monotonic(), self.seed)
            solver.best_bound_callback = self._bound
            with self._lock:
                if self.slot_of is not None:
                    self.mdl.hint(self.slot_of)
            self.register(solver)
            self._run_solver = solver
            st = solver.solve(self.mdl.model) if not self._handed_over else cp_model.UNKNOWN
            self._run_solver = None
            self.unregister(solver)
            self.status = solver.status_name(st)
            if st in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
                # cannot happen when the floors come from a valid schedule; claim nothing
                self.lb = 0
                return
            if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                self.offer(self.mdl.read(solver))
            if st == cp_model.OPTIMAL:
                self.lb = max(self.lb, _breaks(self.inst, self.mdl.read(solver)))
            elif st == cp_model.FEASIBLE:
                self._bound(solver.best_objective_bound)

        self._thread = threading.Thread(target=run, name="breaks-prover", daemon=True)
        self._thread.start()

    @property
    def zero_open(self) -> bool:
        """The zero-break model is still searching (it needs a core of its own)."""
        return self._zero_thread is not None and self._zero_thread.is_alive()

    def hand_over(self) -> None:
        """Stop the run model's search (and wait for its thread): a search of the caller's
        on the same model, with more workers, takes over its work and reports its bounds
        through `_bound`. The zero-break thread goes on."""
        self._handed_over = True
        while self._thread is not None and self._thread.is_alive():
            solver = self._run_solver
            if solver is not None:  # (a stop just before its solve starts could be lost)
                solver.stop_search()
            self._thread.join(0.1)

    def _forced(self) -> bool:
        """Every schedule the floors admit holds the same meetings: all required ones,
        and there are no others."""
        n_req = len(self.mdl.required)
        return (
            not self.mdl.optional
            and self.required_floor is not None
            and self.required_floor >= n_req
        )

    def _zero(self, until: float) -> None:
        with self._lock:
            known = self.slot_of
        if known is not None:
            held = [s >= 0 for s in known]
        elif self._forced():
            held = [True] * len(self.inst.meetings)
        else:
            return
        built = zero_breaks_model(self.inst, held)
        if built is None:
            if self._forced():
                self._bound(1)
            return
        md, x = built
        solver = cp_model.CpSolver()
        _prover_parameters(solver, until - time.monotonic(), self.seed)
        # a feasibility question: pure clause learning (no LP) answers it far sooner
        solver.parameters.linearization_level = 0
        self.register(solver)
        self._zero_solver = solver
        # (the run model may have proved a break unavoidable meanwhile)
        st = solver.solve(md) if self.lb == 0 else cp_model.UNKNOWN
        self._zero_solver = None
        self.unregister(solver)
        if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            slot_of = [-1] * len(self.inst.meetings)
            for (k, s), v in x.items():
                if solver.boolean_value(v):
                    slot_of[k] = s
            self.offer(slot_of)  # no breaks: it closes the gap, and the searches stop
        elif st == cp_model.INFEASIBLE and self._forced():
            self._bound(1)

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()
        if self._zero_thread is not None:
            self._zero_thread.join()


_OK = (cp_model.OPTIMAL, cp_model.FEASIBLE)


def solve_exact(
    inst: Instance,
    start: list[int],
    deadline: float,
    *,
    seed: int = 0,
    prover: BreaksProver | None = None,
) -> ExactOutcome:
    """CP-SAT on the whole model, from the schedule `start`, one objective after the other
    (required meetings, optional weight, breaks), each phase keeping the optimum of the
    previous one; the breaks phase works beside `prover` (or starts one). Returns the best
    schedule and what was proved."""
    out = ExactOutcome()
    t_build = time.monotonic()
    mdl = _Model(inst)
    out.log.append(f"model {len(mdl.x)} vars in {time.monotonic() - t_build:.2f}s")
    best = list(start)
    if (
        prover is not None
        and prover.slot_of is not None
        and _key(inst, prover.slot_of) < _key(inst, best)
    ):
        best = list(prover.slot_of)  # a valid schedule seen earlier beats the start
    phase1 = _required_phase(mdl, best, deadline, seed, out)
    if phase1 is None:
        return out
    best, req_best, req_proved = phase1
    best, w_best, exact_w = _weight_phase(mdl, best, req_best, deadline, seed, out)
    if time.monotonic() < deadline - PHASE_MIN_S:
        best, prover = _breaks_phase(
            mdl, best, req_best, req_proved, w_best, exact_w, prover, deadline, seed, out
        )
    if prover is not None:  # it stops by the deadline at the latest
        best = _prover_result(mdl, best, req_proved, prover, out)
    out.slot_of = best
    return out


def _required_phase(
    mdl: _Model, best: list[int], deadline: float, seed: int, out: ExactOutcome
) -> tuple[list[int], int, bool] | None:
    """Phase 1: hold as many required meetings as possible, then keep that many. Returns
    the best schedule, its required meetings held and whether that is proved optimal;
    None if CP-SAT calls the model infeasible (impossible with a valid hint)."""
    md = mdl.model
    n_req = len(mdl.required)
    req_best = sum(1 for k in mdl.required if best[k] >= 0)
    req_proved = req_best == n_req
    if n_req and not req_proved:
        md.maximize(sum(mdl.held[k] for k in mdl.required))
        mdl.hint(best)
        budget = (deadline - time.monotonic()) * REQUIRED_PHASE_SHARE
        solver, st = mdl.solve(budget, seed)
        out.log.append(f"required: {solver.status_name(st)} {solver.wall_time:.1f}s")
        if st in _OK:
            cand = mdl.read(solver)
            n = sum(1 for k in mdl.required if cand[k] >= 0)
            if n > req_best:
                best, req_best = cand, n
        if st == cp_model.OPTIMAL:
            req_proved = True
            out.required_infeasible = req_best < n_req
        elif st == cp_model.INFEASIBLE:  # cannot happen with a valid hint; be safe
            return None
        elif st in _OK and solver.best_objective_bound < n_req - 0.5:
            out.required_infeasible = True
    if req_proved:
        out.required_left_proved = n_req - req_best
    if req_best == n_req:
        for k in mdl.required:
            md.add(mdl.held[k] == 1)
    elif n_req:
        md.add(sum(mdl.held[k] for k in mdl.required) >= req_best)
    return best, req_best, req_proved


def _weight_phase(
    mdl: _Model, best: list[int], req_best: int, deadline: float, seed: int, out: ExactOutcome
) -> tuple[list[int], int, bool]:
    """Phase 2: the largest optional weight (scaled integers), then keep it. Returns the
    best schedule, its scaled weight and whether the scaling is exact."""
    md = mdl.model
    ws, sc, exact_w = _weights(mdl.inst)
    w_best = sum(ws[k] for k in mdl.optional if best[k] >= 0)
    if mdl.optional and time.monotonic() < deadline - PHASE_MIN_S:
        expr = sum(ws[k] * mdl.held[k] for k in mdl.optional)
        md.maximize(expr)
        mdl.hint(best)
        budget = (deadline - time.monotonic()) * WEIGHT_PHASE_SHARE
        solver, st = mdl.solve(budget, seed)
        out.log.append(f"weight: {solver.status_name(st)} {solver.wall_time:.1f}s")
        if st in _OK:
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
    return best, w_best, exact_w


def _breaks_phase(
    mdl: _Model,
    best: list[int],
    req_best: int,
    req_proved: bool,
    w_best: int,
    exact_w: bool,
    prover: BreaksProver | None,
    deadline: float,
    seed: int,
    out: ExactOutcome,
) -> tuple[list[int], BreaksProver | None]:
    """Phase 3: fewest breaks. The prover raises the lower bound in a thread of its own
    (started by the caller when the first two objectives were settled early, else here)
    while this CP-SAT search improves the schedule from the best one known; both stop as
    soon as the bound meets the best schedule. When the two models are the same and the
    zero-break thread is done, this search takes the prover's place instead."""
    inst = mdl.inst
    md = mdl.model
    if prover is None and req_proved:
        prover = BreaksProver(
            inst,
            required_floor=req_best,
            seed=seed,
            weight_floor=w_best if mdl.optional else None,
        )
        prover.offer(best)  # before it starts: its zero-break phase needs a schedule
        prover.start(deadline)
    elif prover is not None:
        prover.offer(best)
    objective = sum(b for b in mdl.breaks if not isinstance(b, int))
    md.minimize(objective)
    mdl.hint(best)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(MIN_SOLVE_S, deadline - time.monotonic())
    solver.parameters.random_seed = seed + 1  # seed 0 -> CP-SAT's default, 1
    # The prover's model is this one (same floors): this search takes over its run
    # model with both workers, CP-SAT's full search (which proves bounds) beside its
    # large-neighbourhood searches (which improve the schedule)
    same = (
        prover is not None
        and req_proved
        and prover.required_floor == req_best
        and (not mdl.optional or (exact_w and prover.weight_floor == w_best))
        and not prover.zero_open
    )
    workers = MAX_WORKERS if prover is None or same else IMPROVER_WORKERS
    solver.parameters.num_workers = workers
    if prover is not None:
        if same:
            prover.hand_over()
            if prover.lb > 0:
                md.add(objective >= prover.lb)
            solver.best_bound_callback = prover._bound
        prover.register(solver)
    skip = prover is not None and prover.closed
    st = cp_model.UNKNOWN if skip else solver.solve(md)
    if prover is not None:
        prover.unregister(solver)
        if same and st == cp_model.OPTIMAL:
            prover._bound(solver.objective_value)
    if not skip:
        out.log.append(
            f"breaks: {solver.status_name(st)} {solver.wall_time:.1f}s "
            f"obj {solver.objective_value if st in _OK else None} "
            f"bound {solver.best_objective_bound if st in _OK else None}"
        )
    lb = 0
    if st in _OK:
        cand = mdl.read(solver)
        best = cand if _breaks(inst, cand) <= _breaks(inst, best) else best
        lb = max(0, math.ceil(solver.best_objective_bound - 1e-6))
        if prover is not None:
            prover.offer(best)
    if req_proved:
        out.breaks_bound = lb
    return best, prover


def _prover_result(
    mdl: _Model, best: list[int], req_proved: bool, prover: BreaksProver, out: ExactOutcome
) -> list[int]:
    """Wait for the prover; keep its schedule if better, and its bound where it holds."""
    inst = mdl.inst
    prover.offer(best)
    prover.join()
    out.log.append(f"prover: {prover.status} bound {prover.lb}")
    found = prover.slot_of
    if found is not None and _key(inst, found) < _key(inst, best):
        best = found
    # its bound holds for schedules meeting its floors; a prover started before the
    # required meetings were proved not to fit together says nothing of the others
    held_req = sum(1 for k in mdl.required if best[k] >= 0)
    if req_proved and held_req >= (prover.required_floor or 0):
        out.breaks_bound = max(out.breaks_bound or 0, prover.lb)
    return best


def _blocks(mask: int) -> list[tuple[int, int]]:
    """The maximal runs [a, b] of set bits of a slot mask."""
    out = []
    s = 0
    while mask >> s:
        if (mask >> s) & 1:
            a = s
            while (mask >> (s + 1)) & 1:
                s += 1
            out.append((a, s))
        s += 1
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
