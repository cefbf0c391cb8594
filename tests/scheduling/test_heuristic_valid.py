"""The heuristic path (construction, Kempe repair, annealing with compound moves) keeps
every rule on random instances with booths, fixed tables, full slots and absences."""
from __future__ import annotations

import json
import random

import pytest

from app.scheduling import parse_instance, solve
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
    return instance(slots=slots, tables=n_tables, participants=parts, meetings=meetings,
                    fairness=rnd.choice([None, 1, 2]))


@pytest.mark.parametrize("seed", range(12))
def test_heuristic_results_are_valid(seed):
    data = random_medium(seed)
    inst = parse_instance(json.loads(json.dumps(data)))
    res = solve(inst, 1.0, exact=False).to_json(inst)
    check(data, res)
