"""Who may call the organisation routes (run by tests/accounts/test_route_access.py).

Public profiles are readable by any signed-in user; editing is for the organisation's
members and platform administrators; creating directly (outside sign-up) is for platform
administrators; verification is for organisers and platform administrators.
"""

from __future__ import annotations

from tests.accounts.world import Rule

NEW_ORG = {
    "kind": "client",
    "legal_name": "Assurances du Sud SA",
    "country": "FR",
    "city": "Toulouse",
}
EDIT_FORM = {"legal_name": "Renamed SA", "country": "FR", "city": "Lille"}
_SIGNED_IN = {"default": 200, "anonymous": 401}
_SIGNED_IN_PAGE = {"default": 200, "anonymous": 303}

RULES = [
    # --- API ---
    Rule("GET", "/api/v1/organisations", **_SIGNED_IN),
    Rule(
        "GET", "/api/v1/organisations", params={"kind": "provider", "country": "MA"}, **_SIGNED_IN
    ),
    Rule("POST", "/api/v1/organisations", json=NEW_ORG, default=403, anonymous=401, admin=201),
    Rule("GET", "/api/v1/organisations/{client_org}", **_SIGNED_IN),
    Rule(
        "GET",
        "/api/v1/organisations/{other_client_org}",
        **_SIGNED_IN,
        note="a public profile: readable by every signed-in user",
    ),
    Rule("GET", "/api/v1/organisations/999999999", default=404, anonymous=401),
    Rule(
        "GET",
        "/api/v1/organisations/99999999999",
        default=422,
        anonymous=401,
        note="beyond the INTEGER range: refused before the database sees it",
    ),
    Rule(
        "PATCH",
        "/api/v1/organisations/{client_org}",
        json={"city": "Lille"},
        default=403,
        anonymous=401,
        client_member=200,
        admin=200,
    ),
    Rule(
        "PATCH",
        "/api/v1/organisations/{provider_org}",
        json={"city": "Fès"},
        default=403,
        anonymous=401,
        provider_member=200,
        admin=200,
    ),
    Rule(
        "PATCH",
        "/api/v1/organisations/{other_client_org}",
        json={"legal_name": "Pwned"},
        default=403,
        anonymous=401,
        other_client_member=200,
        admin=200,
    ),
    Rule(
        "PATCH", "/api/v1/organisations/999999999", json={"city": "X"}, default=404, anonymous=401
    ),
    Rule(
        "POST",
        "/api/v1/organisations/{client_org}/verification",
        json={"verified": True},
        default=403,
        anonymous=401,
        organiser=200,
        admin=200,
    ),
    Rule(
        "POST",
        "/api/v1/organisations/{provider_org}/verification",
        json={"verified": False},
        default=403,
        anonymous=401,
        organiser=200,
        admin=200,
    ),
    Rule(
        "GET",
        "/api/v1/organisations/{client_org}/members",
        default=403,
        anonymous=401,
        client_member=200,
        admin=200,
        note="private: the team's e-mails",
    ),
    Rule(
        "GET",
        "/api/v1/organisations/verification-queue",
        default=403,
        anonymous=401,
        organiser=200,
        admin=200,
    ),
    Rule(
        "POST",
        "/api/v1/organisations/{client_org}/registration-claim",
        json={"decision": "grant"},
        default=403,
        anonymous=401,
        organiser=404,
        admin=404,
        note="no contested number on this organisation",
    ),
    # --- pages ---
    Rule(
        "GET",
        "/organisations/verification-queue",
        default=403,
        anonymous=303,
        organiser=200,
        admin=200,
    ),
    Rule(
        "POST",
        "/organisations/{client_org}/registration-claim",
        data={"decision": "refuse"},
        default=403,
        anonymous=303,
        organiser=404,
        admin=404,
    ),
    Rule("GET", "/organisations", **_SIGNED_IN_PAGE),
    Rule("GET", "/organisations/new", default=403, anonymous=303, admin=200),
    Rule("POST", "/organisations/new", data=NEW_ORG, default=403, anonymous=303, admin=303),
    Rule("GET", "/organisations/{client_org}", **_SIGNED_IN_PAGE),
    Rule("GET", "/organisations/999999999", default=404, anonymous=303),
    Rule(
        "GET",
        "/organisations/{client_org}/edit",
        default=403,
        anonymous=303,
        client_member=200,
        admin=200,
    ),
    Rule(
        "POST",
        "/organisations/{client_org}/edit",
        data=EDIT_FORM,
        default=403,
        anonymous=303,
        client_member=303,
        admin=303,
    ),
    Rule(
        "POST",
        "/organisations/{provider_org}/edit",
        data=EDIT_FORM,
        default=403,
        anonymous=303,
        provider_member=303,
        admin=303,
    ),
    Rule(
        "POST",
        "/organisations/{client_org}/verification",
        data={"verified": "true"},
        default=403,
        anonymous=303,
        organiser=303,
        admin=303,
    ),
    # --- site-wide pages (app/web.py, app/health.py) ---
    Rule("GET", "/", default=200),
    Rule("POST", "/language", data={"lang": "fr", "next": "/"}, default=303),
    Rule("GET", "/healthz", default=200),
]
