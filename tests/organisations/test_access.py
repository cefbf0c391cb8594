"""Organisations across boundaries: another organisation's id gives 403 or 404, never its
data, for reading private parts, updating and deleting; verification is for organisers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import ApiToken, AuditEvent
from app.organisations.models import Organisation
from tests import factories
from tests.accounts.factories import api_token, log_in, log_out, user


@pytest.fixture(autouse=True)
def _signed_in_admin():
    """This module signs in its own users (overrides the package's admin login)."""


@pytest.fixture
def two_clients(db_session):
    mine = user(db_session, kind="client")
    theirs = user(db_session, kind="client")
    return mine, theirs


def _snapshot(db_session, org_id: int) -> dict:
    db_session.expire_all()
    org = db_session.get(Organisation, org_id)
    return {c: getattr(org, c) for c in ("legal_name", "city", "country", "website", "verified")}


def test_anonymous_visitors_cannot_list_or_read_organisations(bare_client, db_session):
    org = factories.organisation(db_session)
    assert bare_client.get("/api/v1/organisations").status_code == 401
    assert bare_client.get(f"/api/v1/organisations/{org.id}").status_code == 401
    page = bare_client.get(f"/organisations/{org.id}", follow_redirects=False)
    assert page.status_code == 303 and org.legal_name not in page.text


def test_signed_in_users_read_public_profiles_of_others(client, db_session, two_clients):
    mine, theirs = two_clients
    log_in(client, mine)
    response = client.get(f"/api/v1/organisations/{theirs.organisation_id}")
    assert response.status_code == 200
    assert response.json()["legal_name"] == theirs.organisation.legal_name


def test_update_of_another_organisation_is_refused_and_changes_nothing(
    client, db_session, two_clients
):
    mine, theirs = two_clients
    before = _snapshot(db_session, theirs.organisation_id)
    headers = {"Authorization": f"Bearer {api_token(db_session, mine)}"}
    api = client.patch(
        f"/api/v1/organisations/{theirs.organisation_id}",
        json={"legal_name": "Hijacked SA"},
        headers=headers,
    )
    assert api.status_code == 403 and "Hijacked" not in api.text
    log_in(client, mine)
    form = client.post(
        f"/organisations/{theirs.organisation_id}/edit",
        data={"legal_name": "Hijacked SA", "country": "FR"},
    )
    assert form.status_code == 403
    assert client.get(f"/organisations/{theirs.organisation_id}/edit").status_code == 403
    assert _snapshot(db_session, theirs.organisation_id) == before
    own = client.patch(f"/api/v1/organisations/{mine.organisation_id}", json={"city": "Nice"})
    assert own.status_code == 200 and own.json()["city"] == "Nice"


def test_private_parts_of_another_organisation_are_not_readable(client, db_session, two_clients):
    mine, theirs = two_clients
    log_in(client, mine)
    response = client.get(f"/api/v1/organisations/{theirs.organisation_id}/members")
    assert response.status_code == 403 and theirs.email not in response.text
    own = client.get(f"/api/v1/organisations/{mine.organisation_id}/members").json()
    assert [m["email"] for m in own["items"]] == [mine.email]


def test_deleting_another_users_token_is_not_found_and_it_keeps_working(
    client, db_session, two_clients
):
    mine, theirs = two_clients
    their_token = api_token(db_session, theirs)
    token_id = db_session.scalar(select(ApiToken.id).where(ApiToken.user_id == theirs.id))
    log_in(client, mine)
    assert client.delete(f"/api/v1/me/tokens/{token_id}").status_code == 404
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    log_out(client)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {their_token}"})
    assert me.status_code == 200 and me.json()["email"] == theirs.email


def test_members_cannot_create_organisations_directly(client, db_session, two_clients):
    mine, _theirs = two_clients
    log_in(client, mine)
    before = db_session.query(Organisation).count()
    response = client.post(
        "/api/v1/organisations", json={"kind": "client", "legal_name": "Side SA", "country": "FR"}
    )
    assert response.status_code == 403
    assert client.get("/organisations/new").status_code == 403
    assert db_session.query(Organisation).count() == before


def test_only_organisers_and_admins_verify_and_it_is_audited(client, db_session, two_clients):
    mine, theirs = two_clients
    log_in(client, mine)
    refused = client.post(
        f"/api/v1/organisations/{mine.organisation_id}/verification", json={"verified": True}
    )
    assert refused.status_code == 403
    assert _snapshot(db_session, mine.organisation_id)["verified"] is False
    organiser = user(db_session, kind="organiser")
    log_in(client, organiser)
    page = client.get(f"/organisations/{theirs.organisation_id}")
    assert "Mark as verified" in page.text
    done = client.post(
        f"/organisations/{theirs.organisation_id}/verification",
        data={"verified": "true"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert _snapshot(db_session, theirs.organisation_id)["verified"] is True
    assert "badge-verified" in client.get(f"/organisations/{theirs.organisation_id}").text
    event = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "organisation_verified")
    )
    assert (event.actor_id, event.organisation_id) == (organiser.id, theirs.organisation_id)
    api = client.post(
        f"/api/v1/organisations/{theirs.organisation_id}/verification", json={"verified": False}
    )
    assert api.status_code == 200 and api.json()["verified"] is False


def test_verification_with_a_bad_body_names_the_field(client, db_session):
    log_in(client, user(db_session, kind="organiser"))
    org = factories.organisation(db_session)
    response = client.post(
        f"/api/v1/organisations/{org.id}/verification", json={"verified": "perhaps"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "verified"]


def test_edit_button_only_for_members(client, db_session, two_clients):
    mine, theirs = two_clients
    log_in(client, mine)
    assert (
        f"/organisations/{mine.organisation_id}/edit"
        in client.get(f"/organisations/{mine.organisation_id}").text
    )
    assert (
        f"/organisations/{theirs.organisation_id}/edit"
        not in client.get(f"/organisations/{theirs.organisation_id}").text
    )
