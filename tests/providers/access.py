"""Who may call the providers' routes (run by the table-driven access tests).

Objects: ``{provider_profile}`` is the published profile of ``world.provider_org`` (the
``provider_member``'s own centre); ``{other_provider_org}`` is another call centre whose
profile ``{other_draft}`` is a draft (private: 404 for anyone but its members and admins).
"""

from __future__ import annotations

from tests.accounts.world import Rule
from tests.providers.factories import profile, provider_organisation

SITE = {"country": "MA", "city": "Oujda", "seats_total": 20, "seats_available_now": 5}


def objects(db_session, world) -> dict[str, object]:
    from app.providers import service
    from app.providers.schemas import ProviderProfileCreate

    own = service.create_profile(
        db_session=db_session,
        data=ProviderProfileCreate(
            organisation_id=world.provider_org.id, status="published", sites=[SITE]
        ),
    )
    db_session.commit()
    other_org = provider_organisation(db_session, legal_name="Dakar Call SARL", country="SN")
    draft = profile(db_session, status="draft")
    return {
        "provider_profile": own.id,
        "other_provider_org": other_org.id,
        "other_draft": draft.id,
    }


RULES = [
    # --- JSON API ---------------------------------------------------------------------
    Rule("GET", "/api/v1/providers", default=200, anonymous=401),
    Rule(
        "GET",
        "/api/v1/providers",
        params={"language": "fr", "seats": "1"},
        default=200,
        anonymous=401,
        note="filters",
    ),
    Rule(
        "POST",
        "/api/v1/providers",
        json={"organisation_id": "{other_provider_org}"},
        default=403,
        anonymous=401,
        admin=201,
    ),
    Rule(
        "POST",
        "/api/v1/providers",
        json={"organisation_id": "{provider_org}"},
        default=403,
        anonymous=401,
        provider_member=409,
        admin=409,
        note="its own centre already has a profile: the check passed, the conflict shows",
    ),
    Rule("GET", "/api/v1/providers/{provider_profile}", default=200, anonymous=401),
    Rule("GET", "/api/v1/providers/{other_draft}", default=404, anonymous=401, admin=200),
    Rule("GET", "/api/v1/providers/by-organisation/{provider_org}", default=200, anonymous=401),
    Rule(
        "PATCH",
        "/api/v1/providers/{provider_profile}",
        json={"description_en": "Hi"},
        default=403,
        anonymous=401,
        provider_member=200,
        admin=200,
    ),
    Rule(
        "PATCH",
        "/api/v1/providers/{other_draft}",
        json={"description_en": "Hi"},
        default=404,
        anonymous=401,
        admin=200,
    ),
    Rule(
        "POST",
        "/api/v1/providers/{provider_profile}/close",
        default=403,
        anonymous=401,
        provider_member=200,
        admin=200,
    ),
    Rule("POST", "/api/v1/providers/{other_draft}/close", default=404, anonymous=401, admin=200),
    Rule(
        "POST",
        "/api/v1/providers/{provider_profile}/publish",
        default=403,
        anonymous=401,
        provider_member=200,
        admin=200,
    ),
    # --- pages ------------------------------------------------------------------------
    Rule("GET", "/providers", default=200, anonymous=303),
    Rule("GET", "/providers/{provider_profile}", default=200, anonymous=303),
    Rule("GET", "/providers/{other_draft}", default=404, anonymous=303, admin=200),
    Rule("GET", "/providers/me/edit", default=403, anonymous=303, provider_member=303),
    Rule("GET", "/providers/organisation/{provider_org}", default=303),
    Rule(
        "GET",
        "/providers/organisation/{client_org}",
        default=404,
        anonymous=303,
        note="a client company has no call-centre profile",
    ),
    Rule(
        "GET",
        "/providers/organisation/{other_provider_org}",
        default=404,
        anonymous=303,
        admin=303,
        note="no profile yet: its members are sent to the editor",
    ),
    Rule(
        "GET",
        "/providers/new",
        params={"organisation_id": "{other_provider_org}"},
        default=403,
        anonymous=303,
        admin=200,
    ),
    Rule(
        "POST",
        "/providers/new",
        params={"organisation_id": "{other_provider_org}"},
        data={"action": "add:sites"},
        default=403,
        anonymous=303,
        admin=200,
    ),
    Rule(
        "GET",
        "/providers/{provider_profile}/edit",
        default=403,
        anonymous=303,
        provider_member=200,
        admin=200,
    ),
    Rule("GET", "/providers/{other_draft}/edit", default=404, anonymous=303, admin=200),
    Rule(
        "POST",
        "/providers/{provider_profile}/edit",
        data={"action": "add:sites"},
        default=403,
        anonymous=303,
        provider_member=200,
        admin=200,
    ),
]
