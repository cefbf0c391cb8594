"""Helpers for the optimiser tests: build instances, run the solver, check results with
the shared independent checker (../shared/tools/verify_schedule.py)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from app.scheduling import parse_instance, solve

REPO = Path(__file__).resolve().parents[2]
# The team's shared folder beside the checkout (../shared), or higher up from a worktree.
SHARED = next(
    (d / "shared" for d in REPO.parents if (d / "shared").is_dir()), REPO.parent / "shared"
)
VERIFY_PATH = SHARED / "tools" / "verify_schedule.py"


def _load_verify():
    if not VERIFY_PATH.exists():
        return None
    spec = importlib.util.spec_from_file_location("verify_schedule", VERIFY_PATH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


verify_mod = _load_verify()


def instance(
    slots: int | list = 4,
    tables: int = 5,
    participants: list | None = None,
    meetings: list | None = None,
    **extra: Any,
) -> dict:
    if isinstance(slots, int):
        slots = [
            {"id": f"s{i}", "session": "am" if i < (slots + 1) // 2 else "pm"} for i in range(slots)
        ]
    if participants is None:
        ids = sorted({m["a"] for m in meetings or []} | {m["b"] for m in meetings or []})
        participants = [{"id": p} for p in ids]
    data = {
        "format": "euroffshore-schedule/1",
        "slots": slots,
        "tables": tables,
        "participants": participants,
        "meetings": meetings or [],
    }
    data.update(extra)
    return data


def meeting(mid: str, a: str, b: str, **kw: Any) -> dict:
    return {"id": mid, "a": a, "b": b, **kw}


def run(data: dict, time_limit: float = 30.0) -> dict:
    # The engine stops as soon as it proves the optimum (well under a second on these small
    # instances); the generous limit only matters on a loaded machine, where a short one let
    # start-up (imports, the compiled walk's cache) eat the budget before the proof.
    inst = parse_instance(json.loads(json.dumps(data)))
    return solve(inst, time_limit).to_json(inst)


def own_check(data: dict, res: dict) -> list[str]:
    """A second, minimal checker of the contract's rules (independent of the engine)."""
    errors = []
    slots = [s["id"] for s in data["slots"]]
    pos = {s: i for i, s in enumerate(slots)}
    session = {s["id"]: s.get("session") for s in data["slots"]}
    parts = {p["id"]: p for p in data["participants"]}
    ms = {m["id"]: m for m in data["meetings"]}
    listed = [a["meeting"] for a in res["assignments"]] + list(res["unscheduled"])
    if sorted(listed) != sorted(ms):
        errors.append("meetings not listed exactly once")
    busy, tables, held = set(), set(), {p: [] for p in parts}
    per_slot: dict[str, int] = {}
    for a in res["assignments"]:
        m, s, t = ms[a["meeting"]], a["slot"], a["table"]
        per_slot[s] = per_slot.get(s, 0) + 1
        if not 1 <= t <= data["tables"] or (s, t) in tables:
            errors.append(f"table {t} in {s}")
        tables.add((s, t))
        if m.get("fixed_slot") and m["fixed_slot"] != s:
            errors.append("fixed slot")
        if m.get("fixed_table") is not None and m["fixed_table"] != t:
            errors.append("fixed table")
        if m.get("sessions") and session[s] not in m["sessions"]:
            errors.append("session")
        for p in (m["a"], m["b"]):
            if (p, s) in busy:
                errors.append(f"{p} twice in {s}")
            busy.add((p, s))
            if s in (parts[p].get("unavailable") or []):
                errors.append(f"{p} unavailable in {s}")
            if parts[p].get("table") is not None and parts[p]["table"] != t:
                errors.append("booth")
            held[p].append(pos[s])
    for p, h in held.items():
        mm = parts[p].get("max_meetings")
        if mm is not None and len(h) > mm:
            errors.append(f"{p} over max_meetings")
    if any(n > data["tables"] for n in per_slot.values()):
        errors.append("too many meetings in a slot")
    br = [breaks(h) for h in held.values()]
    if data.get("fairness") is not None and br and max(br) - min(br) > data["fairness"]:
        errors.append("fairness")
    return errors


def breaks(positions: list[int]) -> int:
    p = sorted(positions)
    return sum(1 for x, y in zip(p, p[1:]) if y - x > 1)


def check(data: dict, res: dict) -> dict:
    """Assert the result is valid for both checkers; return verify's report (or ours)."""
    errors = own_check(data, res)
    assert not errors, errors
    if verify_mod is not None:
        out = verify_mod.verify(json.loads(json.dumps(data)), res)
        assert out["valid"], out["errors"]
        return out
    return {"valid": True, "objective": res["objective"]}
