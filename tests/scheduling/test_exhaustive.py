"""Small random instances: the optimiser's lexicographic objective equals the one found
by exhaustive search over every assignment, and the result says `optimal` (proved)."""

from __future__ import annotations

import itertools
import random

import pytest

from tests.scheduling.helpers import breaks, check, instance, meeting, run


def random_instance(seed: int) -> dict:
    rnd = random.Random(seed)
    n_slots = rnd.randint(2, 4)
    n_tables = rnd.randint(1, 3)
    n_parts = rnd.randint(3, 5)
    pids = [f"p{i}" for i in range(n_parts)]
    slots = [{"id": f"s{i}", "session": "am" if i < n_slots // 2 else "pm"} for i in range(n_slots)]
    parts = []
    for pid in pids:
        p = {"id": pid}
        if rnd.random() < 0.3:
            p["unavailable"] = [f"s{rnd.randrange(n_slots)}"]
        if rnd.random() < 0.2:
            p["max_meetings"] = rnd.randint(1, 2)
        if rnd.random() < 0.1:
            p["table"] = rnd.randint(1, n_tables)
        parts.append(p)
    meetings = []
    for k in range(rnd.randint(3, 6)):
        a, b = rnd.sample(pids, 2)
        m = meeting(f"m{k}", a, b, required=rnd.random() < 0.4, weight=float(rnd.randint(1, 5)))
        r = rnd.random()
        if r < 0.1:
            m["fixed_slot"] = f"s{rnd.randrange(n_slots)}"
        elif r < 0.2:
            m["sessions"] = [rnd.choice(["am", "pm"])]
        meetings.append(m)
    return instance(
        slots=slots,
        tables=n_tables,
        participants=parts,
        meetings=meetings,
        fairness=rnd.choice([None, None, 0, 1]),
    )


def brute_force(data: dict) -> tuple[int, float, int] | None:
    slots = [s["id"] for s in data["slots"]]
    session = {s["id"]: s["session"] for s in data["slots"]}
    parts = {p["id"]: p for p in data["participants"]}
    ms = data["meetings"]
    options = []
    for m in ms:
        opts = [None]
        for i, s in enumerate(slots):
            if m.get("fixed_slot") and m["fixed_slot"] != s:
                continue
            if m.get("sessions") and session[s] not in m["sessions"]:
                continue
            if any(s in (parts[p].get("unavailable") or []) for p in (m["a"], m["b"])):
                continue
            opts.append(i)
        options.append(opts)
    best = None
    for combo in itertools.product(*options):
        held = {p: [] for p in parts}
        per_slot: dict[int, list] = {}
        ok = True
        for m, s in zip(ms, combo):
            if s is None:
                continue
            for p in (m["a"], m["b"]):
                if s in held[p]:
                    ok = False
                held[p].append(s)
            per_slot.setdefault(s, []).append(m)
        if not ok:
            continue
        for p, h in held.items():
            mm = parts[p].get("max_meetings")
            if mm is not None and len(h) > mm:
                ok = False
        for group in per_slot.values():
            if len(group) > data["tables"]:
                ok = False
            bound = []
            for m in group:
                want = {
                    t
                    for t in (
                        m.get("fixed_table"),
                        parts[m["a"]].get("table"),
                        parts[m["b"]].get("table"),
                    )
                    if t is not None
                }
                if len(want) > 1:
                    ok = False
                bound += list(want)
            if len(bound) != len(set(bound)):
                ok = False
        if not ok:
            continue
        br = [breaks(h) for h in held.values()]
        if data.get("fairness") is not None and max(br) - min(br) > data["fairness"]:
            continue
        req_left = sum(1 for m, s in zip(ms, combo) if s is None and m["required"])
        weight = sum(m["weight"] for m, s in zip(ms, combo) if s is not None and not m["required"])
        key = (req_left, -weight, sum(br))
        if best is None or key < best:
            best = key
    return best


@pytest.mark.parametrize("seed", range(40))
def test_matches_exhaustive_search(seed):
    data = random_instance(seed)
    expected = brute_force(data)
    res = run(data, time_limit=5)
    check(data, res)
    obj = res["objective"]
    assert (obj["required_unscheduled"], -obj["weight"], obj["breaks"]) == expected
    if obj["required_unscheduled"]:
        assert res["status"] == "infeasible"
    else:
        assert res["status"] == "optimal"
    assert res["bounds"]["weight"] == pytest.approx(obj["weight"])
    assert res["bounds"]["breaks"] == obj["breaks"]
