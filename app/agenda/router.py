"""JSON API of the agenda: /api/v1/events/{id}/agenda (the draft, for the event's organisers)."""

from __future__ import annotations

from fastapi import APIRouter, status
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.deps import CurrentUser
from app.agenda import jobs, service
from app.agenda.models import AgendaRun, Meeting
from app.agenda.schemas import (
    AgendaRead,
    BuildCreate,
    BuildRead,
    LeftOutRead,
    MeetingRead,
    ParticipantBreaks,
    ParticipantRef,
    RunRead,
    SummaryRead,
)
from app.core.db import SessionDep
from app.core.errors import API_ERROR_RESPONSES
from app.core.types import PathId
from app.events.auth import ManagedEventDep
from app.events.models import Participation
from app.events.service import zone_of

router = APIRouter(prefix="/events", tags=["agenda"], responses=API_ERROR_RESPONSES)


def _ref(participation: Participation) -> ParticipantRef:
    return ParticipantRef(
        participation_id=participation.id,
        organisation_id=participation.organisation_id,
        name=participation.organisation.legal_name,
        kind=participation.organisation.kind,
    )


@router.get(
    "/{event_id}/agenda",
    response_model=AgendaRead,
    summary="The event's draft agenda and its summary (organisers)",
)
def read_agenda(db_session: SessionDep, event: ManagedEventDep) -> AgendaRead:
    ids = [m.id for m in service.live_meetings(db_session=db_session, event_id=event.id)]
    meetings = {
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
    zone = zone_of(event)
    summary = service.draft_summary(db_session=db_session, event_id=event.id)
    run = service.last_run(db_session=db_session, event_id=event.id)
    return AgendaRead(
        event_id=event.id,
        meetings=[
            MeetingRead(
                id=m.id,
                slot_id=m.slot_id,
                slot_position=m.slot.position,
                session=m.slot.session,
                starts_at=m.slot.starts_at,
                ends_at=m.slot.ends_at,
                local_starts_at=m.slot.starts_at.astimezone(zone),
                local_ends_at=m.slot.ends_at.astimezone(zone),
                table=m.table_number,
                a=_ref(m.a),
                b=_ref(m.b),
                origin=m.origin,
                status=m.status,
                locked=m.locked,
                request_id=m.request_id,
                version=m.version,
            )
            for m in (meetings[i] for i in ids)
        ],
        summary=SummaryRead(
            meetings=summary.meetings,
            by_origin=summary.by_origin,
            required_wanted=summary.required_wanted,
            left_out=[
                LeftOutRead(
                    a_participation_id=x.a_participation_id,
                    b_participation_id=x.b_participation_id,
                    a_name=x.a_name,
                    b_name=x.b_name,
                    origin=x.origin,
                    reason=x.reason,
                    reason_text=x.reason_text,
                )
                for x in summary.left_out
            ],
            total_breaks=summary.total_breaks,
            participants=[
                ParticipantBreaks(participation_id=p, meetings=n, breaks=summary.breaks[p])
                for p, n in summary.held.items()
            ],
            few=summary.few,
            few_meetings=sorted(summary.few_meetings),
        ),
        last_run=None
        if run is None
        else RunRead(
            id=run.id,
            started_at=run.started_at,
            finished_at=run.finished_at,
            status=run.status,
            result_status=run.result_status,
            required_unscheduled=run.required_unscheduled,
            weight=run.weight,
            weight_bound=run.weight_bound,
            breaks=run.breaks,
            breaks_bound=run.breaks_bound,
            seconds=run.seconds,
        ),
    )


def build_read(run: AgendaRun) -> BuildRead:
    return BuildRead.model_validate(run, from_attributes=True)


@router.post(
    "/{event_id}/agenda/runs",
    response_model=BuildRead,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Build the event's agenda in the background (organisers)",
)
def start_build(
    payload: BuildCreate, db_session: SessionDep, event: ManagedEventDep, user: CurrentUser
) -> BuildRead:
    run = service.start_build(
        db_session=db_session, event=event, user=user, time_limit_s=payload.time_limit_s
    )
    db_session.commit()  # the worker reads the run: queue it once it is committed
    jobs.enqueue_build(run.id)
    return build_read(run)


@router.get(
    "/{event_id}/agenda/runs/{run_id}",
    response_model=BuildRead,
    summary="A build of the event's agenda and its progress (organisers)",
)
def read_build(run_id: PathId, db_session: SessionDep, event: ManagedEventDep) -> BuildRead:
    return build_read(service.get_run(db_session=db_session, event_id=event.id, run_id=run_id))


@router.post(
    "/{event_id}/agenda/runs/{run_id}/cancel",
    response_model=BuildRead,
    summary="Stop a build at its next check; the draft stays as it was (organisers)",
)
def cancel_build(run_id: PathId, db_session: SessionDep, event: ManagedEventDep) -> BuildRead:
    run = service.get_run(db_session=db_session, event_id=event.id, run_id=run_id)
    return build_read(service.request_cancel(db_session=db_session, run=run))
