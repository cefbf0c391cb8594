"""Agenda builds in the background, on huey.

The queue is chosen by the settings: ``RedisHuey`` when ``EUROFFSHORE_REDIS_URL`` is set,
else ``SqliteHuey`` on ``EUROFFSHORE_HUEY_PATH`` (by default a file beside the SQLite
database). The web process runs a consumer thread (``AgendaWorker``, started in the
lifespan unless ``EUROFFSHORE_AGENDA_WORKER=false``); ``euroffshore worker`` runs a
standalone consumer.

A build (``execute_build``) marks its run running, builds the instance, solves, then writes
the draft and the run's figures in one transaction: a failure, a cancel or a killed worker
leaves the draft as it was. It commits between phases so that the pages see its progress.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer
from sqlalchemy.orm import Session

from app.agenda.models import AgendaRun, AgendaRunStatus
from app.core.config import get_settings
from app.core.db import get_session_factory, utcnow

log = logging.getLogger(__name__)

#: How long a task waits for its run's row to be committed by the request that queued it.
ROW_WAIT_S = 10.0


def huey_path() -> str:
    """The SQLite file of the queue: the setting, else beside a SQLite database."""
    settings = get_settings()
    if settings.huey_path:
        return settings.huey_path
    if settings.is_sqlite:
        database = settings.database_url.split("///", 1)[-1] or "euroffshore.db"
        if database not in (":memory:", ""):
            return os.path.splitext(database)[0] + "-huey.db"
    return "euroffshore-huey.db"


@lru_cache
def _queue() -> tuple[Huey, Any]:
    settings = get_settings()
    queue: Huey
    if settings.redis_url:
        queue = RedisHuey("euroffshore", url=settings.redis_url)
    else:
        queue = SqliteHuey("euroffshore", filename=huey_path())
    task = queue.task(name="agenda.build")(build_agenda_task)
    return queue, task


def get_huey() -> Huey:
    """The queue of the settings, with the build task registered."""
    return _queue()[0]


def enqueue_build(run_id: int) -> None:
    """Queue the build of a committed run (a consumer runs ``build_agenda_task``)."""
    _queue()[1](run_id)


def build_agenda_task(run_id: int) -> str:
    """The huey task: run the build of ``run_id`` with a session of its own."""
    session = get_session_factory()()
    try:
        return execute_build(db_session=session, run_id=run_id)
    finally:
        session.close()


def _wait_for_row(db_session: Session, run_id: int, wait_s: float) -> AgendaRun | None:
    deadline = time.monotonic() + wait_s
    while True:
        run = db_session.get(AgendaRun, run_id)
        if run is not None or time.monotonic() >= deadline:
            return run
        db_session.rollback()
        time.sleep(0.2)


def _refresh(db_session: Session, run: AgendaRun) -> bool:
    """Re-read the run; True when a cancel was asked."""
    db_session.refresh(run)
    return bool(run.cancel_requested)


def _progress(db_session: Session, run: AgendaRun, phase: str, **figures: Any) -> None:
    run.phase = phase
    run.heartbeat_at = utcnow()
    for name, value in figures.items():
        setattr(run, name, value)
    db_session.commit()


def _cancelled(db_session: Session, run: AgendaRun) -> str:
    db_session.rollback()
    db_session.refresh(run)
    run.status = AgendaRunStatus.cancelled.value
    run.finished_at = utcnow()
    run.heartbeat_at = run.finished_at
    db_session.commit()
    return run.status


def execute_build(
    *,
    db_session: Session,
    run_id: int,
    wait_s: float = ROW_WAIT_S,
    solver: Callable[..., Any] | None = None,
) -> str:
    """Build the agenda of a queued run and return its final status.

    Commits its progress (running, instance, solving, writing) so that other sessions see
    it; the draft is written with ``apply_result`` only at the end, in one transaction."""
    from app.agenda.instance import build_instance
    from app.agenda.service import apply_result
    from app.i18n import gettext as _
    from app.scheduling import parse_instance, solve

    run = _wait_for_row(db_session, run_id, wait_s)
    if run is None:
        log.warning("agenda run %s not found", run_id)
        return "missing"
    if run.status != AgendaRunStatus.queued.value:
        return run.status  # cancelled before it started, or run already
    if run.cancel_requested:
        return _cancelled(db_session, run)
    try:
        _progress(db_session, run, "instance", status=AgendaRunStatus.running.value)
        data, mapping = build_instance(
            db_session=db_session, event_id=run.event_id, time_limit_s=run.time_limit_s
        )
        instance = parse_instance(data)
        _progress(db_session, run, "solving", meetings_wanted=len(mapping.meetings))
        if _refresh(db_session, run):
            return _cancelled(db_session, run)
        result = (solver or solve)(instance, run.time_limit_s).to_json(instance)
        if _refresh(db_session, run):
            return _cancelled(db_session, run)
        objective = result.get("objective") or {}
        bounds = result.get("bounds") or {}
        _progress(
            db_session,
            run,
            "writing",
            required_unscheduled=objective.get("required_unscheduled"),
            breaks=objective.get("breaks"),
            weight=objective.get("weight"),
            weight_bound=bounds.get("weight"),
            breaks_bound=bounds.get("breaks"),
        )
        apply_result(
            db_session=db_session,
            event_id=run.event_id,
            instance_map=mapping,
            result=result,
            time_limit_s=run.time_limit_s,
            run=run,
        )
        run.phase = "done"
        run.heartbeat_at = utcnow()
        db_session.commit()
        return run.status
    except Exception as exc:  # the run says why; the draft stays as it was
        log.exception("agenda run %s failed", run_id)
        db_session.rollback()
        failed = db_session.get(AgendaRun, run_id)
        if failed is None:
            return "missing"
        failed.status = AgendaRunStatus.failed.value
        failed.finished_at = utcnow()
        failed.heartbeat_at = failed.finished_at
        failed.error = _("The build failed: %(error)s", error=str(exc) or type(exc).__name__)[:2000]
        db_session.commit()
        return failed.status


class _EmbeddedConsumer(Consumer):  # type: ignore[misc]  # huey is untyped
    """A consumer inside the web process: the server keeps its own signal handlers."""

    def _set_signal_handlers(self) -> None:
        return None


class AgendaWorker:
    """The huey consumer of agenda builds, as threads of the web process."""

    def __init__(self, workers: int = 1) -> None:
        self.consumer = _EmbeddedConsumer(
            get_huey(), workers=workers, worker_type="thread", periodic=False
        )
        self._lock = threading.Lock()

    def start(self) -> None:
        self.consumer.start()

    def stop(self) -> None:
        with self._lock:
            self.consumer.stop(graceful=True)
