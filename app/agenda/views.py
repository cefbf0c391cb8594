"""HTML pages of the agenda: /events/{id}/agenda for the event's organisers (the draft by
slot, its summary, the last builds, a "Build agenda" form and the progress of a build)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.deps import CurrentUser
from app.agenda import jobs, service
from app.agenda.models import ACTIVE_RUN_STATUSES, AgendaRun, Meeting
from app.core.db import SessionDep
from app.core.errors import Conflict, FieldError
from app.core.flash import flash
from app.core.forms import PostedForm, values_of
from app.core.templating import render
from app.core.types import PathId
from app.events.auth import ManagedEventDep
from app.events.models import Event, Participation, ParticipationStatus
from app.events.service import zone_of
from app.i18n import gettext as _
from app.organisations.models import Organisation

router = APIRouter(prefix="/events", include_in_schema=False)


def run_status_label(status: str) -> str:
    labels = {
        "queued": _("Queued"),
        "running": _("Running"),
        "finished": _("Done"),
        "failed": _("Failed"),
        "cancelled": _("Cancelled"),
    }
    return labels.get(status, status)


def run_phase_label(phase: str | None) -> str:
    labels = {
        "queued": _("Waiting for a worker"),
        "instance": _("Reading the event"),
        "solving": _("Optimising"),
        "writing": _("Writing the draft"),
        "done": _("Done"),
    }
    return labels.get(phase or "", phase or "—")


def origin_label(origin: str) -> str:
    labels = {
        "mutual": _("Both wanted it"),
        "accepted": _("Accepted request"),
        "wish": _("Wish"),
        "recommendation": _("Recommendation"),
        "organiser": _("Placed by an organiser"),
    }
    return labels.get(origin, origin)


def _page(request: Request, db_session: SessionDep, event: Event) -> Response:
    ids = [m.id for m in service.live_meetings(db_session=db_session, event_id=event.id)]
    loaded = {
        m.id: m
        for m in db_session.scalars(
            select(Meeting)
            .where(Meeting.id.in_(ids))
            .options(
                selectinload(Meeting.slot),
                selectinload(Meeting.a).selectinload(Participation.organisation),
                selectinload(Meeting.b).selectinload(Participation.organisation),
            )
        )
    }
    by_slot: dict[int, list[Meeting]] = defaultdict(list)
    slots = {}
    for meeting in (loaded[i] for i in ids):
        by_slot[meeting.slot_id].append(meeting)
        slots[meeting.slot_id] = meeting.slot
    names: dict[int, str] = {
        pid: name
        for pid, name in db_session.execute(
            select(Participation.id, Organisation.legal_name)
            .join(Organisation, Organisation.id == Participation.organisation_id)
            .where(
                Participation.event_id == event.id,
                Participation.status == ParticipationStatus.approved.value,
            )
        )
    }
    runs = service.recent_runs(db_session=db_session, event_id=event.id)
    active = next((r for r in runs if r.status in ACTIVE_RUN_STATUSES), None)
    context: dict[str, Any] = {
        "event": event,
        "zone": zone_of(event),
        "slots": [(slots[sid], by_slot[sid]) for sid in by_slot],
        "summary": service.draft_summary(db_session=db_session, event_id=event.id),
        "names": names,
        "runs": runs,
        "active": active,
        "default_time_limit": int(service.DEFAULT_TIME_LIMIT_S),
        "max_time_limit": int(service.MAX_TIME_LIMIT_S),
        "run_status_label": run_status_label,
        "run_phase_label": run_phase_label,
        "origin_label": origin_label,
    }
    return render(request, "agenda/page.html", context)


@router.get("/{event_id}/agenda", name="agenda_page")
def agenda_page(request: Request, db_session: SessionDep, event: ManagedEventDep) -> Response:
    return _page(request, db_session, event)


def _back(event: Event) -> RedirectResponse:
    return RedirectResponse(f"/events/{event.id}/agenda", status_code=303)


@router.post("/{event_id}/agenda/runs", name="agenda_build")
def build_agenda(
    request: Request,
    db_session: SessionDep,
    event: ManagedEventDep,
    user: CurrentUser,
    posted: PostedForm,
) -> Response:
    raw = values_of(posted).get("time_limit_s", "") or str(int(service.DEFAULT_TIME_LIMIT_S))
    try:
        time_limit_s = float(raw)
    except ValueError:
        time_limit_s = 0.0
    try:
        run = service.start_build(
            db_session=db_session, event=event, user=user, time_limit_s=time_limit_s
        )
    except FieldError as exc:
        db_session.rollback()
        flash(request, " ".join(str(v) for v in exc.errors.values()), kind="error")
        return _back(event)
    except Conflict as exc:
        db_session.rollback()
        flash(request, str(exc.detail), kind="error")
        return _back(event)
    db_session.commit()  # the worker reads the run: queue it once it is committed
    jobs.enqueue_build(run.id)
    flash(request, _("The agenda is being built; this page shows its progress."))
    return _back(event)


@router.post("/{event_id}/agenda/runs/{run_id}/cancel", name="agenda_cancel")
def cancel_build(
    request: Request,
    run_id: PathId,
    db_session: SessionDep,
    event: ManagedEventDep,
    posted: PostedForm,
) -> Response:
    del posted  # only the CSRF token
    run: AgendaRun = service.get_run(db_session=db_session, event_id=event.id, run_id=run_id)
    try:
        service.request_cancel(db_session=db_session, run=run)
    except Conflict as exc:
        db_session.rollback()
        flash(request, str(exc.detail), kind="error")
        return _back(event)
    flash(request, _("The build is cancelled; the draft stays as it was."))
    return _back(event)
