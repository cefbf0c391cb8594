"""Agenda builds in the background: start_build's refusals, the task run synchronously, a
killed worker's run read as failed, a cancel, the API (202, then the run's status)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete

from app.agenda import jobs, service
from app.agenda.models import AgendaRun, AgendaRunStatus
from app.core.db import utcnow
from app.core.errors import Conflict, FieldError
from app.events.models import Slot
from app.organisations.models import Organisation
from tests.accounts.factories import user
from tests.agenda.builders import scene
from tests.events.builders import event as make_event


def _organiser(db_session, event):
    return user(db_session, organisation=db_session.get(Organisation, event.organiser_id))


def _start(db_session, event, time_limit_s: float = 1.0) -> AgendaRun:
    return service.start_build(
        db_session=db_session, event=event, user=None, time_limit_s=time_limit_s
    )


def _live_meetings(db_session, event_id: int) -> list[tuple[int, int, int, int]]:
    return sorted(
        (m.a_participation_id, m.b_participation_id, m.slot_id, m.table_number)
        for m in service.live_meetings(db_session=db_session, event_id=event_id)
    )


def _refusal(call) -> str:
    with pytest.raises(Conflict) as caught:
        call()
    return str(caught.value.detail if hasattr(caught.value, "detail") else caught.value)


def test_start_build_refused_without_slots(db_session):
    s = scene(db_session)
    bare = make_event(db_session, s.event.organiser_id)
    db_session.execute(delete(Slot).where(Slot.event_id == bare.id))
    assert "no meeting slots" in _refusal(lambda: _start(db_session, bare))


def test_start_build_refused_without_tables(db_session):
    s = scene(db_session)
    s.event.booth_mode = True
    s.event.table_count = None
    for p in (s.p1, s.p2):
        p.status = "pending"
    db_session.flush()
    assert "no tables" in _refusal(lambda: _start(db_session, s.event))


def test_start_build_refused_with_fewer_than_two_approved_participants(db_session):
    s = scene(db_session)
    for p in (s.c1, s.c2, s.p2):
        p.status = "pending"
    db_session.flush()
    assert "two approved participants" in _refusal(lambda: _start(db_session, s.event))


def test_start_build_refused_with_a_time_limit_out_of_bounds(db_session):
    s = scene(db_session)
    with pytest.raises(FieldError):
        _start(db_session, s.event, time_limit_s=0)
    with pytest.raises(FieldError):
        _start(db_session, s.event, time_limit_s=601)


def test_second_build_refused_while_one_is_queued(db_session):
    s = scene(db_session)
    first = _start(db_session, s.event)
    assert first.status == AgendaRunStatus.queued.value
    assert "queued or running" in _refusal(lambda: _start(db_session, s.event))
    # Once it ended, a new build is accepted.
    first.status = AgendaRunStatus.finished.value
    db_session.flush()
    assert _start(db_session, s.event).status == AgendaRunStatus.queued.value


def test_task_writes_the_draft_and_a_finished_run_with_its_figures(db_session):
    s = scene(db_session)
    run = _start(db_session, s.event)
    db_session.commit()
    status = jobs.execute_build(db_session=db_session, run_id=run.id, wait_s=0)
    assert status == AgendaRunStatus.finished.value
    db_session.refresh(run)
    assert (run.status, run.phase, run.error) == ("finished", "done", None)
    assert run.heartbeat_at is not None and run.finished_at is not None
    assert run.meetings_placed == 3  # the locked meeting stays as it was
    assert run.meetings_locked == 1
    assert run.required_unscheduled == 0
    assert run.breaks is not None and run.breaks_bound is not None
    assert run.result_status in {"optimal", "feasible"}
    assert len(_live_meetings(db_session, s.event.id)) == 4


def test_task_failure_keeps_the_draft_and_says_why(db_session):
    s = scene(db_session)
    before = _live_meetings(db_session, s.event.id)
    run = _start(db_session, s.event)
    db_session.commit()

    def broken(_instance, _limit):
        raise RuntimeError("the solver broke")

    status = jobs.execute_build(db_session=db_session, run_id=run.id, wait_s=0, solver=broken)
    assert status == AgendaRunStatus.failed.value
    db_session.refresh(run)
    assert run.status == "failed"
    assert run.error == "The build failed: the solver broke"
    assert _live_meetings(db_session, s.event.id) == before


def test_cancelled_queued_build_never_runs(db_session):
    s = scene(db_session)
    before = _live_meetings(db_session, s.event.id)
    run = _start(db_session, s.event)
    service.request_cancel(db_session=db_session, run=run)
    db_session.commit()
    assert run.status == AgendaRunStatus.cancelled.value
    assert jobs.execute_build(db_session=db_session, run_id=run.id, wait_s=0) == "cancelled"
    assert _live_meetings(db_session, s.event.id) == before


def test_cancel_during_the_solve_keeps_the_draft(db_session):
    s = scene(db_session)
    before = _live_meetings(db_session, s.event.id)
    run = _start(db_session, s.event)
    db_session.commit()

    def solve_then_cancelled(instance, limit):
        from app.scheduling import solve

        result = solve(instance, limit)
        db_session.execute(
            AgendaRun.__table__.update().where(AgendaRun.id == run.id).values(cancel_requested=True)
        )
        return result

    status = jobs.execute_build(
        db_session=db_session, run_id=run.id, wait_s=0, solver=solve_then_cancelled
    )
    assert status == AgendaRunStatus.cancelled.value
    assert _live_meetings(db_session, s.event.id) == before


def test_stale_heartbeat_reads_as_failed_and_frees_the_event(db_session):
    s = scene(db_session)
    run = _start(db_session, s.event)
    run.status = AgendaRunStatus.running.value
    run.heartbeat_at = utcnow() - timedelta(
        seconds=run.time_limit_s + service.HEARTBEAT_TIMEOUT_S + 1
    )
    db_session.flush()
    read = service.get_run(db_session=db_session, event_id=s.event.id, run_id=run.id)
    assert read.status == AgendaRunStatus.failed.value
    assert "stopped answering" in (read.error or "")
    assert _start(db_session, s.event).status == AgendaRunStatus.queued.value


def test_fresh_heartbeat_stays_running(db_session):
    s = scene(db_session)
    run = _start(db_session, s.event)
    run.status = AgendaRunStatus.running.value
    run.heartbeat_at = utcnow()
    db_session.flush()
    read = service.get_run(db_session=db_session, event_id=s.event.id, run_id=run.id)
    assert read.status == AgendaRunStatus.running.value


def test_api_answers_202_then_the_runs_status(db_session, client, login, monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr(jobs, "enqueue_build", queued.append)
    s = scene(db_session)
    db_session.commit()
    login(_organiser(db_session, s.event))
    response = client.post(f"/api/v1/events/{s.event.id}/agenda/runs", json={"time_limit_s": 1})
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["time_limit_s"]) == ("queued", 1.0)
    assert queued == [body["id"]]
    again = client.post(f"/api/v1/events/{s.event.id}/agenda/runs", json={"time_limit_s": 1})
    assert again.status_code == 409
    jobs.execute_build(db_session=db_session, run_id=body["id"], wait_s=0)
    read = client.get(f"/api/v1/events/{s.event.id}/agenda/runs/{body['id']}")
    assert read.status_code == 200
    assert (read.json()["status"], read.json()["meetings_placed"]) == ("finished", 3)
    cancel = client.post(f"/api/v1/events/{s.event.id}/agenda/runs/{body['id']}/cancel")
    assert cancel.status_code == 409


def test_enqueue_puts_the_build_in_the_sqlite_queue_of_the_settings():
    queue = jobs.get_huey()
    assert type(queue).__name__ == "SqliteHuey"
    queue.flush()
    jobs.enqueue_build(123456)
    assert queue.pending_count() == 1
    message = queue.dequeue()
    assert message.args == (123456,)
    queue.flush()


def test_huey_path_defaults_beside_the_sqlite_database(monkeypatch):
    from app.core.config import get_settings

    monkeypatch.setattr(get_settings(), "huey_path", None)
    monkeypatch.setattr(get_settings(), "database_url", "sqlite:///./data/site.db")
    assert jobs.huey_path() == "./data/site-huey.db"


def test_database_refuses_a_second_active_build_written_past_the_check(db_session, monkeypatch):
    s = scene(db_session)
    _start(db_session, s.event)
    # As if another request had queued its build between this one's check and its insert.
    monkeypatch.setattr(service, "active_run", lambda **_kw: None)
    assert "queued or running" in _refusal(lambda: _start(db_session, s.event))
    assert len(service.recent_runs(db_session=db_session, event_id=s.event.id)) == 1
