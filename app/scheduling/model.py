"""The agenda optimiser's data: the instance and result of the file contract (format 1).

`parse_instance` turns the JSON object of docs/scheduling-format.md into an
`Instance` whose participants, slots and meetings are numbered 0..n-1, and raises
`InstanceError(field, reason)` on anything the contract calls invalid. `Result.to_json`
writes the result object. Nothing here imports the web app or the database.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

INSTANCE_FORMAT = "euroffshore-schedule/1"
RESULT_FORMAT = "euroffshore-schedule-result/1"
DEFAULT_TIME_LIMIT_S = 30.0


class InstanceError(ValueError):
    """An invalid instance: `field` names the offending JSON field (e.g. `meetings[3].b`)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Slot:
    id: str
    session: str | None
    start: str | None = None


@dataclass(frozen=True)
class Participant:
    id: str
    side: str | None
    unavailable: frozenset[int]  # slot indexes
    max_meetings: int | None
    table: int | None  # booth


@dataclass(frozen=True)
class Meeting:
    id: str
    a: int  # participant indexes
    b: int
    required: bool
    weight: float
    sessions: tuple[str, ...] | None
    fixed_slot: int | None  # slot index
    fixed_table: int | None


@dataclass
class Instance:
    slots: list[Slot]
    tables: int
    fairness: int | None
    participants: list[Participant]
    meetings: list[Meeting]
    time_limit_s: float = DEFAULT_TIME_LIMIT_S
    # Derived, filled by __post_init__:
    allowed: list[tuple[int, ...]] = field(default_factory=list, repr=False)
    table_of: list[int] = field(default_factory=list, repr=False)  # 0 any, t>=1 forced
    by_participant: list[list[int]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        n_slots = len(self.slots)
        self.by_participant = [[] for _ in self.participants]
        self.allowed = []
        self.table_of = []
        for k, m in enumerate(self.meetings):
            self.by_participant[m.a].append(k)
            self.by_participant[m.b].append(k)
            pa, pb = self.participants[m.a], self.participants[m.b]
            wanted = {t for t in (m.fixed_table, pa.table, pb.table) if t is not None}
            if len(wanted) > 1:  # two booths (or a booth and a fixed table) that differ
                self.table_of.append(0)
                self.allowed.append(())
                continue
            self.table_of.append(wanted.pop() if wanted else 0)
            cands = [m.fixed_slot] if m.fixed_slot is not None else range(n_slots)
            ok = []
            for s in cands:
                if m.sessions and self.slots[s].session not in m.sessions:
                    continue
                if s in pa.unavailable or s in pb.unavailable:
                    continue
                ok.append(s)
            self.allowed.append(tuple(ok))

    @property
    def n_slots(self) -> int:
        return len(self.slots)

    def capacity(self, p: int) -> int:
        """Most meetings participant p can hold: free slots, capped by max_meetings."""
        part = self.participants[p]
        free = self.n_slots - len(part.unavailable)
        return free if part.max_meetings is None else min(free, part.max_meetings)


@dataclass
class Result:
    status: str  # optimal | feasible | partial | infeasible
    slot_of: list[int]  # per meeting: slot index or -1
    table_of: list[int]  # per meeting: table number or 0
    required_unscheduled: int
    weight: float
    breaks: int
    weight_bound: float | None
    breaks_bound: int | None
    seconds: float
    stats: dict[str, Any] = field(default_factory=dict)

    def to_json(self, inst: Instance) -> dict[str, Any]:
        assignments: list[dict[str, Any]] = [
            {"meeting": m.id, "slot": inst.slots[s].id, "table": self.table_of[k]}
            for k, (m, s) in enumerate(zip(inst.meetings, self.slot_of))
            if s >= 0
        ]
        order = {s.id: i for i, s in enumerate(inst.slots)}
        assignments.sort(key=lambda x: (order[x["slot"]], x["table"]))
        return {
            "format": RESULT_FORMAT,
            "status": self.status,
            "assignments": assignments,
            "unscheduled": [m.id for m, s in zip(inst.meetings, self.slot_of) if s < 0],
            "objective": {
                "required_unscheduled": self.required_unscheduled,
                "weight": round(self.weight, 6),
                "breaks": self.breaks,
            },
            "bounds": {
                "weight": None if self.weight_bound is None else round(self.weight_bound, 6),
                "breaks": self.breaks_bound,
            },
            "stats": {"seconds": round(self.seconds, 3), **self.stats},
        }


# ---------------------------------------------------------------- parsing and validation


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_number(x: Any) -> bool:
    return (isinstance(x, (int, float)) and not isinstance(x, bool)) and math.isfinite(x)


def _id(obj: Any, where: str, seen: set[str]) -> str:
    if not isinstance(obj, dict):
        raise InstanceError(where, "not an object")
    v = obj.get("id")
    if v is None:
        raise InstanceError(f"{where}.id", "missing")
    if not isinstance(v, str):
        raise InstanceError(f"{where}.id", "not a string")
    if not v:
        raise InstanceError(f"{where}.id", "empty")
    if v in seen:
        raise InstanceError(f"{where}.id", f'duplicated id "{v}"')
    seen.add(v)
    return v


def _list(data: dict[str, Any], key: str) -> list[Any]:
    v = data.get(key)
    if v is None:
        raise InstanceError(key, "missing")
    if not isinstance(v, list):
        raise InstanceError(key, "not a list")
    return v


def _table(v: Any, where: str, tables: int) -> int | None:
    if v is None:
        return None
    if not _is_int(v) or not 1 <= v <= tables:
        raise InstanceError(where, f"table {v!r} outside 1..{tables}")
    return int(v)


def parse_instance(data: Any) -> Instance:
    """Validate a decoded JSON instance (format 1) and number its objects."""
    if not isinstance(data, dict):
        raise InstanceError("", "not a JSON object")
    if data.get("format") != INSTANCE_FORMAT:
        raise InstanceError("format", f"{data.get('format')!r} is not {INSTANCE_FORMAT!r}")

    tables = data.get("tables")
    if not isinstance(tables, int) or isinstance(tables, bool) or tables <= 0:
        raise InstanceError("tables", f"{tables!r} is not a positive integer")

    fairness = data.get("fairness")
    if fairness is not None:
        if not _is_number(fairness):
            raise InstanceError("fairness", f"{fairness!r} is not a number")
        if fairness < 0:
            raise InstanceError("fairness", f"{fairness!r} is negative")
        fairness = int(math.floor(fairness))

    time_limit = data.get("time_limit_s")
    if time_limit is None:
        time_limit = DEFAULT_TIME_LIMIT_S
    elif not _is_number(time_limit) or time_limit <= 0:
        raise InstanceError("time_limit_s", f"{time_limit!r} is not a number > 0")

    slots: list[Slot] = []
    slot_index: dict[str, int] = {}
    seen: set[str] = set()
    for i, s in enumerate(_list(data, "slots")):
        sid = _id(s, f"slots[{i}]", seen)
        session = s.get("session")
        if session is not None and not isinstance(session, str):
            raise InstanceError(f"slots[{i}].session", "not a string")
        start = s.get("start")
        slot_index[sid] = len(slots)
        slots.append(Slot(sid, session, start if isinstance(start, str) else None))

    def slot_ref(v: Any, where: str) -> int:
        if not isinstance(v, str) or v not in slot_index:
            raise InstanceError(where, f"no slot {_quote(v)}")
        return slot_index[v]

    participants: list[Participant] = []
    part_index: dict[str, int] = {}
    seen = set()
    for i, p in enumerate(_list(data, "participants")):
        where = f"participants[{i}]"
        pid = _id(p, where, seen)
        unav = p.get("unavailable")
        if unav is None:
            unav = []
        if not isinstance(unav, list):
            raise InstanceError(f"{where}.unavailable", "not a list")
        un = frozenset(slot_ref(v, f"{where}.unavailable[{j}]") for j, v in enumerate(unav))
        mm = p.get("max_meetings")
        if mm is not None:
            if not _is_int(mm):
                raise InstanceError(f"{where}.max_meetings", f"{mm!r} is not an integer")
            if mm < 0:
                raise InstanceError(f"{where}.max_meetings", f"{mm} is negative")
        side = p.get("side")
        part_index[pid] = len(participants)
        participants.append(
            Participant(
                pid,
                side if isinstance(side, str) else None,
                un,
                mm,
                _table(p.get("table"), f"{where}.table", tables),
            )
        )

    def part_ref(v: Any, where: str) -> int:
        if not isinstance(v, str) or v not in part_index:
            raise InstanceError(where, f"no participant {_quote(v)}")
        return part_index[v]

    meetings: list[Meeting] = []
    seen = set()
    for i, m in enumerate(_list(data, "meetings")):
        where = f"meetings[{i}]"
        mid = _id(m, where, seen)
        if "a" not in m or m["a"] is None:
            raise InstanceError(f"{where}.a", "missing")
        if "b" not in m or m["b"] is None:
            raise InstanceError(f"{where}.b", "missing")
        a = part_ref(m["a"], f"{where}.a")
        b = part_ref(m["b"], f"{where}.b")
        if a == b:
            raise InstanceError(f"{where}.b", f'meeting of participant "{m["a"]}" with itself')
        required = m.get("required")
        if required is None:
            required = False
        if not isinstance(required, bool):
            raise InstanceError(f"{where}.required", f"{required!r} is not true or false")
        weight = m.get("weight")
        if weight is None:
            weight = 1.0
        if not _is_number(weight) or weight <= 0:
            raise InstanceError(f"{where}.weight", f"{weight!r} is not a number > 0")
        sessions = m.get("sessions")
        if sessions is not None:
            if not isinstance(sessions, list) or not all(isinstance(x, str) for x in sessions):
                raise InstanceError(f"{where}.sessions", "not a list of session labels")
            sessions = tuple(sessions) or None  # empty list: no restriction
        fs = m.get("fixed_slot")
        fixed_slot = None if fs is None else slot_ref(fs, f"{where}.fixed_slot")
        meetings.append(
            Meeting(
                mid,
                a,
                b,
                required,
                float(weight),
                sessions,
                fixed_slot,
                _table(m.get("fixed_table"), f"{where}.fixed_table", tables),
            )
        )

    return Instance(slots, tables, fairness, participants, meetings, float(time_limit))


def _quote(v: Any) -> str:
    return f'"{v}"' if isinstance(v, str) else repr(v)


# ---------------------------------------------------------------- shared helpers


def breaks_of_mask(mask: int) -> int:
    """Breaks of a participant whose meetings are the 1-bits of `mask` (bit s = slot s)."""
    if mask == 0:
        return 0
    return (mask & ~(mask << 1)).bit_count() - 1
