"""Who may call the needs routes (run by tests/accounts/test_route_access.py).

Objects: ``client_need`` is a draft of ``world.client_org`` (private: 404 to everyone
else), ``open_need`` an open anonymous need of the same client, with a pending expression of
interest from ``world.provider_org``.
"""

from __future__ import annotations

from app.needs import service
from tests.accounts.world import Rule
from tests.needs.builders import future, need, need_payload

FORM = {
    "title": "Support technique",
    "services": ["technical_support"],
    "language_0": "fr",
    "level_0": "c1",
    "seats": "10",
    "start_date": future(30),
    "gdpr": "none",
    "min_capacity_share": "0.5",
    "action": "save",
}
EDIT_FORM = {**FORM, "title": "Support technique N2"}


def objects(db_session, world) -> dict[str, object]:
    draft = need(db_session, world.client_org.id)
    opened = need(db_session, world.client_org.id, status="open", anonymous=True)
    service.express_interest(
        db_session=db_session, need=opened, provider_id=world.provider_org.id, message="Disponibles"
    )
    db_session.commit()
    return {"client_need": draft.id, "open_need": opened.id}


_OWNER_ONLY = {"client_member": 200, "admin": 200, "anonymous": 401}

RULES = [
    # --- API ---
    Rule("GET", "/api/v1/needs", default=200, anonymous=401),
    Rule(
        "GET",
        "/api/v1/needs",
        params={"mine": "true"},
        default=200,
        anonymous=401,
        admin=403,
        note="a platform admin without organisation has no needs of its own",
    ),
    Rule(
        "POST",
        "/api/v1/needs",
        json=need_payload(),
        default=403,
        anonymous=401,
        client_member=201,
        other_client_member=201,
        admin=422,
        note="the admin must name the organisation",
    ),
    Rule(
        "POST",
        "/api/v1/needs",
        json=need_payload(organisation_id="{other_client_org}"),
        default=403,
        anonymous=401,
        other_client_member=201,
        admin=201,
    ),
    Rule("GET", "/api/v1/needs/{client_need}", default=404, **_OWNER_ONLY),
    Rule("GET", "/api/v1/needs/{open_need}", default=200, anonymous=401),
    Rule("PATCH", "/api/v1/needs/{client_need}", json={"seats": 12}, default=404, **_OWNER_ONLY),
    Rule("PATCH", "/api/v1/needs/{open_need}", json={"seats": 12}, default=403, **_OWNER_ONLY),
    Rule("POST", "/api/v1/needs/{client_need}/open", default=404, **_OWNER_ONLY),
    Rule("POST", "/api/v1/needs/{open_need}/close", default=403, **_OWNER_ONLY),
    Rule("GET", "/api/v1/needs/{open_need}/shortlist", default=403, **_OWNER_ONLY),
    Rule(
        "POST",
        "/api/v1/needs/{open_need}/shortlist",
        json={"provider_id": "{provider_org}"},
        default=403,
        anonymous=401,
        client_member=201,
        admin=201,
    ),
    Rule(
        "DELETE",
        "/api/v1/needs/{open_need}/shortlist/{provider_org}",
        default=403,
        anonymous=401,
        client_member=204,
        admin=204,
    ),
    Rule("GET", "/api/v1/needs/{open_need}/interests", default=200, anonymous=401),
    Rule(
        "POST",
        "/api/v1/needs/{open_need}/interests",
        json={"message": "Bonjour"},
        default=403,
        anonymous=401,
        provider_member=201,
        admin=422,
        note="the admin must name the call centre",
    ),
    Rule(
        "POST",
        "/api/v1/needs/{open_need}/interests/{provider_org}/accept",
        default=403,
        **_OWNER_ONLY,
    ),
    Rule(
        "POST",
        "/api/v1/needs/{open_need}/interests/{provider_org}/decline",
        default=403,
        **_OWNER_ONLY,
    ),
    # --- pages ---
    Rule("GET", "/needs", default=200, anonymous=303),
    Rule(
        "GET", "/needs/new", default=403, anonymous=303, client_member=200, other_client_member=200
    ),
    Rule(
        "POST",
        "/needs/new",
        data=FORM,
        default=403,
        anonymous=303,
        client_member=303,
        other_client_member=303,
    ),
    Rule("GET", "/needs/{client_need}", default=404, anonymous=303, client_member=200, admin=200),
    Rule("GET", "/needs/{open_need}", default=200, anonymous=303),
    Rule(
        "GET", "/needs/{client_need}/edit", default=404, anonymous=303, client_member=200, admin=200
    ),
    Rule(
        "POST",
        "/needs/{client_need}/edit",
        data=EDIT_FORM,
        default=404,
        anonymous=303,
        client_member=303,
        admin=303,
    ),
    Rule(
        "GET", "/needs/{open_need}/edit", default=403, anonymous=303, client_member=200, admin=200
    ),
    Rule(
        "POST",
        "/needs/{client_need}/open",
        default=404,
        anonymous=303,
        client_member=303,
        admin=303,
    ),
    Rule(
        "POST", "/needs/{open_need}/close", default=403, anonymous=303, client_member=303, admin=303
    ),
    Rule(
        "POST",
        "/needs/{open_need}/interest",
        data={"message": "Bonjour"},
        default=403,
        anonymous=303,
        provider_member=303,
    ),
    Rule(
        "POST",
        "/needs/{open_need}/interests/{provider_org}/accept",
        default=403,
        anonymous=303,
        client_member=303,
        admin=303,
    ),
    Rule(
        "POST",
        "/needs/{open_need}/shortlist",
        data={"provider_id": "{provider_org}"},
        default=403,
        anonymous=303,
        client_member=303,
        admin=303,
    ),
    Rule(
        "POST",
        "/needs/{open_need}/shortlist/{provider_org}/remove",
        default=403,
        anonymous=303,
        client_member=303,
        admin=303,
    ),
]
