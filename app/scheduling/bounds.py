"""Proved bounds: an upper bound on the optional weight, and cheap proofs that the
required meetings cannot all be placed.

Weight bound: drop the slots and keep, for each participant, "at most as many meetings
as it has free slots (and max_meetings)", and for the event "at most sum over slots of
min(tables, available participants / 2)". On a bipartite meeting graph that relaxation
is a maximum-weight b-matching, solved exactly as a min-cost flow whose value is also the
LP optimum; on any other graph its LP relaxation (fractional b-matching, GLOP) is used.
Both are upper bounds on any schedule's weight, and the flow also gives a selection of
meetings that the construction tries to place first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ortools.graph.python import max_flow, min_cost_flow
from ortools.linear_solver import pywraplp

from app.scheduling.model import Instance


@dataclass
class WeightBound:
    bound: float  # proved upper bound on optional weight
    selected: list[int]  # optional meetings chosen by the relaxation (a hint)
    method: str


def bipartite_sides(inst: Instance) -> list[int] | None:
    """A 2-colouring of the meeting graph (0/1 per participant), or None if it has an
    odd cycle."""
    n = len(inst.participants)
    adj: list[list[int]] = [[] for _ in range(n)]
    for k, m in enumerate(inst.meetings):
        if inst.allowed[k]:
            adj[m.a].append(m.b)
            adj[m.b].append(m.a)
    side = [-1] * n
    for r in range(n):
        if side[r] >= 0:
            continue
        side[r] = 0
        stack = [r]
        while stack:
            v = stack.pop()
            for w in adj[v]:
                if side[w] < 0:
                    side[w] = 1 - side[v]
                    stack.append(w)
                elif side[w] == side[v]:
                    return None
    return side


def event_capacity(inst: Instance) -> int:
    """Most meetings the event can hold: per slot, tables and available pairs."""
    n_p = len(inst.participants)
    total = 0
    for s in range(inst.n_slots):
        avail = n_p - sum(1 for p in inst.participants if s in p.unavailable)
        total += min(inst.tables, avail // 2)
    return total


def _scale(weights: list[float]) -> int:
    for sc in (1, 10, 100, 1000):
        if all(abs(w * sc - round(w * sc)) < 1e-9 for w in weights):
            return sc
    return 10**6


def weight_bound(inst: Instance, required_placed: int | None = None) -> WeightBound:
    """Upper bound on the optional weight of any schedule that places `required_placed`
    required meetings or more (None: any number).

    The relaxation first maximises the number of required meetings (a large bonus per
    required meeting), then the weight. If it cannot place more required meetings than
    `required_placed`, its weight bounds every schedule placing that many; otherwise the
    relaxation without required meetings (which only frees capacity) is used. On a
    non-bipartite graph the LP takes "at least `required_placed`" as a constraint."""
    cap = [inst.capacity(p) for p in range(len(inst.participants))]
    total = event_capacity(inst)
    possible = [k for k, m in enumerate(inst.meetings) if inst.allowed[k]]
    optional = [k for k in possible if not inst.meetings[k].required]
    required = [k for k in possible if inst.meetings[k].required] if required_placed else []
    if not optional or total == 0:
        return WeightBound(0.0, [], "empty")
    side = bipartite_sides(inst)
    if side is not None:
        wb, n_req = _flow_bound(inst, optional, required, cap, total, side)
        if required and required_placed is not None and n_req > required_placed:
            wb, _ = _flow_bound(inst, optional, [], cap, total, side)
        return wb
    return _lp_bound(inst, optional, required, required_placed or 0, cap, total)


def _flow_bound(
    inst: Instance,
    optional: list[int],
    required: list[int],
    cap: list[int],
    total: int,
    side: list[int],
) -> tuple[WeightBound, int]:
    n_p = len(inst.participants)
    src, sink = n_p, n_p + 1
    weights = [inst.meetings[k].weight for k in optional]
    sc = _scale(weights)
    costs_w = [math.ceil(w * sc - 1e-9) for w in weights]
    big = sum(costs_w) + 1
    f = min_cost_flow.SimpleMinCostFlow()
    tails, heads, caps, costs = [], [], [], []
    for p in range(n_p):
        if cap[p] <= 0:
            continue
        if side[p] == 0:
            tails.append(src)
            heads.append(p)
        else:
            tails.append(p)
            heads.append(sink)
        caps.append(cap[p])
        costs.append(0)
    first_meeting_arc = len(tails)
    for k, c in zip(optional + required, costs_w + [big] * len(required)):
        m = inst.meetings[k]
        a, b = (m.a, m.b) if side[m.a] == 0 else (m.b, m.a)
        tails.append(a)
        heads.append(b)
        caps.append(1)
        costs.append(-c)
    tails.append(src)
    heads.append(sink)
    caps.append(total)
    costs.append(0)
    f.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    f.set_node_supply(src, total)
    f.set_node_supply(sink, -total)
    status = f.solve()
    if status != f.OPTIMAL:  # should not happen: the bypass arc makes it feasible
        return WeightBound(sum(weights), [], "sum"), len(required)
    selected = [k for j, k in enumerate(optional) if f.flow(first_meeting_arc + j) > 0]
    n_req = sum(
        1 for j in range(len(required)) if f.flow(first_meeting_arc + len(optional) + j) > 0
    )
    bound = (-f.optimal_cost() - big * n_req) / sc
    if sc != 1:
        bound += 1e-6
    return WeightBound(bound, selected, "b-matching (min-cost flow)"), n_req


def _lp_bound(
    inst: Instance,
    optional: list[int],
    required: list[int],
    required_placed: int,
    cap: list[int],
    total: int,
) -> WeightBound:
    solver = pywraplp.Solver.CreateSolver("GLOP")
    xs = [solver.NumVar(0.0, 1.0, "") for _ in optional]
    ys = [solver.NumVar(0.0, 1.0, "") for _ in required]
    rows: dict[int, list[Any]] = {}
    for x, k in zip(xs + ys, optional + required):
        m = inst.meetings[k]
        rows.setdefault(m.a, []).append(x)
        rows.setdefault(m.b, []).append(x)
    for p, vs in rows.items():
        solver.Add(sum(vs) <= cap[p])
    solver.Add(sum(xs) + sum(ys) <= total)
    if ys:
        solver.Add(sum(ys) >= required_placed)
    solver.Maximize(sum(inst.meetings[k].weight * x for x, k in zip(xs, optional)))
    status = solver.Solve()
    weights = [inst.meetings[k].weight for k in optional]
    if status != pywraplp.Solver.OPTIMAL:
        return WeightBound(sum(weights), [], "sum")
    # GLOP is exact up to its tolerance: pad the bound by more than that tolerance.
    val = solver.Objective().Value()
    bound = val * (1 + 1e-7) + 1e-6
    order = sorted(range(len(optional)), key=lambda j: -xs[j].solution_value())
    selected = [optional[j] for j in order if xs[j].solution_value() > 0.5]
    return WeightBound(min(bound, sum(weights)), selected, "fractional b-matching (LP)")


def required_infeasibility(inst: Instance) -> str | None:
    """A short proof that the required meetings cannot all be placed, or None."""
    req = [k for k, m in enumerate(inst.meetings) if m.required]
    if not req:
        return None
    for k in req:
        if not inst.allowed[k]:
            return f"required meeting {inst.meetings[k].id} has no possible slot"
    if len(req) > inst.tables * inst.n_slots:
        return "more required meetings than tables x slots"
    per: dict[int, list[int]] = {}
    for k in req:
        m = inst.meetings[k]
        per.setdefault(m.a, []).append(k)
        per.setdefault(m.b, []).append(k)
    for p, ks in per.items():
        part = inst.participants[p]
        if part.max_meetings is not None and len(ks) > part.max_meetings:
            return f"{part.id} has {len(ks)} required meetings > max_meetings {part.max_meetings}"
        if _matching_size([inst.allowed[k] for k in ks]) < len(ks):
            return f"{part.id}'s required meetings do not fit in its possible slots"
    # meetings -> slots with `tables` places each (and distinct bound tables)
    n_s = inst.n_slots
    f = max_flow.SimpleMaxFlow()
    src, sink = 0, 1
    node_slot = lambda s: 2 + s  # noqa: E731
    base = 2 + n_s
    bound_nodes: dict[tuple[int, int], int] = {}
    nxt = base + len(req)
    for j, k in enumerate(req):
        f.add_arc_with_capacity(src, base + j, 1)
        t = inst.table_of[k]
        for s in inst.allowed[k]:
            if t:
                key = (s, t)
                if key not in bound_nodes:
                    bound_nodes[key] = nxt
                    f.add_arc_with_capacity(nxt, node_slot(s), 1)
                    nxt += 1
                f.add_arc_with_capacity(base + j, bound_nodes[key], 1)
            else:
                f.add_arc_with_capacity(base + j, node_slot(s), 1)
    for s in range(n_s):
        f.add_arc_with_capacity(node_slot(s), sink, inst.tables)
    if f.solve(src, sink) == f.OPTIMAL and f.optimal_flow() < len(req):
        return "the required meetings do not fit in the tables of their possible slots"
    return None


def _matching_size(options: list[tuple[int, ...]]) -> int:
    """Maximum bipartite matching of items to slots (augmenting paths; tiny inputs)."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for s in options[i]:
            if s in seen:
                continue
            seen.add(s)
            if s not in owner or augment(owner[s], seen):
                owner[s] = i
                return True
        return False

    return sum(1 for i in range(len(options)) if augment(i, set()))
