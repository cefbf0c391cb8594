"""build_instance: the contract's instance of an event, exactly; valid for the engine."""

from __future__ import annotations

import json

from app.agenda.instance import build_instance
from app.scheduling import parse_instance, solve
from tests.agenda.builders import local, scene
from tests.scheduling.helpers import own_check, verify_mod


def _expected(s) -> dict:
    c1, c2, p1, p2 = (f"c-{s.c1.id}", f"c-{s.c2.id}", f"p-{s.p1.id}", f"p-{s.p2.id}")
    slot_times = [
        ("d1-0900", "d1-am", 0, 9, 0),
        ("d1-0920", "d1-am", 0, 9, 20),
        ("d1-1000", "d1-pm", 0, 10, 0),
        ("d1-1020", "d1-pm", 0, 10, 20),
        ("d1-1040", "d1-pm", 0, 10, 40),
        ("d2-0900", "d2", 1, 9, 0),
        ("d2-0920", "d2", 1, 9, 20),
        ("d2-0940", "d2", 1, 9, 40),
    ]
    participants = sorted(
        [
            {"id": c1, "side": "client", "unavailable": [], "max_meetings": 2},
            {
                "id": c2,
                "side": "client",
                "unavailable": ["d2-0900", "d2-0920", "d2-0940"],
                "max_meetings": 3,
            },
            {"id": p1, "side": "provider", "unavailable": [], "max_meetings": 3},
            {"id": p2, "side": "provider", "unavailable": [], "max_meetings": 3},
        ],
        key=lambda p: int(p["id"][2:]),
    )
    a, b = sorted([s.c2.id, s.p2.id])
    pa, pb = (c2, p2) if s.c2.id < s.p2.id else (p2, c2)

    def pair(x: str, y: str) -> tuple[str, str]:
        return (x, y) if int(x[2:]) < int(y[2:]) else (y, x)

    required = [
        {"id": f"r-{s.accepted.id}", "pair": pair(c1, p1)},
        {"id": f"r-{s.pending.id}", "pair": pair(c2, p1)},
    ]
    required.sort(key=lambda m: tuple(int(x[2:]) for x in m["pair"]))
    low, high = sorted([s.c1.id, s.p2.id])
    return {
        "format": "euroffshore-schedule/1",
        "slots": [
            {"id": sid, "session": session, "start": local(d, h, m).isoformat()}
            for sid, session, d, h, m in slot_times
        ],
        "tables": 3,
        "fairness": None,
        "participants": participants,
        "meetings": [
            {
                "id": f"l-{s.locked.id}",
                "a": pa,
                "b": pb,
                "required": True,
                "weight": 1.0,
                "fixed_slot": "d1-1000",
                "fixed_table": 2,
            },
            *(
                {
                    "id": m["id"],
                    "a": m["pair"][0],
                    "b": m["pair"][1],
                    "required": True,
                    "weight": 10.0,
                }
                for m in required
            ),
            {
                "id": f"w-{low}-{high}",
                "a": pair(c1, p2)[0],
                "b": pair(c1, p2)[1],
                "required": False,
                "weight": 3.0,
            },
        ],
    }


def test_build_instance_of_an_event_is_the_expected_json(db_session):
    s = scene(db_session)
    data, mapping = build_instance(db_session=db_session, event_id=s.event.id)
    assert data == _expected(s)
    assert mapping.participants[f"c-{s.c1.id}"] == s.c1.id
    assert mapping.meetings[f"r-{s.accepted.id}"].request_id == s.accepted.id
    assert mapping.meetings[f"r-{s.accepted.id}"].origin == "accepted"
    assert mapping.meetings[f"r-{s.pending.id}"].origin == "mutual"
    assert mapping.meetings[f"l-{s.locked.id}"].fixed_meeting_id == s.locked.id


def test_build_instance_is_byte_identical_twice(db_session):
    s = scene(db_session)
    first, _m = build_instance(db_session=db_session, event_id=s.event.id, time_limit_s=2)
    second, _m = build_instance(db_session=db_session, event_id=s.event.id, time_limit_s=2)
    assert json.dumps(first) == json.dumps(second)
    assert first["time_limit_s"] == 2


def test_build_instance_in_booth_mode_gives_each_call_centre_its_table(db_session):
    s = scene(db_session, booth_mode=True, table_count=None)
    s.p1.booth_table = 5
    s.p2.booth_table = 2
    db_session.commit()
    data, _m = build_instance(db_session=db_session, event_id=s.event.id)
    assert data["tables"] == 5
    tables = {p["id"]: p.get("table") for p in data["participants"]}
    assert tables == {
        f"c-{s.c1.id}": None,
        f"c-{s.c2.id}": None,
        f"p-{s.p1.id}": 5,
        f"p-{s.p2.id}": 2,
    }


def test_build_instance_is_valid_for_the_engine(db_session):
    s = scene(db_session)
    data, _m = build_instance(db_session=db_session, event_id=s.event.id)
    instance = parse_instance(json.loads(json.dumps(data)))
    result = solve(instance, 1.0).to_json(instance)
    assert own_check(data, result) == []
    if verify_mod is not None:
        report = verify_mod.verify(data, result)
        assert report["valid"], report
    assert result["status"] in {"optimal", "feasible"}
    placed = {a["meeting"]: (a["slot"], a["table"]) for a in result["assignments"]}
    assert placed[f"l-{s.locked.id}"] == ("d1-1000", 2)
    assert f"r-{s.accepted.id}" in placed and f"r-{s.pending.id}" in placed
