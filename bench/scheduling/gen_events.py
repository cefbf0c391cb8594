"""Seeded generator of real-event-sized instances (the B2B meeting scheduling problem of
Bofill et al., JAIR 74, 2022): 40-80 participants, 120-300 meetings, 8-22 slots, every
meeting required, fairness 2; variants with forbidden slots (people away part of the day),
fixed (locked) meetings, non-bipartite events (providers meeting providers), and tight
ones that may be infeasible.

Meetings are drawn together with a hidden slot, so the instance is placeable (ignoring
fairness) unless the `overload` variant adds meetings on top.

    python bench/scheduling/gen_events.py OUT.json --seed 3 [--forbidden] [--fixed]
        [--nonbipartite] [--overload]
"""

from __future__ import annotations

import argparse
import json
import random


def generate(
    seed: int,
    *,
    forbidden: bool = False,
    fixed: bool = False,
    nonbipartite: bool = False,
    overload: bool = False,
) -> dict:
    rnd = random.Random(seed)
    n_slots = rnd.randint(8, 22)
    n_parts = rnd.randint(40, 80)
    target = rnd.randint(120, 300)
    target = min(target, n_parts * n_slots * 2 // 5)  # keeps degrees below the slot count
    n_days = 2 if n_slots >= 16 and rnd.random() < 0.5 else 1
    per_day = (n_slots + n_days - 1) // n_days
    slots = []
    for j in range(n_slots):
        d, k = divmod(j, per_day)
        label = (
            ("am" if k < per_day // 2 else "pm")
            if n_days == 1
            else f"d{d + 1}-{'am' if k < per_day // 2 else 'pm'}"
        )
        slots.append({"id": f"s{j:02d}", "session": label})
    n_clients = n_parts * rnd.randint(35, 55) // 100
    pids = [f"c{i:02d}" if i < n_clients else f"p{i:02d}" for i in range(n_parts)]
    clients, providers = pids[:n_clients], pids[n_clients:]
    unavailable: dict[str, set[int]] = {p: set() for p in pids}
    if forbidden:
        for p in pids:
            r = rnd.random()
            if r < 0.15:  # away half the event
                half = n_slots // 2
                away = range(half) if rnd.random() < 0.5 else range(half, n_slots)
                unavailable[p] = set(away)
            elif r < 0.35:  # a few forbidden slots
                k = rnd.randint(1, max(1, n_slots // 5))
                unavailable[p] = set(rnd.sample(range(n_slots), k=k))
    tables = max(4, -(-target // n_slots) + rnd.randint(0, 4))
    busy: dict[str, set[int]] = {p: set() for p in pids}
    load = [0] * n_slots
    popularity = {p: rnd.paretovariate(1.5) for p in pids}
    pairs: set[tuple[str, str]] = set()
    meetings = []
    hidden = {}
    tries = 0
    while len(meetings) < target and tries < 200 * target:
        tries += 1
        a = rnd.choice(clients)
        pool = providers if not (nonbipartite and rnd.random() < 0.2) else providers
        b = rnd.choices(pool, weights=[popularity[q] for q in pool])[0]
        if nonbipartite and rnd.random() < 0.25:  # provider meets provider
            a = rnd.choice(providers)
        if a == b or (a, b) in pairs or (b, a) in pairs:
            continue
        free = [
            s
            for s in range(n_slots)
            if s not in busy[a]
            and s not in busy[b]
            and s not in unavailable[a]
            and s not in unavailable[b]
            and load[s] < tables
        ]
        if not free:
            continue
        s = rnd.choice(free)
        busy[a].add(s)
        busy[b].add(s)
        load[s] += 1
        pairs.add((a, b))
        mid = f"m{len(meetings):03d}"
        hidden[mid] = s
        meetings.append({"id": mid, "a": a, "b": b, "required": True, "weight": 1.0})
    if fixed:
        for m in rnd.sample(meetings, k=max(1, len(meetings) // 15)):
            m["fixed_slot"] = slots[hidden[m["id"]]]["id"]
    if overload:  # a few meetings on top of a full hidden schedule: may not fit any more
        extra = max(2, len(meetings) // 20)
        for _ in range(extra * 20):
            if extra == 0:
                break
            a, b = rnd.sample(pids, 2)
            if (a, b) in pairs or (b, a) in pairs or (not nonbipartite and a[0] == b[0]):
                continue
            pairs.add((a, b))
            meetings.append(
                {"id": f"m{len(meetings):03d}", "a": a, "b": b, "required": True, "weight": 1.0}
            )
            extra -= 1
    used = {m["a"] for m in meetings} | {m["b"] for m in meetings}
    participants = [
        {
            "id": p,
            "side": "client" if p[0] == "c" else "provider",
            "unavailable": [slots[s]["id"] for s in sorted(unavailable[p])],
        }
        for p in pids
        if p in used
    ]
    return {
        "format": "euroffshore-schedule/1",
        "slots": slots,
        "tables": tables,
        "fairness": 2,
        "participants": participants,
        "meetings": meetings,
        "time_limit_s": 30,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--forbidden", action="store_true")
    ap.add_argument("--fixed", action="store_true")
    ap.add_argument("--nonbipartite", action="store_true")
    ap.add_argument("--overload", action="store_true")
    a = ap.parse_args()
    data = generate(
        a.seed,
        forbidden=a.forbidden,
        fixed=a.fixed,
        nonbipartite=a.nonbipartite,
        overload=a.overload,
    )
    with open(a.out, "w") as fh:
        json.dump(data, fh)


if __name__ == "__main__":
    main()
