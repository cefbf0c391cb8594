"""Who may call the matchmaking routes (run by tests/accounts/test_route_access.py).

Objects: ``event`` is run by ``world.organiser_org`` (requests open), with ``world.client_org``
and ``world.provider_org`` approved participants (``client_part``, ``provider_part``);
``world.other_client_org`` does not take part. ``request`` is the client's pending request
to the call centre.
"""

from __future__ import annotations

from tests.accounts.world import Rule
from tests.matchmaking import builders


def objects(db_session, world) -> dict[str, object]:
    event = builders.event(db_session, organiser=world.organiser_org, request_deadline=None)
    client = builders.participate(db_session, event, world.client_org)
    provider = builders.participate(db_session, event, world.provider_org)
    pending = builders.request(db_session, event, client, provider)
    return {
        "event": event.id,
        "client_part": client.id,
        "provider_part": provider.id,
        "request": pending.id,
    }


# Readers: the two participants and those who manage the event (its organiser, admins).
_READERS = {"anonymous": 401, "client_member": 200, "provider_member": 200, "organiser": 200}
_READERS_PAGE = {**_READERS, "anonymous": 303}
_E = "/api/v1/events/{event}"
_P = "/events/{event}"

RULES = [
    # --- API ---
    Rule("GET", f"{_E}/participants", default=403, admin=200, **_READERS),
    Rule("GET", f"{_E}/requests", default=403, admin=200, **_READERS),
    Rule(
        "GET",
        f"{_E}/requests",
        params={"status": "pending", "direction": "sent"},
        default=403,
        admin=200,
        **_READERS,
    ),
    Rule(
        "POST",
        f"{_E}/requests",
        json={"recipient_id": "{provider_part}", "message": "Bonjour"},
        default=403,
        anonymous=401,
        client_member=200,
        provider_member=422,
        note="the client's request exists (200); the call centre asks itself (422)",
    ),
    Rule(
        "POST",
        f"{_E}/requests",
        json={"recipient_id": "{client_part}"},
        default=403,
        anonymous=401,
        client_member=422,
        provider_member=200,
        note="the call centre asking the client back accepts its request (mutual, 200)",
    ),
    Rule(
        "POST",
        f"{_E}/requests/{{request}}/accept",
        default=403,
        anonymous=401,
        provider_member=200,
        note="only the recipient",
    ),
    Rule(
        "POST",
        f"{_E}/requests/{{request}}/decline",
        json={"reason": "Complet"},
        default=403,
        anonymous=401,
        provider_member=200,
    ),
    Rule(
        "POST",
        f"{_E}/requests/{{request}}/cancel",
        default=403,
        anonymous=401,
        client_member=200,
        note="only the sender",
    ),
    Rule(
        "PUT",
        f"{_E}/preferences/{{provider_part}}",
        json={"level": "would_like"},
        default=403,
        anonymous=401,
        client_member=200,
        provider_member=422,
    ),
    Rule(
        "DELETE",
        f"{_E}/preferences/{{provider_part}}",
        default=403,
        anonymous=401,
        client_member=204,
        provider_member=204,
    ),
    Rule("GET", "/api/v1/events/999999/participants", default=404, anonymous=401),
    # --- pages ---
    Rule("GET", f"{_P}/catalogue", default=403, admin=200, **_READERS_PAGE),
    Rule("GET", f"{_P}/requests", default=403, admin=200, **_READERS_PAGE),
    Rule(
        "GET",
        f"{_P}/catalogue/{{provider_part}}/ask",
        default=403,
        anonymous=303,
        client_member=200,
        provider_member=200,
    ),
    Rule(
        "POST",
        f"{_P}/catalogue/{{provider_part}}/ask",
        data={"message": "Bonjour"},
        default=403,
        anonymous=303,
        client_member=303,
        provider_member=400,
    ),
    Rule(
        "POST",
        f"{_P}/catalogue/{{provider_part}}/preference",
        data={"level": "would_like"},
        default=403,
        anonymous=303,
        client_member=303,
        provider_member=400,
    ),
    Rule(
        "POST",
        f"{_P}/requests/{{request}}/accept",
        default=403,
        anonymous=303,
        provider_member=303,
    ),
    Rule(
        "POST",
        f"{_P}/requests/{{request}}/decline",
        data={"reason": "Complet"},
        default=403,
        anonymous=303,
        provider_member=303,
    ),
    Rule(
        "POST",
        f"{_P}/requests/{{request}}/cancel",
        default=403,
        anonymous=303,
        client_member=303,
    ),
]
