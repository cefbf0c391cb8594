"""JSON API of organisations: create, list, show, edit, and every kind of bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.organisations.models import Organisation
from tests import factories

VALID = {
    "kind": "provider",
    "legal_name": "Atlas Contact Center SARL",
    "country": "ma",
    "city": "Rabat",
    "registration_number": "001561191000066",
    "website": "https://atlas-contact.example",
    "size": "250-999",
}


def _count(db_session) -> int:
    return db_session.scalar(select(func.count()).select_from(Organisation))


def test_create_organisation_returns_it_normalised(client):
    response = client.post("/api/v1/organisations", json=VALID)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["country"] == "MA"
    assert body["registration_number"] == "001561191000066"
    assert body["registration_scheme"] == "ice"
    assert body["verified"] is False

    shown = client.get(f"/api/v1/organisations/{body['id']}")
    assert shown.status_code == 200
    assert shown.json()["legal_name"] == "Atlas Contact Center SARL"


@pytest.mark.parametrize(
    ("country", "raw", "stored", "scheme"),
    [
        ("FR", "732 829 320", "732829320", "siren"),
        ("FR", "732 829 320 00074", "73282932000074", "siret"),
        ("FR", "FR 40 303 265 045", "FR40303265045", "vat"),
        ("DE", "DE 136 695 976", "DE136695976", "vat"),
        ("SN", "SN 2019 B 12345", "SN 2019 B 12345", None),
    ],
)
def test_registration_number_is_checked_where_a_validator_exists(
    client, country, raw, stored, scheme
):
    data = {**VALID, "country": country, "registration_number": raw}
    response = client.post("/api/v1/organisations", json=data)
    assert response.status_code == 201, response.text
    assert response.json()["registration_number"] == stored
    assert response.json()["registration_scheme"] == scheme


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"country": "FRA"}, "country"),
        ({"legal_name": ""}, "legal_name"),
        ({"legal_name": None}, "legal_name"),
        ({"kind": "broker"}, "kind"),
        ({"website": "not a url"}, "website"),
        ({"registration_number": "123456789012345", "country": "MA"}, "registration_number"),
        ({"registration_number": "732829321", "country": "FR"}, "registration_number"),
        ({"unknown_field": 1}, "unknown_field"),
    ],
)
def test_invalid_organisation_is_refused_with_the_field_named(client, db_session, change, field):
    before = _count(db_session)
    data = {k: v for k, v in {**VALID, **change}.items()}
    response = client.post("/api/v1/organisations", json=data)
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_error"
    assert any(issue["loc"][-1] == field for issue in body["detail"]), body
    assert all(issue["msg"] for issue in body["detail"])
    assert _count(db_session) == before


def test_missing_name_is_named_in_the_error(client):
    data = {k: v for k, v in VALID.items() if k != "legal_name"}
    response = client.post("/api/v1/organisations", json=data)
    assert response.status_code == 422
    assert ["body", "legal_name"] in [issue["loc"] for issue in response.json()["detail"]]


def test_duplicate_registration_number_waits_for_an_organiser(client, db_session):
    # Issue 22: the first to type a number must not lock the real company out.
    first = client.post("/api/v1/organisations", json=VALID)
    assert first.status_code == 201
    again = client.post("/api/v1/organisations", json={**VALID, "legal_name": "Other"})
    assert again.status_code == 201
    assert again.json()["registration_number"] is None
    assert again.json()["contested_registration_number"] == first.json()["registration_number"]
    assert _count(db_session) == 2


def test_list_paginates_and_filters(client, db_session):
    for i in range(5):
        factories.organisation(db_session, legal_name=f"Client {i}", kind="client")
    factories.organisation(db_session, legal_name="Centre Dakar", kind="provider", country="SN")

    page = client.get("/api/v1/organisations", params={"limit": 2, "offset": 2})
    assert page.status_code == 200
    body = page.json()
    assert body["total"] == 6
    assert body["limit"] == 2 and body["offset"] == 2
    # Sorted by name: Centre Dakar, Client 0, Client 1, Client 2...
    assert [o["legal_name"] for o in body["items"]] == ["Client 1", "Client 2"]

    providers = client.get("/api/v1/organisations", params={"kind": "provider"}).json()
    assert [o["legal_name"] for o in providers["items"]] == ["Centre Dakar"]
    by_name = client.get("/api/v1/organisations", params={"q": "dakar"}).json()
    assert by_name["total"] == 1


def test_list_limit_over_100_is_refused(client):
    response = client.get("/api/v1/organisations", params={"limit": 101})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "limit"]


def test_update_changes_only_what_is_sent(client, db_session):
    org = factories.organisation(db_session, city="Lyon", country="FR")
    response = client.patch(f"/api/v1/organisations/{org.id}", json={"city": "Lille"})
    assert response.status_code == 200
    assert response.json()["city"] == "Lille"
    assert response.json()["legal_name"] == org.legal_name


def test_update_with_bad_country_keeps_what_was_saved(client, db_session):
    org = factories.organisation(db_session, city="Lyon", country="FR")
    response = client.patch(
        f"/api/v1/organisations/{org.id}", json={"country": "ZZ", "city": "Paris"}
    )
    assert response.status_code == 422
    assert client.get(f"/api/v1/organisations/{org.id}").json()["city"] == "Lyon"


def test_update_checks_the_number_against_the_new_country(client, db_session):
    org = factories.organisation(db_session, country="SN", registration_number="ABC-1")
    response = client.patch(f"/api/v1/organisations/{org.id}", json={"country": "FR"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "registration_number"]


def test_unknown_organisation_is_404_with_the_error_shape(client):
    response = client.get("/api/v1/organisations/999999")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert client.patch("/api/v1/organisations/999999", json={}).status_code == 404


def test_list_runs_a_constant_number_of_queries(client, db_session, count_queries):
    for _ in range(3):
        factories.organisation(db_session)
    with count_queries() as few:
        client.get("/api/v1/organisations")
    for _ in range(20):
        factories.organisation(db_session)
    with count_queries() as many:
        client.get("/api/v1/organisations")
    assert many.count == few.count
