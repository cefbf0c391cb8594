"""Who may read an event's agenda (run by tests/accounts/test_route_access.py).

Objects: ``agenda_draft_event`` is a draft of ``world.organiser_org`` (404 to everyone but
its organisers and platform admins); ``agenda_open_event`` is open for requests (seen by
every signed-in user, its agenda by its organisers only: 403 for the others).
"""

from __future__ import annotations

from typing import Any

from app.agenda.models import AgendaRun, AgendaRunStatus
from app.events.models import EventStatus
from tests.accounts.world import Rule
from tests.events.builders import event


def objects(db_session: Any, world: Any) -> dict[str, object]:
    draft = event(db_session, world.organiser_org.id)
    opened = event(db_session, world.organiser_org.id, status=EventStatus.requests_open.value)
    runs = []
    for e in (draft, opened):
        # Finished builds: reading answers 200, cancelling one 409.
        run = AgendaRun(event_id=e.id, status=AgendaRunStatus.finished.value, time_limit_s=1.0)
        db_session.add(run)
        runs.append(run)
    db_session.commit()
    return {
        "agenda_draft_event": draft.id,
        "agenda_open_event": opened.id,
        "agenda_run": runs[0].id,
        "agenda_open_run": runs[1].id,
    }


_MANAGERS = {"organiser": 200, "admin": 200, "anonymous": 401}
# Pages: anonymous visitors are sent to the sign-in page; actions redirect back (303).
_PAGE = {"organiser": 200, "admin": 200, "anonymous": 303}
_ACTION = {"organiser": 303, "admin": 303, "anonymous": 303}

RULES = [
    Rule("GET", "/api/v1/events/{agenda_draft_event}/agenda", default=404, **_MANAGERS),
    Rule("GET", "/api/v1/events/{agenda_open_event}/agenda", default=403, **_MANAGERS),
    # The test event has no days: an organiser's build is refused (409), nobody else's is
    # even considered.
    Rule(
        "POST",
        "/api/v1/events/{agenda_draft_event}/agenda/runs",
        json={"time_limit_s": 1},
        default=404,
        organiser=409,
        admin=409,
        anonymous=401,
    ),
    Rule(
        "POST",
        "/api/v1/events/{agenda_open_event}/agenda/runs",
        json={"time_limit_s": 1},
        default=403,
        organiser=409,
        admin=409,
        anonymous=401,
    ),
    Rule(
        "GET",
        "/api/v1/events/{agenda_draft_event}/agenda/runs/{agenda_run}",
        default=404,
        **_MANAGERS,
    ),
    Rule(
        "GET",
        "/api/v1/events/{agenda_open_event}/agenda/runs/{agenda_open_run}",
        default=403,
        **_MANAGERS,
    ),
    Rule(
        "POST",
        "/api/v1/events/{agenda_draft_event}/agenda/runs/{agenda_run}/cancel",
        default=404,
        organiser=409,
        admin=409,
        anonymous=401,
    ),
    Rule(
        "POST",
        "/api/v1/events/{agenda_open_event}/agenda/runs/{agenda_open_run}/cancel",
        default=403,
        organiser=409,
        admin=409,
        anonymous=401,
    ),
    Rule("GET", "/events/{agenda_draft_event}/agenda", default=404, **_PAGE),
    Rule("GET", "/events/{agenda_open_event}/agenda", default=403, **_PAGE),
    Rule(
        "POST",
        "/events/{agenda_draft_event}/agenda/runs",
        data={"time_limit_s": "1"},
        default=404,
        **_ACTION,
    ),
    Rule(
        "POST",
        "/events/{agenda_open_event}/agenda/runs",
        data={"time_limit_s": "1"},
        default=403,
        **_ACTION,
    ),
    Rule(
        "POST",
        "/events/{agenda_draft_event}/agenda/runs/{agenda_run}/cancel",
        default=404,
        **_ACTION,
    ),
    Rule(
        "POST",
        "/events/{agenda_open_event}/agenda/runs/{agenda_open_run}/cancel",
        default=403,
        **_ACTION,
    ),
]
