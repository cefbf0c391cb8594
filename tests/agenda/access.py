"""Who may read an event's agenda (run by tests/accounts/test_route_access.py).

Objects: ``agenda_draft_event`` is a draft of ``world.organiser_org`` (404 to everyone but
its organisers and platform admins); ``agenda_open_event`` is open for requests (seen by
every signed-in user, its agenda by its organisers only: 403 for the others).
"""

from __future__ import annotations

from typing import Any

from app.events.models import EventStatus
from tests.accounts.world import Rule
from tests.events.builders import event


def objects(db_session: Any, world: Any) -> dict[str, object]:
    draft = event(db_session, world.organiser_org.id)
    opened = event(db_session, world.organiser_org.id, status=EventStatus.requests_open.value)
    return {"agenda_draft_event": draft.id, "agenda_open_event": opened.id}


_MANAGERS = {"organiser": 200, "admin": 200, "anonymous": 401}

RULES = [
    Rule("GET", "/api/v1/events/{agenda_draft_event}/agenda", default=404, **_MANAGERS),
    Rule("GET", "/api/v1/events/{agenda_open_event}/agenda", default=403, **_MANAGERS),
]
