"""Who may call the recommendation routes (run by tests/accounts/test_route_access.py).

Objects: ``reco_open_need`` (open) and ``reco_draft_need`` (draft) and
``reco_closed_need`` (closed) of ``world.client_org``; ``reco_profile``, the published
profile of ``world.provider_org``; ``weight_set``, a weight set of ``world.organiser_org``.
The matches of a need are the client's private data: 404 for other organisations.
"""

from __future__ import annotations

from app.needs import service as needs_service
from app.providers import service as providers_service
from app.providers.schemas import ProviderProfileCreate
from app.recommendations.models import ScoringWeightSet
from tests.accounts.world import Rule
from tests.needs.builders import need


def objects(db_session, world) -> dict[str, object]:
    opened = need(db_session, world.client_org.id, status="open")
    draft = need(db_session, world.client_org.id)
    closed = need(db_session, world.client_org.id, status="open")
    needs_service.close(db_session=db_session, need=closed)
    profile = providers_service.get_by_organisation(
        db_session=db_session, organisation_id=world.provider_org.id
    )
    if profile is None:
        profile = providers_service.create_profile(
            db_session=db_session,
            data=(
                ProviderProfileCreate.model_validate(
                    {
                        "organisation_id": world.provider_org.id,
                        "status": "published",
                        "sites": [
                            {
                                "country": "MA",
                                "city": "Rabat",
                                "seats_total": 100,
                                "seats_available_now": 50,
                            }
                        ],
                    }
                )
            ),
        )
    weight_set = ScoringWeightSet(
        organisation_id=world.organiser_org.id, name="Prix d'abord", weights={"price": 30}
    )
    db_session.add(weight_set)
    db_session.commit()
    return {
        "reco_open_need": opened.id,
        "reco_draft_need": draft.id,
        "reco_closed_need": closed.id,
        "reco_profile": profile.id,
        "weight_set": weight_set.id,
    }


_NEED_OPEN = {
    "default": 404,
    "anonymous": 401,
    "client_member": 200,
    "organiser": 200,
    "admin": 200,
}
_OWNER_API = {"default": 404, "anonymous": 401, "client_member": 200, "admin": 200}
_STAFF_API = {"default": 403, "anonymous": 401, "organiser": 200, "admin": 200}
_STAFF_PAGE = {"default": 403, "anonymous": 303, "organiser": 200, "admin": 200}
_STAFF_POST = {"default": 403, "anonymous": 303, "organiser": 303, "admin": 303}
SET_FORM = {"name": "Casablanca 2027", "w_price": "30", "w_verified": "0"}

RULES = [
    # --- API: matches ---
    Rule("GET", "/api/v1/needs/{reco_open_need}/matches", **_NEED_OPEN),
    Rule(
        "GET",
        "/api/v1/needs/{reco_open_need}/matches",
        params={"include_excluded": "true", "weights": "{weight_set}", "limit": "5"},
        **_NEED_OPEN,
    ),
    Rule("GET", "/api/v1/needs/{reco_draft_need}/matches", **_OWNER_API),
    Rule(
        "GET",
        "/api/v1/needs/{reco_closed_need}/matches",
        default=404,
        anonymous=401,
        client_member=409,
        admin=409,
        note="a closed need is not scored",
    ),
    Rule(
        "GET",
        "/api/v1/needs/{reco_open_need}/matches",
        params={"limit": "101"},
        default=422,
        anonymous=401,
    ),
    Rule("GET", "/api/v1/needs/999999/matches", default=404, anonymous=401),
    Rule(
        "GET",
        "/api/v1/providers/{reco_profile}/matches",
        default=404,
        anonymous=401,
        provider_member=200,
        admin=200,
    ),
    Rule("GET", "/api/v1/providers/999999/matches", default=404, anonymous=401),
    # --- API: weight sets ---
    Rule("GET", "/api/v1/weight-sets", default=200, anonymous=401),
    Rule(
        "POST",
        "/api/v1/weight-sets",
        json={"name": "Casablanca", "weights": {"price": 25}},
        default=403,
        anonymous=401,
        organiser=201,
        admin=422,
        note="a platform admin names the organiser organisation",
    ),
    Rule(
        "POST",
        "/api/v1/weight-sets",
        json={"name": "Casablanca", "weights": {"price": 25}, "organisation_id": "{organiser_org}"},
        default=403,
        anonymous=401,
        organiser=201,
        admin=201,
    ),
    Rule("GET", "/api/v1/weight-sets/{weight_set}", default=200, anonymous=401),
    Rule(
        "PATCH", "/api/v1/weight-sets/{weight_set}", json={"weights": {"price": 40}}, **_STAFF_API
    ),
    Rule(
        "DELETE",
        "/api/v1/weight-sets/{weight_set}",
        default=403,
        anonymous=401,
        organiser=204,
        admin=204,
    ),
    # --- pages ---
    Rule(
        "GET",
        "/needs/{reco_open_need}/matches",
        default=404,
        anonymous=303,
        client_member=200,
        organiser=200,
        admin=200,
    ),
    Rule(
        "GET",
        "/needs/{reco_open_need}/matches",
        params={"excluded": "true", "page": "2"},
        default=404,
        anonymous=303,
        client_member=200,
        organiser=200,
        admin=200,
    ),
    Rule(
        "GET",
        "/needs/{reco_draft_need}/matches",
        default=404,
        anonymous=303,
        client_member=200,
        admin=200,
    ),
    Rule("GET", "/providers/me/matches", default=403, anonymous=303, provider_member=303),
    Rule(
        "GET",
        "/providers/{reco_profile}/matches",
        default=404,
        anonymous=303,
        provider_member=200,
        admin=200,
    ),
    Rule("GET", "/weight-sets", **_STAFF_PAGE),
    Rule("GET", "/weight-sets/new", **_STAFF_PAGE),
    Rule(
        "POST",
        "/weight-sets/new",
        data=SET_FORM,
        default=403,
        anonymous=303,
        organiser=303,
        admin=400,
        note="a platform admin names the organiser organisation",
    ),
    Rule(
        "POST",
        "/weight-sets/new",
        data={**SET_FORM, "organisation_id": "{organiser_org}"},
        default=403,
        anonymous=303,
        organiser=303,
        admin=303,
    ),
    Rule("GET", "/weight-sets/{weight_set}/edit", **_STAFF_PAGE),
    Rule("POST", "/weight-sets/{weight_set}/edit", data=SET_FORM, **_STAFF_POST),
    Rule("POST", "/weight-sets/{weight_set}/delete", **_STAFF_POST),
]
