"""An anonymous need's client stays hidden from a provider until the client shortlists it or
accepts its expression of interest — in the service, the API and the pages."""

from __future__ import annotations

import pytest

from app.needs import service
from tests.accounts.factories import api_token, platform_admin, user
from tests.needs.builders import need

CLIENT_NAME = "Énergie Discrète SAS"


@pytest.fixture
def setup(db_session):
    client_user = user(db_session, kind="client")
    client_user.organisation.legal_name = CLIENT_NAME
    db_session.commit()
    provider_user = user(db_session, kind="provider")
    secret = need(
        db_session,
        client_user.organisation_id,
        status="open",
        anonymous=True,
        title="Anonymous energy need",
    )
    return client_user, provider_user, secret


def _api(client, db_session, who, url):
    return client.get(url, headers={"Authorization": f"Bearer {api_token(db_session, who)}"})


def _provider_sees_name(client, db_session, provider_user, secret) -> dict[str, bool]:
    one = _api(client, db_session, provider_user, f"/api/v1/needs/{secret.id}").json()
    listed = _api(client, db_session, provider_user, "/api/v1/needs").json()["items"]
    from tests.accounts.factories import log_in

    log_in(client, provider_user)
    return {
        "api_one": one["client"] is not None,
        "api_list": any(n["client"] is not None for n in listed),
        "api_text": CLIENT_NAME in str(one) + str(listed),
        "page_detail": CLIENT_NAME in client.get(f"/needs/{secret.id}").text,
        "page_list": CLIENT_NAME in client.get("/needs").text,
    }


def test_identity_rule_unit(db_session, setup):
    client_user, provider_user, secret = setup
    org = client_user.organisation_id
    assert service.client_identity_visible(secret, None) is False
    assert service.client_identity_visible(secret, org) is True
    assert (
        service.client_identity_visible(
            secret, provider_user.organisation_id, db_session=db_session
        )
        is False
    )
    assert (
        service.client_identity_visible(secret, provider_user.organisation_id, platform_admin=True)
        is True
    )
    secret.anonymous = False
    assert service.client_identity_visible(secret, provider_user.organisation_id) is True


def test_provider_never_sees_anonymous_client_until_revealed(client, db_session, setup):
    client_user, provider_user, secret = setup
    hidden = _provider_sees_name(client, db_session, provider_user, secret)
    assert hidden == dict.fromkeys(hidden, False)

    # Expressing interest reveals nothing; a declined interest neither.
    service.express_interest(
        db_session=db_session,
        need=secret,
        provider_id=provider_user.organisation_id,
        message="Bonjour",
    )
    db_session.commit()
    assert not any(_provider_sees_name(client, db_session, provider_user, secret).values())
    service.decide_interest(
        db_session=db_session, need=secret, provider_id=provider_user.organisation_id, accept=False
    )
    db_session.commit()
    assert not any(_provider_sees_name(client, db_session, provider_user, secret).values())


def test_accepted_interest_reveals_client(client, db_session, setup):
    client_user, provider_user, secret = setup
    service.express_interest(
        db_session=db_session, need=secret, provider_id=provider_user.organisation_id
    )
    service.decide_interest(
        db_session=db_session, need=secret, provider_id=provider_user.organisation_id, accept=True
    )
    db_session.commit()
    shown = _provider_sees_name(client, db_session, provider_user, secret)
    assert shown == dict.fromkeys(shown, True)


def test_shortlist_reveals_only_to_that_provider(client, db_session, setup):
    client_user, provider_user, secret = setup
    other_provider = user(db_session, kind="provider")
    service.shortlist(db_session=db_session, need=secret, provider_id=provider_user.organisation_id)
    db_session.commit()
    assert all(_provider_sees_name(client, db_session, provider_user, secret).values())
    assert not any(_provider_sees_name(client, db_session, other_provider, secret).values())
    # Removing it from the shortlist hides the name again.
    service.unshortlist(
        db_session=db_session, need=secret, provider_id=provider_user.organisation_id
    )
    db_session.commit()
    assert not any(_provider_sees_name(client, db_session, provider_user, secret).values())


def test_shortlist_and_interest_through_api(client, db_session, setup):
    client_user, provider_user, secret = setup
    client_headers = {"Authorization": f"Bearer {api_token(db_session, client_user)}"}
    provider_headers = {"Authorization": f"Bearer {api_token(db_session, provider_user)}"}
    pid = provider_user.organisation_id

    r = client.post(
        f"/api/v1/needs/{secret.id}/interests",
        json={"message": "45 positions"},
        headers=provider_headers,
    )
    assert r.status_code == 201, r.text
    assert (r.json()["status"], r.json()["message"]) == ("pending", "45 positions")
    listed = client.get(f"/api/v1/needs/{secret.id}/interests", headers=client_headers).json()
    assert [(i["provider_id"], i["status"]) for i in listed] == [(pid, "pending")]
    r = client.post(f"/api/v1/needs/{secret.id}/interests/{pid}/accept", headers=client_headers)
    assert r.json()["status"] == "accepted"
    r = client.post(
        f"/api/v1/needs/{secret.id}/interests", json={"message": "again"}, headers=provider_headers
    )
    assert r.status_code == 409

    r = client.post(
        f"/api/v1/needs/{secret.id}/shortlist", json={"provider_id": pid}, headers=client_headers
    )
    assert r.status_code == 201
    again = client.post(
        f"/api/v1/needs/{secret.id}/shortlist", json={"provider_id": pid}, headers=client_headers
    )
    assert again.status_code == 201
    shortlist = client.get(f"/api/v1/needs/{secret.id}/shortlist", headers=client_headers).json()
    assert [s["provider_id"] for s in shortlist] == [pid]
    r = client.delete(f"/api/v1/needs/{secret.id}/shortlist/{pid}", headers=client_headers)
    assert r.status_code == 204
    assert client.get(f"/api/v1/needs/{secret.id}/shortlist", headers=client_headers).json() == []


def test_shortlisting_a_client_organisation_is_refused(client, db_session, setup):
    client_user, _provider, secret = setup
    other_client = user(db_session, kind="client")
    r = client.post(
        f"/api/v1/needs/{secret.id}/shortlist",
        json={"provider_id": other_client.organisation_id},
        headers={"Authorization": f"Bearer {api_token(db_session, client_user)}"},
    )
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "provider_id"]


def test_provider_sees_only_its_own_interest(client, db_session, setup):
    _client_user, provider_user, secret = setup
    rival = user(db_session, kind="provider")
    for who in (provider_user, rival):
        service.express_interest(
            db_session=db_session, need=secret, provider_id=who.organisation_id
        )
    db_session.commit()
    listed = _api(client, db_session, rival, f"/api/v1/needs/{secret.id}/interests").json()
    assert [i["provider_id"] for i in listed] == [rival.organisation_id]


def test_platform_admin_sees_anonymous_client(client, db_session, setup):
    _client_user, _provider, secret = setup
    admin = platform_admin(db_session)
    body = _api(client, db_session, admin, f"/api/v1/needs/{secret.id}").json()
    assert body["client"]["legal_name"] == CLIENT_NAME


def test_load_open_for_matching_constant_queries(db_session, setup, count_queries):
    client_user, _provider, secret = setup
    with count_queries() as one:
        features = service.load_open_for_matching(db_session=db_session)
    assert [f.id for f in features] == [secret.id]
    assert features[0].languages == {"fr": 5}
    assert features[0].target_markets == frozenset({"FR", "BE"})
    assert features[0].budget_max == 22.5
    for n in range(5):
        need(
            db_session,
            client_user.organisation_id,
            status="open",
            title=f"n{n}",
            preferred_countries=["MA"],
            priorities=["price"],
        )
    with count_queries() as six:
        assert len(service.load_open_for_matching(db_session=db_session)) == 6
    assert six.count == one.count
