"""The needs API: create, read, update, open/close, list with filters, and bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.accounts.factories import api_token, platform_admin, user
from tests.needs.builders import future, need, need_payload


def auth(db_session, who) -> dict:
    return {"Authorization": f"Bearer {api_token(db_session, who)}"}


@pytest.fixture
def client_user(db_session):
    return user(db_session, kind="client")


@pytest.fixture
def provider_user(db_session):
    return user(db_session, kind="provider")


def test_create_need_returns_it_with_children(client, db_session, client_user):
    response = client.post(
        "/api/v1/needs",
        json=need_payload(
            languages=[
                {"language": "FR", "min_level": "c1"},
                {"language": "nl", "min_level": "b2"},
            ],
            preferred_countries=["MA"],
            excluded_countries=["CM"],
            priorities=["price"],
            required_certifications=["iso_27001"],
            anonymous=True,
        ),
        headers=auth(db_session, client_user),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["client"]["id"] == client_user.organisation_id
    assert body["client_visible"] is True
    assert body["languages"] == [
        {"language": "fr", "min_level": "c1"},
        {"language": "nl", "min_level": "b2"},
    ]
    assert body["target_markets"] == ["BE", "FR"]
    assert body["preferred_countries"] == ["MA"]
    assert body["excluded_countries"] == ["CM"]
    assert body["priorities"] == ["price"]
    assert body["required_certifications"] == ["iso_27001"]
    assert body["budget_max"] == "22.50"
    assert body["min_capacity_share"] == 0.5


@pytest.mark.parametrize(
    ("overrides", "loc"),
    [
        ({"start_date": (date.today() - timedelta(days=1)).isoformat()}, ["body", "start_date"]),
        (
            {"languages": [{"language": "xx", "min_level": "b2"}]},
            ["body", "languages", 0, "language"],
        ),
        ({"seats": 0}, ["body", "seats"]),
        ({"seats": -5}, ["body", "seats"]),
        ({"budget_max": "0"}, ["body", "budget_max"]),
        ({"budget_max": "-3"}, ["body", "budget_max"]),
        ({"target_markets": ["FR", "EU"]}, ["body", "target_markets", 1]),
        (
            {"preferred_countries": ["MA"], "excluded_countries": ["MA"]},
            ["body", "excluded_countries"],
        ),
        (
            {
                "languages": [
                    {"language": "fr", "min_level": "b2"},
                    {"language": "fr", "min_level": "c1"},
                ]
            },
            ["body", "languages"],
        ),
    ],
)
def test_create_need_bad_input_names_the_field(client, db_session, client_user, overrides, loc):
    response = client.post(
        "/api/v1/needs", json=need_payload(**overrides), headers=auth(db_session, client_user)
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert [d["loc"] for d in body["detail"]] == [loc]


def test_create_need_messages_are_specific(client, db_session, client_user):
    response = client.post(
        "/api/v1/needs",
        json=need_payload(languages=[{"language": "xx", "min_level": "b2"}], target_markets=["EU"]),
        headers=auth(db_session, client_user),
    )
    messages = {tuple(d["loc"]): d["msg"] for d in response.json()["detail"]}
    assert "'xx'" in messages[("body", "languages", 0, "language")]
    assert "Unknown country code 'EU'" in messages[("body", "target_markets", 0)]


def test_provider_cannot_create_need(client, db_session, provider_user):
    response = client.post(
        "/api/v1/needs", json=need_payload(), headers=auth(db_session, provider_user)
    )
    assert response.status_code == 403


def test_admin_creates_need_for_named_client(client, db_session, client_user):
    admin = platform_admin(db_session)
    response = client.post(
        "/api/v1/needs",
        json=need_payload(organisation_id=client_user.organisation_id),
        headers=auth(db_session, admin),
    )
    assert response.status_code == 201
    assert response.json()["client"]["id"] == client_user.organisation_id


def test_publish_requires_services_and_languages(client, db_session, client_user):
    response = client.post(
        "/api/v1/needs",
        json=need_payload(services=[], languages=[], status="open"),
        headers=auth(db_session, client_user),
    )
    assert response.status_code == 422
    assert {d["loc"][-1] for d in response.json()["detail"]} == {"services", "languages"}


def test_update_bumps_version_and_replaces_lists(client, db_session, client_user):
    created = need(db_session, client_user.organisation_id)
    headers = auth(db_session, client_user)
    response = client.patch(
        f"/api/v1/needs/{created.id}",
        json={
            "version": 1,
            "seats": 60,
            "languages": [{"language": "es", "min_level": "native"}],
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["seats"], body["version"]) == (60, 2)
    assert body["languages"] == [{"language": "es", "min_level": "native"}]
    assert body["title"] == "Service client énergie – 40 conseillers"


def test_update_with_stale_version_is_a_conflict_and_changes_nothing(
    client, db_session, client_user
):
    created = need(db_session, client_user.organisation_id)
    headers = auth(db_session, client_user)
    assert (
        client.patch(f"/api/v1/needs/{created.id}", json={"seats": 50}, headers=headers).status_code
        == 200
    )
    response = client.patch(
        f"/api/v1/needs/{created.id}", json={"version": 1, "seats": 70}, headers=headers
    )
    assert response.status_code == 409
    assert client.get(f"/api/v1/needs/{created.id}", headers=headers).json()["seats"] == 50


def test_update_bad_seats_keeps_saved_need(client, db_session, client_user):
    created = need(db_session, client_user.organisation_id)
    headers = auth(db_session, client_user)
    response = client.patch(f"/api/v1/needs/{created.id}", json={"seats": 0}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "seats"]
    assert client.get(f"/api/v1/needs/{created.id}", headers=headers).json()["seats"] == 40


def test_update_conflicting_countries_names_the_field(client, db_session, client_user):
    created = need(db_session, client_user.organisation_id, preferred_countries=["TN"])
    response = client.patch(
        f"/api/v1/needs/{created.id}",
        json={"excluded_countries": ["TN"]},
        headers=auth(db_session, client_user),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "excluded_countries"]


def test_open_then_close(client, db_session, client_user):
    created = need(db_session, client_user.organisation_id)
    headers = auth(db_session, client_user)
    opened = client.post(f"/api/v1/needs/{created.id}/open", headers=headers).json()
    assert (opened["status"], opened["version"]) == ("open", 2)
    assert opened["published_at"] is not None
    closed = client.post(f"/api/v1/needs/{created.id}/close", headers=headers).json()
    assert (closed["status"], closed["version"]) == ("closed", 3)


def test_draft_is_hidden_from_other_organisations(client, db_session, client_user, provider_user):
    created = need(db_session, client_user.organisation_id)
    response = client.get(f"/api/v1/needs/{created.id}", headers=auth(db_session, provider_user))
    assert response.status_code == 404


def test_other_client_cannot_edit(client, db_session, client_user):
    created = need(db_session, client_user.organisation_id, status="open")
    other = user(db_session, kind="client")
    response = client.patch(
        f"/api/v1/needs/{created.id}", json={"seats": 2}, headers=auth(db_session, other)
    )
    assert response.status_code == 403


def test_list_filters_open_needs(client, db_session, client_user, provider_user):
    org = client_user.organisation_id
    a = need(
        db_session,
        org,
        status="open",
        title="A",
        services=["inbound_care"],
        sector="energy",
        seats=10,
        target_markets=["FR"],
        languages=[{"language": "fr", "min_level": "b2"}],
    )
    b = need(
        db_session,
        org,
        status="open",
        title="B",
        services=["technical_support"],
        sector="telecom",
        seats=80,
        target_markets=["DE"],
        languages=[{"language": "de", "min_level": "c1"}],
    )
    need(db_session, org, title="draft, never listed")
    headers = auth(db_session, provider_user)

    def ids(**params):
        response = client.get("/api/v1/needs", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [n["id"] for n in response.json()["items"]]

    assert sorted(ids()) == sorted([a.id, b.id])
    assert ids(service="technical_support") == [b.id]
    assert ids(sector="energy") == [a.id]
    assert ids(language="de") == [b.id]
    assert ids(language="de", level="b2") == []
    assert ids(language="fr", level="c1") == [a.id]
    assert ids(market="fr") == [a.id]
    assert ids(min_seats=50) == [b.id]
    assert ids(max_seats=50) == [a.id]
    assert ids(q="b") == [b.id]


def test_list_paginates(client, db_session, client_user, provider_user):
    for n in range(5):
        need(db_session, client_user.organisation_id, status="open", title=f"Need {n}")
    response = client.get(
        "/api/v1/needs", params={"limit": 2, "offset": 2}, headers=auth(db_session, provider_user)
    )
    body = response.json()
    assert (body["total"], body["limit"], body["offset"], len(body["items"])) == (5, 2, 2, 2)


def test_list_bad_filter_is_422_naming_it(client, db_session, provider_user):
    response = client.get(
        "/api/v1/needs", params={"market": "EU"}, headers=auth(db_session, provider_user)
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "market"]


def test_mine_lists_drafts_of_my_organisation_only(client, db_session, client_user):
    mine = need(db_session, client_user.organisation_id)
    other = user(db_session, kind="client")
    need(db_session, other.organisation_id)
    response = client.get(
        "/api/v1/needs", params={"mine": "true"}, headers=auth(db_session, client_user)
    )
    assert [n["id"] for n in response.json()["items"]] == [mine.id]


def test_list_query_count_is_constant(
    client, db_session, client_user, provider_user, count_queries
):
    headers = auth(db_session, provider_user)
    need(db_session, client_user.organisation_id, status="open", anonymous=True)
    client.get("/api/v1/needs", headers=headers)
    with count_queries() as few:
        client.get("/api/v1/needs", headers=headers)
    for n in range(6):
        need(
            db_session,
            client_user.organisation_id,
            status="open",
            anonymous=True,
            title=f"More {n}",
        )
    with count_queries() as many:
        assert len(client.get("/api/v1/needs", headers=headers).json()["items"]) == 7
    assert many.count == few.count


def test_need_start_date_tomorrow_is_accepted(client, db_session, client_user):
    response = client.post(
        "/api/v1/needs",
        json=need_payload(start_date=future(1)),
        headers=auth(db_session, client_user),
    )
    assert response.status_code == 201


def test_openapi_documents_examples_for_need_schemas(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name in (
        "NeedCreate",
        "NeedUpdate",
        "NeedRead",
        "LanguageRequirement",
        "ShortlistAdd",
        "ShortlistRead",
        "InterestCreate",
        "InterestRead",
        "ClientSummary",
    ):
        assert schemas[name].get("examples"), name


def test_update_moves_a_country_from_preferred_to_excluded(client, db_session, client_user):
    created = need(db_session, client_user.organisation_id, preferred_countries=["TN", "MA"])
    response = client.patch(
        f"/api/v1/needs/{created.id}",
        json={
            "preferred_countries": ["MA"],
            "excluded_countries": ["TN"],
            "languages": [
                {"language": "fr", "min_level": "native"},
                {"language": "ar", "min_level": "b2"},
            ],
        },
        headers=auth(db_session, client_user),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["preferred_countries"], body["excluded_countries"]) == (["MA"], ["TN"])
    assert body["languages"] == [
        {"language": "fr", "min_level": "native"},
        {"language": "ar", "min_level": "b2"},
    ]


def test_french_error_messages(client, db_session, client_user):
    response = client.post(
        "/api/v1/needs",
        json=need_payload(target_markets=["EU"]),
        headers={**auth(db_session, client_user), "Accept-Language": "fr"},
    )
    assert response.json()["detail"][0]["msg"] == (
        "Code pays inconnu 'EU' : utilisez le code ISO 3166 alpha-2, par ex. FR, MA."
    )
