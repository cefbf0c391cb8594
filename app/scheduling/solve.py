"""The optimiser: `solve(instance, time_limit) -> Result`.

Lexicographic objective: fewest required meetings left out, then largest optional
weight, then fewest breaks, under the hard rules (fairness included). The phases, in
the order `solve` runs them (docs/optimiser.md explains how they fit):

1. cheap proofs that the required meetings cannot all be placed (counting, matching);
2. construction: required meetings (hardest first), then the optional meetings that the
   b-matching / LP relaxation selects, then the others, each in the slot that adds the
   fewest breaks, with Kempe-chain and ejection repair when none is free;
3. descent on breaks (Kempe chains), re-insertion of left-out meetings;
4. the annealing walk on breaks; on instances of real-event size a prover
   (`exact.BreaksProver`) raises the lower bound on breaks on the other core meanwhile;
5. fairness restored exactly if the search could not keep it;
6. on instances of real-event size, CP-SAT on the full model (`exact.solve_exact`), started
   from the best schedule: it proves infeasibility, the weight optimum and breaks bounds.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

from app.scheduling import bounds as bounds_mod
from app.scheduling.exact import BreaksProver, solve_exact
from app.scheduling.improve import anneal_breaks, insert_left_out, reduce_breaks
from app.scheduling.model import Instance, Result, breaks_of_mask
from app.scheduling.schedule import Schedule

# CP-SAT on the whole model only up to this size: beyond it, building and searching the
# model would take the time the heuristics need.
EXACT_MAX_MEETINGS = 700
EXACT_MAX_VARS = 20000

# The clock: the result must be written before the time limit, imports included.
DEADLINE_SHARE = 0.96  # of the time limit, at most...
DEADLINE_MARGIN_S = 0.4  # ... and at least this much before it,
MIN_BUDGET_S = 0.3  # ... but never less than this to search in
PROVER_MIN_S = 1.0  # starting the prover's threads is not worth less time than this
EXACT_MIN_S = 0.5  # nor building the CP-SAT model

# Shares of the time left that each repair step may take; they are generous caps (the
# steps usually end sooner) that keep a hard instance from eating the walk's time.
SELECTED_REPAIR_SHARE = 0.3  # the relaxation's selection, by Kempe chains and ejection
REQUIRED_REPAIR_SHARE = 0.3  # required meetings still out (share of the whole time)
DESCENT_SHARE = 0.1  # the descent: a cheap first cut of the breaks
REINSERT_SHARE = 0.2  # optional meetings still out, with repair...
REINSERT_DIRECT_SHARE = 0.25  # ... then the rest without it (counted from the same time)

# The annealing walk's share of the time left after the repairs.
LARGE_SA_SHARE = 0.97  # large instances: no CP-SAT after it, the walk takes it all
EXACT_SA_SHARE = 0.4  # event-sized instances: then CP-SAT with the walk's result as hint...
PROVER_SA_SHARE = 0.93  # ... but when the prover runs (all required placed, no optional)
REQUIRED_LEFT_SA_SHARE = 0.2  # required meetings left out: CP-SAT's first phase matters more
FIRST_WALK_SHARE = 0.4  # of the walk: then check fairness before giving it the rest
# From this share of the time, once the zero-break question is settled, CP-SAT's search
# on the prover's model (both workers, with its neighbourhood searches) takes over from
# the walk: late enough for the walk to find what only it finds.
HAND_OVER_SHARE = 0.7

# The walk's settings (chosen on the benchmark's event instances; docs/optimiser.md).
EVENT_T = 0.2  # event-sized: a constant temperature keeps it improving to the end
EVENT_COMPENSATE = 4  # tries to find a meeting to send out of a full slot
LARGE_T0 = 0.5  # large instances: the starting temperature of their cooling
# Small instances get a move budget instead of the whole time: a few thousand moves per
# meeting reach what they can, and the result comes back at once.
SMALL_MEETINGS = 100
SMALL_MOVES_PER_MEETING = 2000


@dataclass
class _Plan:
    """What the construction decided: the meetings in the order they were placed."""

    required: list[int]
    req_order: list[int]  # required meetings that may be placed, hardest first
    optional: list[int]  # optional meetings that may be placed
    opt_sel: list[int]  # the relaxation's selection, heaviest first after construction
    opt_rest: list[int]  # the other optional meetings, heaviest first
    n_req_placed: int  # required meetings placed before the weight bound was computed
    weight_bound: bounds_mod.WeightBound


def solve(
    inst: Instance,
    time_limit: float | None = None,
    *,
    started: float | None = None,
    seed: int = 0,
    exact: bool | None = None,
) -> Result:
    """Schedule `inst` within `time_limit` seconds (the instance's own by default), counted
    from `started` (a time.monotonic() value; now by default). `exact` forces CP-SAT on or
    off (by default on for instances of real-event size)."""
    t0 = started if started is not None else time.monotonic()
    limit = float(time_limit if time_limit is not None else inst.time_limit_s)
    deadline = t0 + max(MIN_BUDGET_S, min(limit * DEADLINE_SHARE, limit - DEADLINE_MARGIN_S))
    stats: dict[str, Any] = {}
    infeasible_reason = bounds_mod.required_infeasibility(inst)
    sch = Schedule(inst)
    plan = _construct(sch, deadline, stats)
    stats["construction_s"] = round(time.monotonic() - t0, 3)
    use_exact = exact if exact is not None else _exact_size(inst)
    search = _ProverHandle(inst, sch, plan, use_exact, seed, deadline, t0)
    _repair_and_descend(sch, plan, search, t0, deadline, seed)
    _walk(sch, plan, search, deadline, seed)
    enforce_fairness(sch, inst.fairness)
    slot_of = sch.copy_assignment()
    stats["heuristic"] = {"breaks": sch.total_breaks(), "s": round(time.monotonic() - t0, 2)}
    return _prove_and_report(
        inst, slot_of, plan, search, deadline, seed, t0, stats, infeasible_reason
    )


def _construct(sch: Schedule, deadline: float, stats: dict[str, Any]) -> _Plan:
    """Place the fixed meetings, the required ones (fewest possible slots first, then the
    busiest pairs), then the optional ones the weight relaxation selects, then the rest."""
    inst = sch.inst
    n_m = len(inst.meetings)
    required = [k for k, m in enumerate(inst.meetings) if m.required]
    weight_of = [0.0 if m.required else m.weight for m in inst.meetings]
    deg = [len(b) for b in inst.by_participant]
    req_order = sorted(
        (k for k in required if inst.allowed[k]),
        key=lambda k: (len(inst.allowed[k]), -deg[inst.meetings[k].a] - deg[inst.meetings[k].b]),
    )
    fixed_first = [k for k in range(n_m) if inst.meetings[k].fixed_slot is not None]
    for k in sorted(fixed_first, key=lambda k: not inst.meetings[k].required):
        if inst.meetings[k].required:
            sch.try_insert(k)
    for k in req_order:
        if sch.slot_of[k] < 0:
            sch.try_insert(k)
    n_req_placed = sum(1 for k in required if sch.slot_of[k] >= 0)
    wb = bounds_mod.weight_bound(inst, n_req_placed)
    stats["weight_bound_method"] = wb.method
    selected = set(wb.selected)
    optional = [k for k in range(n_m) if not inst.meetings[k].required and inst.allowed[k]]
    # the relaxation's selection, tightest first (fewest possible slots), then heavier
    opt_sel = sorted(
        (k for k in optional if k in selected),
        key=lambda k: (len(inst.allowed[k]), -weight_of[k]),
    )
    opt_rest = sorted((k for k in optional if k not in selected), key=lambda k: -weight_of[k])
    # fixed optional meetings first (they have one slot)
    for k in fixed_first:
        if not inst.meetings[k].required:
            sch.try_insert(k, chains=False)
    for k in opt_sel:
        if sch.slot_of[k] < 0:
            sch.try_insert(k, chains=False, eject=False)
    stats["selected_left_direct"] = sum(1 for k in opt_sel if sch.slot_of[k] < 0)
    now = time.monotonic()
    insert_left_out(
        sch,
        sorted((k for k in opt_sel if sch.slot_of[k] < 0), key=lambda k: -weight_of[k]),
        now + (deadline - now) * SELECTED_REPAIR_SHARE,
    )
    stats["selected_left_repair"] = sum(1 for k in opt_sel if sch.slot_of[k] < 0)
    opt_sel.sort(key=lambda k: -weight_of[k])
    for k in opt_rest:
        if sch.slot_of[k] < 0:
            sch.try_insert(k, chains=False, eject=False)
    return _Plan(required, req_order, optional, opt_sel, opt_rest, n_req_placed, wb)


class _ProverHandle:
    """The prover beside the walk, once there is one: it starts when the first two
    objectives are settled (every required meeting placed, no optional weight), so that
    the breaks bound it proves holds, and it is offered each better schedule."""

    def __init__(
        self,
        inst: Instance,
        sch: Schedule,
        plan: _Plan,
        use_exact: bool,
        seed: int,
        deadline: float,
        t0: float,
    ) -> None:
        self.inst = inst
        self.sch = sch
        self.plan = plan
        self.use_exact = use_exact
        self.seed = seed
        self.deadline = deadline
        self.hand_over_at = t0 + (deadline - t0) * HAND_OVER_SHARE
        self.prover: BreaksProver | None = None

    def start_or_offer(self) -> None:
        """Start the prover if the first two objectives are settled; else offer it the
        current schedule (a hint for its search; it counts once it is fair)."""
        sch, plan = self.sch, self.plan
        if (
            self.prover is None
            and self.use_exact
            and not plan.optional
            and all(sch.slot_of[k] >= 0 for k in plan.required)
            and time.monotonic() < self.deadline - PROVER_MIN_S
        ):
            self.prover = BreaksProver(
                self.inst, required_floor=len(plan.required), weight_floor=None, seed=self.seed
            )
            self.prover.offer(sch.slot_of)  # before it starts: its zero-break phase reads it
            self.prover.start(self.deadline)
        elif self.prover is not None:
            self.prover.offer(sch.slot_of)

    def floor(self) -> float:
        """The proved lower bound; infinite once the walk should stop: the prover holds
        a schedule that meets it (the walk cannot do better), or the time has come to
        hand the search over to CP-SAT and the zero-break question is settled."""
        prover = self.prover
        if prover is None:
            return 0
        if prover.closed or (time.monotonic() >= self.hand_over_at and not prover.zero_open):
            return math.inf
        return prover.lb


def _repair_and_descend(
    sch: Schedule, plan: _Plan, search: _ProverHandle, t0: float, deadline: float, seed: int
) -> None:
    """Place the required meetings still out, cut breaks by descent, then place the
    optional meetings still out; the prover starts as soon as it can."""
    insert_left_out(
        sch,
        [k for k in plan.req_order if sch.slot_of[k] < 0],
        t0 + (deadline - t0) * REQUIRED_REPAIR_SHARE,
    )
    search.start_or_offer()
    now = time.monotonic()
    reduce_breaks(sch, now + (deadline - now) * DESCENT_SHARE, cap=sch.inst.fairness, seed=seed)
    search.start_or_offer()  # offers the improved schedule, a hint for the prover's search
    now = time.monotonic()
    insert_left_out(
        sch,
        [k for k in plan.opt_sel + plan.opt_rest if sch.slot_of[k] < 0],
        now + (deadline - now) * REINSERT_SHARE,
    )
    insert_left_out(
        sch,
        [k for k in plan.opt_rest if sch.slot_of[k] < 0],
        now + (deadline - now) * REINSERT_DIRECT_SHARE,
        kempe=False,
    )


def _walk(sch: Schedule, plan: _Plan, search: _ProverHandle, deadline: float, seed: int) -> None:
    """The annealing walk on breaks. On event-sized instances: at a constant temperature,
    stopped by the prover's bound, in two parts so that CP-SAT gets the time when the
    first part cannot make the schedule fair; on large ones, cooled from LARGE_T0."""
    inst = sch.inst
    fair_cap = inst.fairness
    use_exact = search.use_exact
    n_m = len(inst.meetings)
    search.start_or_offer()
    now = time.monotonic()
    sa_share = EXACT_SA_SHARE if use_exact else LARGE_SA_SHARE
    if use_exact and any(sch.slot_of[k] < 0 for k in plan.required if inst.allowed[k]):
        sa_share = REQUIRED_LEFT_SA_SHARE
    sa_end = now + (deadline - now) * sa_share
    max_iters = SMALL_MOVES_PER_MEETING * max(1, n_m) if n_m < SMALL_MEETINGS else None
    if use_exact:
        _anneal(sch, search, now + (sa_end - now) * FIRST_WALK_SHARE, seed + 1, max_iters)
        search.start_or_offer()
        if not _fair(sch, fair_cap):
            sa_end = time.monotonic()  # leave the time to CP-SAT's proofs
        elif search.prover is not None:
            # the first two objectives are settled: the walk keeps the time (a CP-SAT
            # search from the annealed schedule rarely improves it), the prover its core
            sa_end = now + (deadline - now) * PROVER_SA_SHARE
    if search.prover is None or not search.prover.closed:
        _anneal(sch, search, sa_end, seed + 2, max_iters)


def _anneal(
    sch: Schedule, search: _ProverHandle, until: float, seed: int, max_iters: int | None
) -> None:
    """One stretch of the walk: on event-sized instances at a constant temperature and
    stopped by the prover's bound; on large ones cooled from LARGE_T0."""
    if search.use_exact:
        anneal_breaks(
            sch,
            until,
            cap=sch.inst.fairness,
            seed=seed,
            max_iters=max_iters,
            temp_start=EVENT_T,
            temp_end=EVENT_T,
            compensate=EVENT_COMPENSATE,
            floor=search.floor,
        )
    else:
        anneal_breaks(
            sch, until, cap=sch.inst.fairness, seed=seed, max_iters=max_iters, temp_start=LARGE_T0
        )


def _prove_and_report(
    inst: Instance,
    slot_of: list[int],
    plan: _Plan,
    search: _ProverHandle,
    deadline: float,
    seed: int,
    t0: float,
    stats: dict[str, Any],
    infeasible_reason: str | None,
) -> Result:
    """On event-sized instances, CP-SAT from the heuristic schedule (keeping whichever is
    better); then the result with the bounds proved for the schedule kept."""
    required = plan.required
    prover = search.prover
    breaks_lb = 0
    proved_infeasible = infeasible_reason is not None
    n_now = sum(1 for k in required if slot_of[k] >= 0)
    weight_ub = (
        plan.weight_bound.bound
        if n_now == plan.n_req_placed
        else bounds_mod.weight_bound(inst, n_now).bound
    )
    if search.use_exact and (prover is not None or time.monotonic() < deadline - EXACT_MIN_S):
        ex = solve_exact(inst, slot_of, deadline, seed=seed, prover=prover)
        stats["exact"] = ex.log
        if ex.slot_of is not None and _better(inst, ex.slot_of, slot_of):
            slot_of = ex.slot_of
        if ex.required_infeasible:
            proved_infeasible = True
        req_now = sum(1 for k in required if slot_of[k] < 0)
        if len(required) - req_now != n_now:
            weight_ub = bounds_mod.weight_bound(inst, len(required) - req_now).bound
        if ex.weight_bound is not None and ex.required_left_proved == req_now:
            weight_ub = min(weight_ub, ex.weight_bound)
        if ex.breaks_bound is not None and ex.required_left_proved == req_now:
            breaks_lb = ex.breaks_bound
    return _result(
        inst, slot_of, weight_ub, breaks_lb, proved_infeasible, t0, stats, infeasible_reason
    )


def _fair(sch: Schedule, cap: int | None) -> bool:
    if cap is None:
        return True
    br = [sch.breaks(p) for p in range(len(sch.mask))]
    return not br or max(br) - min(br) <= cap


def _exact_size(inst: Instance) -> bool:
    n_vars = sum(len(a) for a in inst.allowed)
    return len(inst.meetings) <= EXACT_MAX_MEETINGS and n_vars <= EXACT_MAX_VARS


def objective_of(inst: Instance, slot_of: list[int]) -> tuple[int, float, int]:
    masks = [0] * len(inst.participants)
    req_left = 0
    weight = 0.0
    for m, s in zip(inst.meetings, slot_of):
        if s < 0:
            req_left += m.required
            continue
        if not m.required:
            weight += m.weight
        masks[m.a] |= 1 << s
        masks[m.b] |= 1 << s
    return req_left, weight, sum(breaks_of_mask(x) for x in masks)


def _better(inst: Instance, x: list[int], y: list[int]) -> bool:
    rx, wx, bx = objective_of(inst, x)
    ry, wy, by = objective_of(inst, y)
    return (rx, -round(wx, 6), bx) < (ry, -round(wy, 6), by)


def enforce_fairness(sch: Schedule, fairness: int | None) -> int:
    """Leave out meetings until max(breaks) - min(breaks) <= fairness (a hard rule).
    Prefers optional, light meetings whose removal lowers the largest breaks."""
    if fairness is None:
        return 0
    removed = 0
    inst = sch.inst
    while True:
        br = [breaks_of_mask(x) for x in sch.mask]
        if not br or max(br) - min(br) <= fairness:
            return removed
        lo = min(br)
        worst = max(range(len(br)), key=lambda p: br[p])
        best = None
        mk = sch.mask[worst]
        for s in range(sch.n_slots):
            if not (mk >> s) & 1:
                continue
            m = sch.busy[worst][s]
            other = sch.ma[m] if sch.mb[m] == worst else sch.mb[m]
            nb_w = breaks_of_mask(mk & ~(1 << s))
            nb_o = breaks_of_mask(sch.mask[other] & ~(1 << s))
            over = max(0, nb_o - lo - fairness)
            meet = inst.meetings[m]
            key = (nb_w >= br[worst], over, meet.required, 0 if meet.required else meet.weight)
            if best is None or key < best[0]:
                best = (key, m)
        assert best is not None  # the worst participant has at least one movable meeting
        sch.remove(best[1])
        removed += 1


def assign_tables(inst: Instance, slot_of: list[int]) -> list[int]:
    table = [0] * len(slot_of)
    per_slot: dict[int, list[int]] = {}
    for k, s in enumerate(slot_of):
        if s >= 0:
            per_slot.setdefault(s, []).append(k)
    for _s, ks in per_slot.items():
        used = set()
        for k in ks:
            t = inst.table_of[k]
            if t:
                table[k] = t
                used.add(t)
        nxt = 1
        for k in ks:
            if not inst.table_of[k]:
                while nxt in used:
                    nxt += 1
                table[k] = nxt
                used.add(nxt)
    return table


def _result(
    inst: Instance,
    slot_of: list[int],
    weight_ub: float | None,
    breaks_lb: int,
    proved_infeasible: bool,
    t0: float,
    stats: dict[str, Any],
    reason: str | None,
) -> Result:
    req_left, weight, breaks = objective_of(inst, slot_of)
    if weight_ub is not None:
        weight_ub = max(weight_ub, weight)  # guards float noise; both are proved
    breaks_lb = min(breaks_lb, breaks)
    if req_left:
        status = "infeasible" if proved_infeasible else "partial"
        if reason and proved_infeasible:
            stats["infeasible_because"] = reason
    else:
        proved_w = weight_ub is not None and weight >= weight_ub - 1e-6
        status = "optimal" if proved_w and breaks == breaks_lb else "feasible"
        if proved_w:
            weight_ub = weight
    return Result(
        status,
        slot_of,
        assign_tables(inst, slot_of),
        req_left,
        weight,
        breaks,
        weight_ub,
        breaks_lb,
        time.monotonic() - t0,
        stats,
    )
