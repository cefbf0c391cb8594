"""The heuristic path (construction, Kempe repair, annealing with compound moves) keeps
every rule on random instances with booths, fixed tables, full slots and absences."""

from __future__ import annotations

import json
import random
import time

import pytest

from app.scheduling import improve, parse_instance, solve
from app.scheduling.improve import anneal_breaks
from app.scheduling.schedule import Schedule
from app.scheduling.solve import _result
from tests.scheduling.helpers import check, instance, meeting


def random_medium(seed: int) -> dict:
    rnd = random.Random(seed)
    n_slots, n_tables = rnd.randint(4, 10), rnd.randint(2, 6)
    pids = [f"p{i}" for i in range(rnd.randint(8, 20))]
    slots = [{"id": f"s{i}", "session": "am" if i < n_slots // 2 else "pm"} for i in range(n_slots)]
    parts = []
    for pid in pids:
        p = {"id": pid}
        if rnd.random() < 0.3:
            p["unavailable"] = [f"s{i}" for i in rnd.sample(range(n_slots), k=rnd.randint(1, 3))]
        if rnd.random() < 0.15:
            p["table"] = rnd.randint(1, n_tables)
        if rnd.random() < 0.2:
            p["max_meetings"] = rnd.randint(1, n_slots)
        parts.append(p)
    meetings = []
    for k in range(rnd.randint(15, 60)):
        a, b = rnd.sample(pids, 2)
        m = meeting(f"m{k}", a, b, required=rnd.random() < 0.3, weight=float(rnd.randint(1, 9)))
        r = rnd.random()
        if r < 0.05:
            m["fixed_slot"] = f"s{rnd.randrange(n_slots)}"
        elif r < 0.1:
            m["fixed_table"] = rnd.randint(1, n_tables)
        elif r < 0.15:
            m["sessions"] = ["pm"]
        meetings.append(m)
    return instance(
        slots=slots,
        tables=n_tables,
        participants=parts,
        meetings=meetings,
        fairness=rnd.choice([None, 1, 2]),
    )


@pytest.mark.parametrize("seed", range(12))
def test_heuristic_results_are_valid(seed):
    data = random_medium(seed)
    inst = parse_instance(json.loads(json.dumps(data)))
    res = solve(inst, 1.0, exact=False).to_json(inst)
    check(data, res)


@pytest.mark.parametrize("seed", range(12, 18))
def test_event_path_walk_keeps_every_rule(seed):
    """The event-sized path: the walk at a constant temperature, sending meetings out of
    full slots (several tried), then CP-SAT; every rule holds on slots kept full."""
    data = random_medium(seed)
    data["tables"] = 2  # slots fill up: compound moves are needed
    for x in data["participants"] + data["meetings"]:
        for key in ("table", "fixed_table"):
            if x.get(key, 0) > 2:
                x[key] = 2
    inst = parse_instance(json.loads(json.dumps(data)))
    res = solve(inst, 1.5, exact=True).to_json(inst)
    check(data, res)


@pytest.mark.parametrize("compiled", [True, False])
def test_constant_temperature_walk_reduces_breaks_in_full_slots(compiled):
    """The walk used on event-sized instances, alone: from a random schedule whose slots
    are all full (a move that changes a slot's count must send a meeting the other way), it
    leaves a valid one with fewer breaks. Both the compiled walk and the Python one."""
    assert improve.walk_jit is not None  # numba is a dependency: the compiled walk runs
    rnd = random.Random(5)
    n_slots, tables = 8, 6
    pids = [f"p{i}" for i in range(24)]
    # a hidden schedule with every slot full: 6 meetings per slot, 48 meetings
    meetings, pairs, hidden = [], set(), []
    for s in range(n_slots):
        free = pids[:]
        rnd.shuffle(free)
        placed = 0
        while placed < tables and len(free) >= 2:
            a, b = free.pop(), free.pop()
            if (a, b) in pairs or (b, a) in pairs:
                continue
            pairs.add((a, b))
            meetings.append(meeting(f"m{len(meetings)}", a, b))
            hidden.append(s)
            placed += 1
    data = instance(slots=n_slots, tables=tables, meetings=meetings)
    inst = parse_instance(json.loads(json.dumps(data)))
    assert len(meetings) == n_slots * tables
    sch = Schedule(inst)
    sch.load(hidden)  # random days, every slot full
    before = sch.total_breaks()
    anneal_breaks(
        sch,
        time.monotonic() + 5,
        seed=1,
        temp_start=0.2,
        temp_end=0.2,
        compensate=4,
        max_iters=200_000,
        compiled=compiled,
    )
    assert all(c <= tables for c in sch.count)
    assert all(s >= 0 for s in sch.slot_of)
    assert sch.total_breaks() < before
    check(
        data,
        _result(inst, sch.copy_assignment(), None, 0, False, time.monotonic(), {}, None).to_json(
            inst
        ),
    )


def true_cost(sch: Schedule, cap: int | None, penalty: int = 4) -> int:
    """What the walk minimises: breaks, plus `penalty` per break over the fairness cap."""
    total = 0
    for p in range(len(sch.mask)):
        b = sch.breaks(p)
        total += b + (penalty * (b - cap) if cap is not None and b > cap else 0)
    return total


@pytest.mark.parametrize("seed", range(18, 30))
def test_compiled_and_python_walks_keep_every_rule(seed):
    """From the same constructed schedule (booths, fixed slots and tables, unavailability,
    sessions, max_meetings, fairness), both walks leave a valid schedule holding the same
    meetings, fixed ones in place, no worse than the start, and return its true cost."""
    data = random_medium(seed)
    inst = parse_instance(json.loads(json.dumps(data)))
    start = Schedule(inst)
    for k in sorted(range(len(inst.meetings)), key=lambda k: inst.meetings[k].fixed_slot is None):
        start.try_insert(k)
    held = [s >= 0 for s in start.slot_of]
    before = true_cost(start, inst.fairness)
    for compiled in (True, False):
        sch = Schedule(inst)
        sch.load(start.copy_assignment())
        got = anneal_breaks(
            sch,
            time.monotonic() + 5,
            cap=inst.fairness,
            seed=seed,
            temp_start=0.2,
            temp_end=0.2,
            compensate=4,
            max_iters=30_000,
            compiled=compiled,
        )
        assert got == true_cost(sch, inst.fairness) <= before
        assert [s >= 0 for s in sch.slot_of] == held
        for k, m in enumerate(inst.meetings):
            if m.fixed_slot is not None and held[k]:
                assert sch.slot_of[k] == m.fixed_slot
        check(
            data,
            _result(
                inst, sch.copy_assignment(), None, 0, False, time.monotonic(), {}, None
            ).to_json(inst),
        )
