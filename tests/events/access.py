"""Who may call the events routes (run by tests/accounts/test_route_access.py).

Objects: ``draft_event`` is a draft of ``world.organiser_org`` (404 to everyone but its
organisers and platform admins); ``open_event`` is open for registration, with a pending
registration of ``world.client_org`` (``client_registration``) and an approved one of
``world.provider_org`` (``provider_registration``).
"""

from __future__ import annotations

from typing import Any

from app.events.models import EventStatus
from tests.accounts.world import Rule
from tests.events.builders import event, event_form, event_payload, participation


def objects(db_session: Any, world: Any) -> dict[str, object]:
    draft = event(db_session, world.organiser_org.id)
    opened = event(db_session, world.organiser_org.id, status=EventStatus.registration_open.value)
    client = participation(db_session, opened, world.client_org.id)
    provider = participation(db_session, opened, world.provider_org.id, status="approved")
    return {
        "draft_event": draft.id,
        "open_event": opened.id,
        "client_registration": client.id,
        "provider_registration": provider.id,
    }


_MANAGERS = {"organiser": 200, "admin": 200, "anonymous": 401}
_MANAGERS_PAGE = {"organiser": 200, "admin": 200, "anonymous": 303}
_MANAGERS_POST = {"organiser": 303, "admin": 303, "anonymous": 303}
_CLIENT_REG = {"client_member": 200, "organiser": 200, "admin": 200, "anonymous": 401}
REG = "/api/v1/events/{open_event}/registrations"

RULES = [
    # --- API: events ---
    Rule("GET", "/api/v1/events", default=200, anonymous=401),
    Rule(
        "POST",
        "/api/v1/events",
        json=event_payload(),
        default=403,
        anonymous=401,
        organiser=201,
        admin=422,
        note="a platform admin names the organiser organisation",
    ),
    Rule(
        "POST",
        "/api/v1/events",
        json=event_payload(organiser_id="{organiser_org}"),
        default=403,
        anonymous=401,
        organiser=201,
        admin=201,
    ),
    Rule("GET", "/api/v1/events/{draft_event}", default=404, **_MANAGERS),
    Rule("GET", "/api/v1/events/{open_event}", default=200, anonymous=401),
    Rule("PATCH", "/api/v1/events/{draft_event}", json={"name": "X"}, default=404, **_MANAGERS),
    Rule("PATCH", "/api/v1/events/{open_event}", json={"name": "X"}, default=403, **_MANAGERS),
    Rule(
        "POST",
        "/api/v1/events/{draft_event}/status",
        json={"action": "open_registration"},
        default=404,
        **_MANAGERS,
    ),
    Rule(
        "POST",
        "/api/v1/events/{open_event}/status",
        json={"action": "open_requests"},
        default=403,
        **_MANAGERS,
    ),
    Rule("GET", "/api/v1/events/{draft_event}/slots", default=404, **_MANAGERS),
    Rule("GET", "/api/v1/events/{open_event}/slots", default=200, anonymous=401),
    # --- API: registrations ---
    Rule(
        "GET",
        REG,
        default=403,
        anonymous=401,
        organiser=200,
        admin=200,
        provider_member=200,
        note="participants see the approved ones' public information; pending ones nothing",
    ),
    Rule(
        "POST",
        REG,
        json={"attendees": [{"full_name": "Karim Benali"}]},
        default=409,
        anonymous=401,
        other_client_member=201,
        organiser=422,
        admin=422,
        note="client and provider are registered already; organisers register others",
    ),
    Rule(
        "POST",
        REG,
        json={"organisation_id": "{other_client_org}"},
        default=403,
        anonymous=401,
        other_client_member=201,
        organiser=201,
        admin=201,
    ),
    Rule(
        "POST",
        "/api/v1/events/{draft_event}/registrations",
        json={},
        default=404,
        anonymous=401,
        organiser=422,
        admin=422,
    ),
    Rule(
        "GET",
        REG + "/mine",
        default=404,
        anonymous=401,
        client_member=200,
        provider_member=200,
    ),
    Rule("GET", REG + "/{client_registration}", default=404, **_CLIENT_REG),
    Rule(
        "PATCH",
        REG + "/{client_registration}",
        json={"max_meetings": 5},
        default=404,
        **_CLIENT_REG,
    ),
    Rule("POST", REG + "/{client_registration}/approve", default=403, **_MANAGERS),
    Rule(
        "POST",
        REG + "/{client_registration}/refuse",
        json={"reason": "The event is full."},
        default=403,
        **_MANAGERS,
    ),
    Rule("POST", REG + "/{client_registration}/withdraw", default=404, **_CLIENT_REG),
    # --- pages ---
    Rule("GET", "/events", default=200, anonymous=303),
    Rule("GET", "/events/new", default=403, anonymous=303, organiser=200),
    Rule("POST", "/events/new", data=event_form(), default=403, anonymous=303, organiser=303),
    Rule("GET", "/events/{draft_event}", default=404, **_MANAGERS_PAGE),
    Rule("GET", "/events/{open_event}", default=200, anonymous=303),
    Rule("GET", "/events/{draft_event}/edit", default=404, **_MANAGERS_PAGE),
    Rule("GET", "/events/{open_event}/edit", default=403, **_MANAGERS_PAGE),
    Rule("POST", "/events/{draft_event}/edit", data=event_form(), default=404, **_MANAGERS_POST),
    Rule(
        "GET",
        "/events/{draft_event}/status",
        params={"action": "open_registration"},
        default=404,
        **_MANAGERS_PAGE,
    ),
    Rule(
        "POST",
        "/events/{draft_event}/status",
        data={"action": "open_registration"},
        default=404,
        **_MANAGERS_POST,
    ),
    Rule(
        "GET",
        "/events/{open_event}/register",
        default=200,
        anonymous=303,
        organiser=403,
        admin=403,
    ),
    Rule(
        "POST",
        "/events/{open_event}/register",
        data={"attendees.0.full_name": "Karim Benali", "action": "save"},
        default=303,
        organiser=403,
        admin=403,
        note="client and provider edit their registration; the other client registers",
    ),
    Rule(
        "POST",
        "/events/{open_event}/withdraw",
        default=403,
        anonymous=303,
        client_member=303,
        provider_member=303,
    ),
    Rule("GET", "/events/{open_event}/registrations", default=403, **_MANAGERS_PAGE),
    Rule(
        "POST",
        "/events/{open_event}/registrations",
        data={"organisation_id": "{other_client_org}"},
        default=403,
        **_MANAGERS_POST,
    ),
    Rule(
        "POST",
        "/events/{open_event}/registrations/{client_registration}/approve",
        default=403,
        **_MANAGERS_POST,
    ),
    Rule(
        "POST",
        "/events/{open_event}/registrations/{client_registration}/refuse",
        data={"reason": "The event is full."},
        default=403,
        **_MANAGERS_POST,
    ),
    Rule("GET", "/events/{open_event}/dashboard", default=403, **_MANAGERS_PAGE),
    Rule(
        "POST",
        "/events/{open_event}/dashboard",
        data={"group": "without_accepted", "message": "Send your requests!"},
        default=403,
        **_MANAGERS_POST,
    ),
]
