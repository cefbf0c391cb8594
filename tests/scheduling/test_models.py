"""The CP-SAT models of `app.scheduling.exact`: the run model counts every participant's
breaks exactly (fairness reads them both ways), and the zero-break model finds a
schedule without breaks where one exists and proves it impossible where not."""

from __future__ import annotations

import random
import time

import pytest
from ortools.sat.python import cp_model

from app.scheduling import parse_instance, solve
from app.scheduling.exact import BreaksProver, _blocks, _Model, zero_breaks_model
from app.scheduling.model import breaks_of_mask
from tests.scheduling.helpers import check, instance, meeting


def test_blocks_are_the_maximal_runs_of_a_mask():
    assert _blocks(0) == []
    assert _blocks(0b1) == [(0, 0)]
    assert _blocks(0b0110_1101) == [(0, 0), (2, 3), (5, 6)]
    for mask in range(1, 1 << 9):
        blocks = _blocks(mask)
        assert sum(1 << s for a, b in blocks for s in range(a, b + 1)) == mask
        assert len(blocks) - 1 == breaks_of_mask(mask)


def random_event(seed: int) -> dict:
    """Seven slots, a few busy participants: schedules with zero to three breaks each."""
    rnd = random.Random(seed)
    pids = [f"p{i}" for i in range(6)]
    parts = [
        {"id": p, **({"unavailable": [f"s{rnd.randrange(7)}"]} if rnd.random() < 0.3 else {})}
        for p in pids
    ]
    pairs = rnd.sample([(a, b) for i, a in enumerate(pids) for b in pids[i + 1 :]], 11)
    meetings = [
        meeting(f"m{k}", a, b, required=rnd.random() < 0.5, weight=1.0)
        for k, (a, b) in enumerate(pairs)
    ]
    return instance(slots=7, tables=3, participants=parts, meetings=meetings)


@pytest.mark.parametrize("seed", range(6))
def test_run_model_counts_each_participants_breaks_exactly(seed):
    """With the meetings fixed to a schedule, each participant's breaks variable can take
    one value only, the true one: neither more nor fewer blocks than it has."""
    inst = parse_instance(random_event(seed))
    res = solve(inst, 1.0, exact=False, seed=seed)
    slot_of = list(res.slot_of)
    masks = [0] * len(inst.participants)
    for m, s in zip(inst.meetings, slot_of):
        if s >= 0:
            masks[m.a] |= 1 << s
            masks[m.b] |= 1 << s
    checked = 0
    for p, true in enumerate(breaks_of_mask(x) for x in masks):
        mdl = _Model(inst)
        for (k, s), v in mdl.x.items():
            mdl.model.add(v == (slot_of[k] == s))
        br = mdl.breaks[p]
        if isinstance(br, int):
            assert br == true == 0
            continue
        for sense in (mdl.model.minimize, mdl.model.maximize):
            sense(br)
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            assert solver.solve(mdl.model) == cp_model.OPTIMAL
            assert solver.value(br) == true
        checked += 1
    assert checked >= 3


def chain_instance(unavailable_b: list[str]) -> dict:
    """a meets b, c, d; b meets e. Four slots, one table for a's meetings' slots: a
    schedule without breaks puts a's three meetings in three consecutive slots and
    b's two side by side."""
    parts = [
        {"id": "a"},
        {"id": "b", "unavailable": unavailable_b},
        {"id": "c"},
        {"id": "d"},
        {"id": "e"},
    ]
    meetings = [
        meeting("m0", "a", "b", required=True),
        meeting("m1", "a", "c", required=True),
        meeting("m2", "a", "d", required=True),
        meeting("m3", "b", "e", required=True),
    ]
    return instance(slots=4, tables=2, participants=parts, meetings=meetings, fairness=None)


def test_zero_breaks_model_finds_a_schedule_without_breaks():
    inst = parse_instance(chain_instance([]))
    built = zero_breaks_model(inst, [True] * 4)
    assert built is not None
    md, x = built
    solver = cp_model.CpSolver()
    assert solver.solve(md) == cp_model.OPTIMAL
    slot_of = [
        next(s for (k2, s), v in x.items() if k2 == k and solver.boolean_value(v)) for k in range(4)
    ]
    masks = [0] * 5
    for m, s in zip(inst.meetings, slot_of):
        masks[m.a] |= 1 << s
        masks[m.b] |= 1 << s
    assert all(breaks_of_mask(mk) == 0 for mk in masks)
    assert len(set(slot_of[:3])) == 3  # a meets once per slot


def test_prover_turns_a_schedule_with_a_break_into_one_without():
    inst = parse_instance(chain_instance([]))
    prover = BreaksProver(inst, required_floor=4, weight_floor=None)
    prover.offer([0, 1, 3, 1])  # a in s0, s1, s3: one break; b in s0, s1
    assert prover.best == 1
    prover.start(time.monotonic() + 10)
    prover.join()
    assert prover.best == 0 and prover.lb == 0 and prover.closed


def test_zero_breaks_impossible_raises_the_bound():
    """b cannot meet in s1 or s2: b's two meetings cannot be side by side, so some
    participant has a break in every schedule. The zero-break model says so, and the
    prover's bound rises to 1 (then the run model proves it optimal)."""
    inst = parse_instance(chain_instance(["s1", "s2"]))
    built = zero_breaks_model(inst, [True] * 4)
    assert built is None  # b has no window of two consecutive slots
    prover = BreaksProver(inst, required_floor=4, weight_floor=None)
    prover.offer([0, 1, 2, 3])  # a in s0-s2, b in s0 and s3: one break
    prover.start(time.monotonic() + 10)
    prover.join()
    assert prover.lb == 1 and prover.best == 1


def test_zero_breaks_model_proves_a_table_conflict():
    """Every participant has a window, but one table and a locked meeting in s1 leave
    `hub` no three consecutive slots: the model is infeasible, not merely unsolved."""
    parts = [
        {"id": "hub"},
        {"id": "x0", "unavailable": ["s1"]},
        {"id": "x1", "unavailable": ["s2"]},
        {"id": "x2"},
        {"id": "y"},
        {"id": "z"},
    ]
    meetings = [meeting(f"m{i}", "hub", f"x{i}", required=True) for i in range(3)]
    meetings += [meeting("m3", "y", "z", required=True, fixed_slot="s1")]
    inst = parse_instance(instance(slots=4, tables=1, participants=parts, meetings=meetings))
    built = zero_breaks_model(inst, [True] * 4)
    assert built is not None
    solver = cp_model.CpSolver()
    assert solver.solve(built[0]) == cp_model.INFEASIBLE


def test_unfair_required_meetings_leave_one_out_with_a_sound_bound():
    """`hub` cannot meet in s1, so its two required meetings take s0 and s2: one break,
    while `u` and `v` (one required meeting together) have none. Fairness 0 cannot hold
    with every meeting placed. The prover starts on the unfair schedule (its problem,
    every meeting held, has no fair schedule at all); the result still leaves exactly one
    meeting out, says so with a proof, and stays valid with no breaks."""
    parts = [
        {"id": "hub", "unavailable": ["s1"]},
        {"id": "x0"},
        {"id": "x1"},
        {"id": "u"},
        {"id": "v"},
    ]
    meetings = [
        meeting("m0", "hub", "x0", required=True),
        meeting("m1", "hub", "x1", required=True),
        meeting("m2", "u", "v", required=True),
    ]
    data = instance(slots=3, tables=2, participants=parts, meetings=meetings, fairness=0)
    inst = parse_instance(data)
    res = solve(inst, 6.0).to_json(inst)
    check(data, res)
    assert res["objective"]["required_unscheduled"] == 1
    assert res["status"] == "infeasible"
    assert res["objective"]["breaks"] == 0
    assert res["bounds"]["breaks"] == 0
