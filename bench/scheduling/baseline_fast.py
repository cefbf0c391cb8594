"""The first-come first-served baseline of ../shared/tools/greedy_baseline.py (--order
weight), line for line, except the final count of required meetings left out, which the
shared script does in quadratic time (13 minutes on the 40,000-meeting instance). The
assignments are the same; `run.py --check-baseline` compares both on an instance."""

from __future__ import annotations

from collections import defaultdict


def solve(inst: dict, order: str = "weight") -> dict:
    slots = [s["id"] for s in inst["slots"]]
    session = {s["id"]: s.get("session") for s in inst["slots"]}
    parts = {p["id"]: p for p in inst["participants"]}
    unav = {pid: set(p.get("unavailable") or []) for pid, p in parts.items()}
    left = {
        pid: (p.get("max_meetings") if p.get("max_meetings") is not None else 10**9)
        for pid, p in parts.items()
    }
    busy = defaultdict(set)
    used = defaultdict(set)
    ms = list(inst["meetings"])
    if order == "weight":
        ms.sort(key=lambda m: (not m.get("required"), -float(m.get("weight", 1))))
    else:
        ms.sort(key=lambda m: not m.get("required"))
    out, uns = [], []
    for m in ms:
        a, b = m["a"], m["b"]
        cands = [m["fixed_slot"]] if m.get("fixed_slot") else slots
        placed = False
        if left[a] > 0 and left[b] > 0:
            for s in cands:
                if m.get("sessions") and session[s] not in m["sessions"]:
                    continue
                if s in unav[a] or s in unav[b] or s in busy[a] or s in busy[b]:
                    continue
                want = {
                    t
                    for t in (m.get("fixed_table"), parts[a].get("table"), parts[b].get("table"))
                    if t is not None
                }
                if len(want) > 1:
                    break
                free = (
                    sorted(want - used[s])
                    if want
                    else [t for t in range(1, inst["tables"] + 1) if t not in used[s]][:1]
                )
                if not free:
                    continue
                used[s].add(free[0])
                busy[a].add(s)
                busy[b].add(s)
                left[a] -= 1
                left[b] -= 1
                out.append({"meeting": m["id"], "slot": s, "table": free[0]})
                placed = True
                break
        if not placed:
            uns.append(m["id"])
    mm = {m["id"]: m for m in ms}
    req_left = sum(1 for mid in uns if mm[mid].get("required"))
    held = defaultdict(list)
    pos = {s: i for i, s in enumerate(slots)}
    for x in out:
        for p in (mm[x["meeting"]]["a"], mm[x["meeting"]]["b"]):
            held[p].append(pos[x["slot"]])
    breaks = sum(
        sum(1 for u, v in zip(sorted(h), sorted(h)[1:]) if v - u > 1) for h in held.values()
    )
    weight = sum(
        float(mm[x["meeting"]].get("weight", 1.0))
        for x in out
        if not mm[x["meeting"]].get("required")
    )
    return {
        "format": "euroffshore-schedule-result/1",
        "status": "partial" if req_left else "feasible",
        "assignments": out,
        "unscheduled": uns,
        "objective": {
            "required_unscheduled": req_left,
            "weight": round(weight, 6),
            "breaks": breaks,
        },
        "bounds": {"weight": None, "breaks": None},
    }
