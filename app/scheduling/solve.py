"""The optimiser: `solve(instance, time_limit) -> Result`.

Lexicographic objective: fewest required meetings left out, then largest optional
weight, then fewest breaks, under the hard rules (fairness included). Pipeline:

1. cheap proofs that the required meetings cannot all be placed (counting, matching);
2. construction: required meetings (hardest first), then the optional meetings that the
   b-matching / LP relaxation selects (heaviest first), then the others, each in the slot
   that adds the fewest breaks, with Kempe-chain and ejection repair when none is free;
3. local search on breaks (Kempe chains), re-insertion of left-out meetings;
4. on instances of real-event size, CP-SAT on the full model, phase by phase, started
   from the heuristic schedule: it proves infeasibility and the weight optimum; a
   prover (exact.BreaksProver: a zero-break model beside the run model) raises the lower
   bound on breaks and searches for schedules in a thread of its own, from the first
   valid schedule holding every required meeting, while the annealing improves the
   schedule on the other core; they stop when the two meet. Late in the time (once the
   zero-break question is settled), CP-SAT's large-neighbourhood search on the whole
   model takes over from the annealing, its full search from the prover's;
5. fairness is restored exactly if the search could not keep it.
"""

from __future__ import annotations

import math
import time
from typing import Any

from app.scheduling import bounds as bounds_mod
from app.scheduling.exact import BreaksProver, solve_exact
from app.scheduling.improve import anneal_breaks, insert_left_out, reduce_breaks
from app.scheduling.model import Instance, Result, breaks_of_mask
from app.scheduling.schedule import Schedule

EXACT_MAX_MEETINGS = 700  # CP-SAT on the whole model up to this size
EXACT_MAX_VARS = 20000


def solve(
    inst: Instance,
    time_limit: float | None = None,
    *,
    started: float | None = None,
    seed: int = 0,
    exact: bool | None = None,
) -> Result:
    t0 = started if started is not None else time.monotonic()
    limit = float(time_limit if time_limit is not None else inst.time_limit_s)
    # leave a margin for writing the result
    deadline = t0 + max(0.3, min(limit * 0.96, limit - 0.4))
    stats: dict[str, Any] = {}
    n_m = len(inst.meetings)
    required = [k for k, m in enumerate(inst.meetings) if m.required]
    weight_of = [0.0 if m.required else m.weight for m in inst.meetings]

    infeasible_reason = bounds_mod.required_infeasibility(inst)
    sch = Schedule(inst)

    # -- construction: required meetings, hardest first
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
    opt_sel = (
        _grouped_order(inst, [k for k in optional if k in selected])
        if GROUPED
        else sorted(
            (k for k in optional if k in selected),
            key=lambda k: (len(inst.allowed[k]), -weight_of[k]),
        )
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
        now + (deadline - now) * 0.3,
    )
    stats["selected_left_repair"] = sum(1 for k in opt_sel if sch.slot_of[k] < 0)
    opt_sel.sort(key=lambda k: -weight_of[k])
    for k in opt_rest:
        if sch.slot_of[k] < 0:
            sch.try_insert(k, chains=False, eject=False)
    stats["construction_s"] = round(time.monotonic() - t0, 3)

    # -- repair and local search
    insert_left_out(sch, [k for k in req_order if sch.slot_of[k] < 0], t0 + (deadline - t0) * 0.3)
    fair_cap = inst.fairness
    use_exact = exact if exact is not None else _exact_size(inst)
    prover: BreaksProver | None = None

    def start_prover() -> None:
        """Once every required meeting is placed and there is no optional weight, the
        first two objectives are settled: a lower bound on breaks is proved, and
        schedules searched, on the other core while the walk goes on. (The schedule it
        is offered counts once it is fair; the zero-break model needs none.)"""
        nonlocal prover
        if (
            prover is None
            and use_exact
            and not optional
            and all(sch.slot_of[k] >= 0 for k in required)
            and time.monotonic() < deadline - 1.0
        ):
            prover = BreaksProver(inst, required_floor=len(required), weight_floor=None, seed=seed)
            prover.offer(sch.slot_of)  # before it starts: its zero-break phase reads it
            prover.start(deadline)
        elif prover is not None:
            prover.offer(sch.slot_of)

    start_prover()
    now = time.monotonic()
    reduce_breaks(sch, now + (deadline - now) * 0.1, cap=fair_cap, seed=seed)
    start_prover()  # offers the improved schedule, a hint for the prover's search
    now = time.monotonic()
    insert_left_out(
        sch, [k for k in opt_sel + opt_rest if sch.slot_of[k] < 0], now + (deadline - now) * 0.2
    )
    insert_left_out(
        sch, [k for k in opt_rest if sch.slot_of[k] < 0], now + (deadline - now) * 0.25, kempe=False
    )

    hand_over_at = t0 + (deadline - t0) * HAND_OVER_SHARE

    def floor() -> float:
        """The proved lower bound; infinite once the walk should stop: the prover holds
        a schedule that meets it (the walk cannot do better), or the time has come to
        hand the search over to CP-SAT and the zero-break question is settled."""
        if prover is None:
            return 0
        if prover.closed or (time.monotonic() >= hand_over_at and not prover.zero_open):
            return math.inf
        return prover.lb

    start_prover()
    now = time.monotonic()
    sa_share = EXACT_SA_SHARE if use_exact else 0.97
    if use_exact and any(sch.slot_of[k] < 0 for k in required if inst.allowed[k]):
        sa_share = 0.2  # required meetings left out: CP-SAT's first phase matters more
    sa_end = now + (deadline - now) * sa_share
    # the walk: on event-sized instances at a constant temperature, stopped by the prover's
    # bound; on large ones cooled from LARGE_T0
    walk = (
        dict(temp_start=EVENT_T, temp_end=EVENT_T, compensate=EVENT_COMPENSATE, floor=floor)
        if use_exact
        else dict(temp_start=LARGE_T0)
    )
    max_iters = 2000 * max(1, n_m) if n_m < 100 else None
    if use_exact:
        # first part; if fairness still fails, leave the time to CP-SAT's proofs
        anneal_breaks(
            sch,
            now + (sa_end - now) * 0.4,
            cap=fair_cap,
            seed=seed + 1,
            max_iters=max_iters,
            **walk,
        )
        start_prover()
        if not _fair(sch, fair_cap):
            sa_end = time.monotonic()
        elif prover is not None:
            # The first two objectives are settled. A CP-SAT search started from the
            # annealed schedule did not improve it on any hard benchmark instance in 16 s:
            # the walk keeps the time, the prover the other core.
            sa_end = now + (deadline - now) * PROVER_SA_SHARE
    if prover is None or not prover.closed:
        anneal_breaks(sch, sa_end, cap=fair_cap, seed=seed + 2, max_iters=max_iters, **walk)
    enforce_fairness(sch, inst.fairness)

    slot_of = sch.copy_assignment()
    stats["heuristic"] = {"breaks": sch.total_breaks(), "s": round(time.monotonic() - t0, 2)}
    breaks_lb = 0
    proved_infeasible = infeasible_reason is not None
    n_now = sum(1 for k in required if slot_of[k] >= 0)
    weight_ub = wb.bound if n_now == n_req_placed else bounds_mod.weight_bound(inst, n_now).bound
    if use_exact and (prover is not None or time.monotonic() < deadline - 0.5):
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


GROUPED = False
EXACT_SA_SHARE = 0.4  # event-sized instances: annealing, then CP-SAT with its result as hint
PROVER_SA_SHARE = 0.93  # ... but when the prover runs (all required placed, no optional)
# ... unless the zero-break question is settled by then: from this share of the time, the
# last phase of `solve_exact` takes the prover's run model over with both workers, its
# large-neighbourhood searches improving the annealed schedule. Measured on the 21
# event-sized instances with a proved optimum, two runs each, the same day: 30 of 42 runs
# reach it, 29 without the hand-over (within the run-to-run variation), with higher
# proved bounds (event-forbidden-403: 4 in both runs, against 2 and 4). On 9 hard ones,
# 7 of 18 runs both ways; a variant that also stopped the walk at 70 % while the
# zero-break model still ran reached 10 of 18. Handing over at 50 % lost
# event-forbidden+fixed-411's optimum in both runs (the walk finds it, not the LNS). With
# the walk at a constant temperature (below), handing over at 80 % did no better on the 7
# hardest (event-forbidden-107: 13, 13, 13 against 12, 13, 13; shared-event-401: 4, 3, 4
# against 4, 3, 3).
HAND_OVER_SHARE = 0.7
# Event-sized instances: the annealing walks at a constant temperature. Cooled (from 0.6,
# then 0.3, to 0.03) it froze halfway: on four hard instances (20 s walks, 2-3 seeds) every
# improvement came between 5 and 10 s. At a constant 0.2 it keeps improving to the end:
# event-forbidden-107 11-13 breaks (cooled: 13-14), event-forbidden-403 4-5 (5-6), summed
# over the four and three seeds 65-66 against 72 for 0.35-0.15 and 78 for 0.15. Checked on
# four instances not used to choose it (event-forbidden+fixed-109 and -411, event-plain-408,
# event-nonbipartite-406; 20 s walks, three seeds): 45 breaks in all against 52 cooled.
# (All measured with the Python walk; the compiled one, `walk_jit`, makes ~20 times the
# moves, and these settings have not been re-tuned for it.)
EVENT_T = 0.2
EVENT_COMPENSATE = 4  # tries to find the meeting sent the other way (1: 68 vs 66 above)
LARGE_T0 = 0.5  # large instances (0.05 to 1.0 measured on the 2,000-participant bench: 0.5 best)


def _grouped_order(inst: Instance, ks: list[int]) -> list[int]:
    """Meetings grouped by participant (busiest first), so that each participant's
    meetings are placed one after another and its day stays compact; within a group,
    the meetings with fewest possible slots first."""
    deg: dict[int, int] = {}
    for k in ks:
        m = inst.meetings[k]
        deg[m.a] = deg.get(m.a, 0) + 1
        deg[m.b] = deg.get(m.b, 0) + 1
    owner = {}
    for k in ks:
        m = inst.meetings[k]
        owner[k] = m.a if (deg[m.a], -m.a) >= (deg[m.b], -m.b) else m.b
    return sorted(ks, key=lambda k: (-deg[owner[k]], owner[k], len(inst.allowed[k])))


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
        best: tuple[tuple[bool, int, bool, float], int] | None = None
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
        assert best is not None  # the worst participant has a break, so a meeting to remove
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
