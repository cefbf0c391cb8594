"""apply_result writes the draft (locked meetings stay), the database refuses clashes, and
draft_summary says what is placed and why a required meeting is left out."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.agenda.instance import build_instance
from app.agenda.models import AgendaRun, Meeting, MeetingSeat
from app.agenda.service import (
    LeftOutReason,
    add_meeting,
    apply_result,
    breaks_of,
    draft_summary,
    live_meetings,
)
from app.events import service as events_service
from app.scheduling import parse_instance, solve
from tests.agenda.builders import scene


def _build(db_session, event_id: int) -> AgendaRun:
    data, mapping = build_instance(db_session=db_session, event_id=event_id)
    instance = parse_instance(json.loads(json.dumps(data)))
    result = solve(instance, 1.0).to_json(instance)
    return apply_result(
        db_session=db_session,
        event_id=event_id,
        instance_map=mapping,
        result=result,
        time_limit_s=1.0,
    )


def _pairs(db_session, event_id: int) -> set[tuple[int, int]]:
    return {
        (m.a_participation_id, m.b_participation_id)
        for m in live_meetings(db_session=db_session, event_id=event_id)
    }


def _pair(x, y) -> tuple[int, int]:
    return (min(x.id, y.id), max(x.id, y.id))


def test_apply_result_writes_the_draft_and_keeps_the_locked_meeting(db_session):
    s = scene(db_session)
    run = _build(db_session, s.event.id)
    assert run.status == "finished"
    assert run.result_status in {"optimal", "feasible"}
    assert (run.meetings_wanted, run.meetings_placed, run.meetings_locked) == (4, 3, 1)
    assert _pairs(db_session, s.event.id) == {
        _pair(s.c1, s.p1),
        _pair(s.c2, s.p1),
        _pair(s.c1, s.p2),
        _pair(s.c2, s.p2),
    }
    locked = db_session.get(Meeting, s.locked.id)
    assert (locked.slot_id, locked.table_number, locked.locked) == (
        s.locked.slot_id,
        2,
        True,
    )
    by_pair = {
        (m.a_participation_id, m.b_participation_id): m
        for m in live_meetings(db_session=db_session, event_id=s.event.id)
    }
    assert by_pair[_pair(s.c1, s.p1)].request_id == s.accepted.id
    assert by_pair[_pair(s.c1, s.p1)].origin == "accepted"
    assert by_pair[_pair(s.c2, s.p1)].origin == "mutual"
    assert by_pair[_pair(s.c1, s.p2)].origin == "wish"
    assert db_session.scalar(select(func.count()).select_from(MeetingSeat)) == 8
    assert events_service.meetings_exist(s.event) is True


def test_apply_result_again_replaces_the_unlocked_draft(db_session):
    s = scene(db_session)
    _build(db_session, s.event.id)
    for m in live_meetings(db_session=db_session, event_id=s.event.id):
        m.weight = 0.5  # a mark that only the meetings of the first draft carry
    db_session.flush()
    _build(db_session, s.event.id)
    marked = {
        m.id for m in live_meetings(db_session=db_session, event_id=s.event.id) if m.weight == 0.5
    }
    assert len(live_meetings(db_session=db_session, event_id=s.event.id)) == 4
    assert marked == {s.locked.id}
    assert db_session.scalar(select(func.count()).select_from(MeetingSeat)) == 8
    assert db_session.scalar(select(func.count()).select_from(AgendaRun)) == 2


def _meeting(s, a, b, slot_id: int, table: int) -> Meeting:
    return Meeting(
        event_id=s.event.id,
        a_participation_id=min(a.id, b.id),
        b_participation_id=max(a.id, b.id),
        slot_id=slot_id,
        table_number=table,
        origin="organiser",
    )


def test_database_refuses_a_participant_twice_in_one_slot(db_session):
    s = scene(db_session)
    # The locked meeting seats c2 and p2 in slot 2; c1 with p2 there, at another table.
    with pytest.raises(IntegrityError), db_session.begin_nested():
        add_meeting(db_session, _meeting(s, s.c1, s.p2, s.locked.slot_id, 3))


def test_database_refuses_a_table_twice_in_one_slot(db_session):
    s = scene(db_session)
    with pytest.raises(IntegrityError), db_session.begin_nested():
        add_meeting(db_session, _meeting(s, s.c1, s.p1, s.locked.slot_id, 2))


def test_database_lets_a_cancelled_meeting_free_its_table(db_session):
    s = scene(db_session)
    s.locked.status = "cancelled"
    db_session.execute(MeetingSeat.__table__.delete().where(MeetingSeat.meeting_id == s.locked.id))
    db_session.flush()
    add_meeting(db_session, _meeting(s, s.c1, s.p1, s.locked.slot_id, 2))
    assert _pairs(db_session, s.event.id) == {_pair(s.c1, s.p1)}


def test_database_refuses_a_meeting_with_oneself_or_table_zero(db_session):
    s = scene(db_session)
    slot_id = s.locked.slot_id
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.add(_meeting(s, s.c1, s.c1, slot_id + 1, 1))
        db_session.flush()
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.add(_meeting(s, s.c1, s.p1, slot_id + 1, 0))
        db_session.flush()


def test_draft_summary_counts_origins_breaks_and_few_meetings(db_session):
    s = scene(db_session)
    _build(db_session, s.event.id)
    summary = draft_summary(db_session=db_session, event_id=s.event.id)
    assert summary.meetings == 4
    assert summary.by_origin == {"accepted": 1, "mutual": 1, "organiser": 1, "wish": 1}
    assert summary.required_wanted == 2
    assert summary.left_out == []
    assert summary.held == {s.c1.id: 2, s.c2.id: 2, s.p1.id: 2, s.p2.id: 2}
    assert summary.few_meetings == {s.c1.id: 2, s.c2.id: 2, s.p1.id: 2, s.p2.id: 2}
    assert summary.total_breaks == sum(summary.breaks.values())


def test_breaks_of_counts_idle_runs_between_meetings():
    assert breaks_of([0, 1, 4, 8]) == 2
    assert breaks_of([2, 3, 4]) == 0
    assert breaks_of([]) == 0


def test_draft_summary_says_why_required_meetings_are_left_out(db_session):
    s = scene(db_session, max_meetings_per_participant=None)  # c1 keeps its own maximum, 2
    slots = events_service.slots_of(db_session=db_session, event_id=s.event.id)
    # No draft yet: only the locked meeting is placed, so nothing stands in the way but
    # the (unbuilt) tables.
    summary = draft_summary(db_session=db_session, event_id=s.event.id)
    reasons = {(x.a_participation_id, x.b_participation_id): x.reason for x in summary.left_out}
    assert reasons == {
        _pair(s.c1, s.p1): LeftOutReason.no_table,
        _pair(s.c2, s.p1): LeftOutReason.no_table,
    }
    # c1 reaches its maximum (2) with two organiser meetings: c1-p1 is left out for it.
    add_meeting(db_session, _meeting(s, s.c1, s.p2, slots[0].id, 1))
    add_meeting(db_session, _meeting(s, s.c1, s.c2, slots[1].id, 1))
    # p1 is busy in every day-1 slot but those: c2-p1 finds no common free slot.
    others = [slots[i].id for i in (0, 1, 3, 4)]
    for table, slot_id in enumerate(others, start=2):
        add_meeting(db_session, _meeting(s, s.p1, s.c3, slot_id, table))
    summary = draft_summary(db_session=db_session, event_id=s.event.id)
    reasons = {(x.a_participation_id, x.b_participation_id): x.reason for x in summary.left_out}
    assert reasons == {
        _pair(s.c1, s.p1): LeftOutReason.max_meetings,
        _pair(s.c2, s.p1): LeftOutReason.no_common_free_slot,
    }


def test_draft_summary_when_two_participants_are_never_available_together(db_session):
    from app.events.models import Unavailability
    from tests.agenda.builders import local

    s = scene(db_session)
    db_session.add(
        Unavailability(
            participation_id=s.p1.id, kind="day", starts_at=local(0, 9, 0), ends_at=local(0, 11, 0)
        )
    )
    db_session.flush()
    summary = draft_summary(db_session=db_session, event_id=s.event.id)
    reasons = {(x.a_participation_id, x.b_participation_id): x for x in summary.left_out}
    item = reasons[_pair(s.c2, s.p1)]
    assert item.reason == LeftOutReason.no_common_slot
    assert item.reason_text == "The two participants are never available at once."


def test_apply_result_fails_whole_when_a_meeting_was_locked_meanwhile(db_session):
    s = scene(db_session)
    data, mapping = build_instance(db_session=db_session, event_id=s.event.id)
    instance = parse_instance(json.loads(json.dumps(data)))
    result = solve(instance, 1.0).to_json(instance)
    first = next(
        a
        for a in result["assignments"]
        if not a["meeting"].startswith("l-") and mapping.slots[a["slot"]] != s.locked.slot_id
    )
    # Meanwhile an organiser locks another meeting at that slot's table.
    meanwhile = _meeting(s, s.c3, s.p2, mapping.slots[first["slot"]], first["table"])
    meanwhile.locked = True
    add_meeting(db_session, meanwhile)
    before = len(live_meetings(db_session=db_session, event_id=s.event.id))
    with pytest.raises(IntegrityError), db_session.begin_nested():
        apply_result(
            db_session=db_session, event_id=s.event.id, instance_map=mapping, result=result
        )
    assert len(live_meetings(db_session=db_session, event_id=s.event.id)) == before
