"""JSON API of call-centre profiles: create, read, update, close, and every kind of bad
input refused with a message naming the field."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.providers.models import ProviderProfile, ProviderSite
from tests import factories
from tests.providers.factories import full_profile_data, profile, provider_organisation


def _loc_messages(response) -> dict[tuple, str]:
    return {tuple(d["loc"]): d["msg"] for d in response.json()["detail"]}


def test_create_profile_returns_everything_normalised(client, db_session):
    org = provider_organisation(db_session, legal_name="Atlas Contact")
    response = client.post(
        "/api/v1/providers", json={"organisation_id": org.id, **full_profile_data()}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["organisation"]["legal_name"] == "Atlas Contact"
    assert body["status"] == "published"
    assert body["version"] == 1
    assert body["seats_total"] == 380
    assert body["seats_available_now"] == 50
    assert [(s["city"], s["timezone"]) for s in body["sites"]] == [
        ("Rabat", "Africa/Casablanca"),
        ("Fès", "Africa/Casablanca"),
    ]
    assert body["languages"][0] == {
        "language": "fr",
        "level": "c2",
        "culture_markets": ["BE", "FR"],
    }
    assert body["services"] == ["inbound_care", "outbound_telesales"]
    assert body["sectors"] == [{"sector": "energy", "years": 8}, {"sector": "telecom", "years": 3}]
    assert body["price_min"] == "14.50" and body["price_max"] == "19.00"
    assert body["references"][1]["anonymised"] is True
    assert body["references"][1]["client_name"] is None  # never kept when anonymised
    assert client.get(f"/api/v1/providers/{body['id']}").json() == body
    by_org = client.get(f"/api/v1/providers/by-organisation/{org.id}")
    assert by_org.json()["id"] == body["id"]


@pytest.mark.parametrize(
    ("change", "loc", "words"),
    [
        (
            {
                "sites": [
                    {"country": "MA", "city": "Rabat", "seats_total": 10, "seats_available_now": 12}
                ]
            },
            ("body", "sites", 0, "seats_available_now"),
            "cannot exceed",
        ),
        (
            {
                "sites": [
                    {
                        "country": "MA",
                        "city": "Rabat",
                        "seats_total": 10,
                        "seats_available_now": 2,
                        "seats_available_later": 11,
                        "available_from": "2027-01-01",
                    }
                ]
            },
            ("body", "sites", 0, "seats_available_later"),
            "cannot exceed",
        ),
        ({"price_min": "20", "price_max": "15"}, ("body", "price_max"), "below the minimum"),
        (
            {"languages": [{"language": "xx", "level": "b2"}]},
            ("body", "languages", 0, "language"),
            "Unknown language code 'xx'",
        ),
        (
            {
                "sites": [
                    {"country": "MA", "city": "Rabat", "seats_total": 10, "seats_available_now": 1},
                    {"country": "MA", "city": "rabat", "seats_total": 5, "seats_available_now": 1},
                ]
            },
            ("body", "sites", 1, "city"),
            "Duplicate site",
        ),
        (
            {"languages": [{"language": "fr", "level": "b2"}, {"language": "FR", "level": "c1"}]},
            ("body", "languages", 1, "language"),
            "Duplicate language",
        ),
        (
            {"sites": [{"country": "ZZ", "city": "X", "seats_total": 1, "seats_available_now": 0}]},
            ("body", "sites", 0, "country"),
            "Unknown country code",
        ),
        (
            {
                "sites": [
                    {
                        "country": "MA",
                        "city": "X",
                        "timezone": "Mars/Olympus",
                        "seats_total": 1,
                        "seats_available_now": 0,
                    }
                ]
            },
            ("body", "sites", 0, "timezone"),
            "Unknown time zone",
        ),
        (
            {
                "sites": [
                    {
                        "country": "MA",
                        "city": "X",
                        "seats_total": 5,
                        "seats_available_now": 0,
                        "seats_available_later": 3,
                    }
                ]
            },
            ("body", "sites", 0, "available_from"),
            "date",
        ),
        (
            {"references": [{"country": "FR"}]},
            ("body", "references", 0, "client_name"),
            "anonymised",
        ),
        ({"services": ["teleportation"]}, ("body", "services", 0), ""),
    ],
)
def test_bad_input_is_refused_naming_the_field(client, db_session, change, loc, words):
    org = provider_organisation(db_session)
    response = client.post(
        "/api/v1/providers", json={"organisation_id": org.id, **full_profile_data(**change)}
    )
    assert response.status_code == 422, response.text
    messages = _loc_messages(response)
    assert loc in messages, messages
    assert words in messages[loc]
    assert db_session.scalar(select(func.count()).select_from(ProviderProfile)) == 0


def test_profile_only_for_a_provider_organisation_and_only_one(client, db_session):
    client_org = factories.organisation(db_session, kind="client")
    response = client.post("/api/v1/providers", json={"organisation_id": client_org.id})
    assert response.status_code == 422
    assert ("body", "organisation_id") in _loc_messages(response)

    existing = profile(db_session)
    again = client.post("/api/v1/providers", json={"organisation_id": existing.organisation_id})
    assert again.status_code == 409


def test_update_replaces_lists_keeps_site_ids_and_bumps_version(client, db_session):
    org = provider_organisation(db_session)
    created = client.post(
        "/api/v1/providers", json={"organisation_id": org.id, **full_profile_data()}
    ).json()
    rabat_id = created["sites"][0]["id"]
    sites = [
        {"country": "MA", "city": "Rabat", "seats_total": 300, "seats_available_now": 70},
        {"country": "TN", "city": "Sousse", "seats_total": 100, "seats_available_now": 100},
    ]
    response = client.patch(
        f"/api/v1/providers/{created['id']}", json={"sites": sites, "services": ["back_office"]}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["version"] == 2
    assert [s["city"] for s in body["sites"]] == ["Rabat", "Sousse"]
    assert body["sites"][0]["id"] == rabat_id
    assert body["seats_available_now"] == 170 and body["seats_total"] == 400
    assert body["services"] == ["back_office"]
    assert body["languages"] == created["languages"]  # not sent: unchanged

    same = client.patch(f"/api/v1/providers/{created['id']}", json={"services": ["back_office"]})
    assert same.json()["version"] == 2  # nothing changed, no new version


def test_update_with_a_half_band_is_checked_against_the_stored_other_end(client, db_session):
    created = profile(db_session, price_min="10", price_max="12")
    response = client.patch(f"/api/v1/providers/{created.id}", json={"price_min": "15"})
    assert response.status_code == 422
    assert ("body", "price_max") in _loc_messages(response)
    assert client.get(f"/api/v1/providers/{created.id}").json()["price_min"] == "10.00"


def test_bad_update_loses_nothing_already_saved(client, db_session):
    created = profile(db_session)
    response = client.patch(
        f"/api/v1/providers/{created.id}",
        json={
            "description_en": "changed",
            "sites": [
                {"country": "MA", "city": "Rabat", "seats_total": 5, "seats_available_now": 6}
            ],
        },
    )
    assert response.status_code == 422
    body = client.get(f"/api/v1/providers/{created.id}").json()
    assert body["description_en"] is None
    assert body["sites"][0]["seats_total"] == 50


def test_close_withdraws_from_the_directory_and_publish_brings_back(client, db_session):
    created = profile(db_session, name="Closing Centre")
    assert client.get("/api/v1/providers").json()["total"] == 1
    closed = client.post(f"/api/v1/providers/{created.id}/close")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["version"] == 2
    assert client.get("/api/v1/providers").json()["total"] == 0
    assert client.get(f"/api/v1/providers/{created.id}").json()["status"] == "closed"
    reopened = client.post(f"/api/v1/providers/{created.id}/publish")
    assert reopened.json()["status"] == "published"
    assert client.get("/api/v1/providers").json()["total"] == 1


def test_unknown_provider_is_404(client):
    assert client.get("/api/v1/providers/999999").status_code == 404
    assert client.patch("/api/v1/providers/999999", json={}).status_code == 404


def test_deleting_sites_cascades_with_the_profile(db_session):
    created = profile(db_session)
    db_session.delete(db_session.get(ProviderProfile, created.id))
    db_session.flush()
    assert db_session.scalar(select(func.count()).select_from(ProviderSite)) == 0


def test_every_providers_schema_has_an_example_that_validates(app):
    from app.providers import schemas as module

    document = app.openapi()
    names = {
        "ProviderProfileCreate",
        "ProviderProfileUpdate",
        "ProviderProfileRead",
        "ProviderSummary",
        "ProviderSiteIn",
        "ProviderLanguageIn",
        "ProviderSectorIn",
        "ProviderReferenceIn",
        "ProviderSiteRead",
        "ProviderLanguageRead",
        "ProviderSectorRead",
        "ProviderReferenceRead",
        "ProviderOrganisation",
    }
    components = document["components"]["schemas"]
    for name in names:
        assert components[name].get("examples"), name
        model = getattr(module, name)
        for example in model.model_json_schema()["examples"]:
            model.model_validate(example)
    assert (
        module.DirectoryFilters.model_validate(
            module.DirectoryFilters.model_json_schema()["examples"][0]
        ).language
        == "fr"
    )
    assert "/api/v1/providers/{provider_id}/close" in document["paths"]
