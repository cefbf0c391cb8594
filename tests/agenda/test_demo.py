"""The demo event ("Euroffshore Casablanca") gives a valid instance, and a short build of
its agenda writes a draft the shared checker accepts."""

from __future__ import annotations

import json
from datetime import date

from app.agenda.instance import build_instance
from app.agenda.service import apply_result, draft_summary
from app.demo import event as demo_event
from app.demo import generate, loader
from app.events.models import Event
from app.scheduling import parse_instance, solve
from tests.scheduling.helpers import own_check, verify_mod


def test_demo_event_gives_a_valid_instance_and_draft(db_session):
    loader.load(db_session=db_session, data=generate.build(today=date.today()), accounts_too=False)
    report = demo_event.load_event(
        db_session=db_session, seed=generate.DEFAULT_SEED, today=date.today()
    )
    assert db_session.get(Event, report.event_id).name == "Euroffshore Casablanca"
    data, mapping = build_instance(db_session=db_session, event_id=report.event_id)
    instance = parse_instance(json.loads(json.dumps(data)))
    assert len(instance.slots) > 20 and len(instance.participants) > 80
    assert sum(m.required for m in instance.meetings) > 100
    result = solve(instance, 2.5).to_json(instance)
    assert own_check(data, result) == []
    if verify_mod is not None:
        checked = verify_mod.verify(data, result)
        assert checked["valid"], checked["errors"]
    apply_result(
        db_session=db_session, event_id=report.event_id, instance_map=mapping, result=result
    )
    summary = draft_summary(db_session=db_session, event_id=report.event_id)
    assert summary.meetings == len(result["assignments"])
    assert len(summary.left_out) == result["objective"]["required_unscheduled"]
    assert summary.total_breaks == result["objective"]["breaks"]
