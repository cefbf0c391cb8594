"""The breaks prover: CP-SAT searches in threads of their own that prove a lower bound on
breaks while the main search improves the schedule, and stop both once the bound meets
the best schedule."""

from __future__ import annotations

import time

from app.scheduling import parse_instance, solve
from app.scheduling.exact import BreaksProver, solve_exact
from tests.scheduling.helpers import check, instance, meeting


def forced_breaks_instance() -> dict:
    """Five slots; `hub` cannot meet in s1 or s3 and has three required meetings, so its
    meetings take s0, s2 and s4: two breaks whatever the schedule. Every other
    participant has one meeting (no break), and fairness 2 holds."""
    parts = [{"id": "hub", "unavailable": ["s1", "s3"]}] + [{"id": f"x{i}"} for i in range(3)]
    meetings = [meeting(f"m{i}", "hub", f"x{i}", required=True) for i in range(3)]
    return instance(slots=5, tables=2, participants=parts, meetings=meetings, fairness=2)


def test_prover_proves_forced_breaks_and_closes_on_the_offered_schedule():
    inst = parse_instance(forced_breaks_instance())
    prover = BreaksProver(inst, required_floor=3, weight_floor=None)
    prover.start(time.monotonic() + 20)
    prover.offer([0, 2, 4])  # m0 in s0, m1 in s2, m2 in s4: two breaks, valid
    prover.join()
    assert prover.lb == 2
    assert prover.closed


def test_prover_ignores_schedules_that_do_not_meet_its_floors():
    inst = parse_instance(forced_breaks_instance())
    prover = BreaksProver(inst, required_floor=3, weight_floor=None)
    prover.offer([0, -1, 4])  # a required meeting left out: not comparable
    assert prover.best == float("inf")
    prover.offer([0, 2, 4])
    assert prover.best == 2
    assert prover.slot_of == [0, 2, 4]  # kept: the caller falls back on it


def test_prover_rejects_unfair_schedules():
    # a has meetings in s0 and s3 (one break) in the offered schedule; fairness 0 forbids
    # it, since the other participants have none
    data = instance(
        slots=4,
        tables=2,
        meetings=[meeting("m0", "a", "b", required=True), meeting("m1", "a", "c", required=True)],
        fairness=0,
    )
    inst = parse_instance(data)
    prover = BreaksProver(inst, required_floor=2, weight_floor=None)
    prover.offer([0, 3])
    assert prover.best == float("inf")
    prover.offer([1, 2])
    assert prover.best == 0


def test_solve_reports_the_forced_breaks_as_proved_optimal():
    data = forced_breaks_instance()
    res = solve(parse_instance(data), 10.0).to_json(parse_instance(data))
    check(data, res)
    assert res["status"] == "optimal"
    assert res["objective"]["breaks"] == 2
    assert res["bounds"]["breaks"] == 2


def test_solve_proves_a_break_that_only_the_tables_force():
    """One table and a locked meeting in s1: `hub`'s three meetings must take s0, s2 and
    s3, one break, although `hub` alone could meet in three slots in a row. The optimum
    needs the prover, not a per-participant count."""
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
    data = instance(slots=4, tables=1, participants=parts, meetings=meetings, fairness=None)
    inst = parse_instance(data)
    res = solve(inst, 10.0).to_json(inst)
    check(data, res)
    assert res["objective"]["required_unscheduled"] == 0
    assert res["status"] == "optimal"
    assert res["bounds"]["breaks"] == res["objective"]["breaks"]


def test_the_last_phase_takes_the_provers_place_and_gives_it_the_bound():
    """With the prover's floors, phase 3 of `solve_exact` is the prover's search: the
    bound it proves (hub's two forced breaks) becomes the prover's, though the prover's
    own threads never ran."""
    inst = parse_instance(forced_breaks_instance())
    prover = BreaksProver(inst, required_floor=3, weight_floor=None)
    prover.offer([0, 2, 4])
    assert prover.lb == 0
    out = solve_exact(inst, [0, 2, 4], time.monotonic() + 60, prover=prover)
    assert prover.lb == 2 and prover.closed
    assert out.breaks_bound == 2
    assert sorted(out.slot_of) == [0, 2, 4]


def test_a_prover_handed_over_to_the_last_phase_stops_its_thread():
    """A running prover hands its run model over to phase 3: its thread ends, long
    before the deadline, and the schedule and bound are the optimum. Start: hub meets
    in s0, s2 and s4 (two breaks); three slots in a row have none."""
    parts = [{"id": "hub"}] + [{"id": f"x{i}"} for i in range(3)]
    meetings = [meeting(f"m{i}", "hub", f"x{i}", required=True) for i in range(3)]
    inst = parse_instance(
        instance(slots=6, tables=2, participants=parts, meetings=meetings, fairness=None)
    )
    prover = BreaksProver(inst, required_floor=3, weight_floor=None)
    prover.offer([0, 2, 4])
    prover.start(time.monotonic() + 60, zero_share=0)  # the run model alone
    t0 = time.monotonic()
    out = solve_exact(inst, [0, 2, 4], time.monotonic() + 60, prover=prover)
    assert time.monotonic() - t0 < 30  # stopped on the proof, not at the deadline
    assert not prover._thread.is_alive()
    slots = sorted(out.slot_of)
    assert slots[2] - slots[0] == 2  # three slots in a row
    assert out.breaks_bound == 0
    assert prover.lb == 0 and prover.closed
