"""HTML pages of organisations: forms keep values and show errors next to fields."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.organisations.models import Organisation
from tests import factories


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_create_form_redirects_to_the_new_organisation(client, db_session):
    response = client.post(
        "/organisations/new",
        data={
            "kind": "client",
            "legal_name": "Énergie Verte SA",
            "country": "fr",
            "registration_number": "732 829 320",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "Énergie Verte SA" in page.text
    assert "732829320" in page.text


def test_invalid_form_is_shown_again_with_values_and_messages(client, db_session):
    response = client.post(
        "/organisations/new",
        data={
            "kind": "provider",
            "legal_name": "Centre Sousse",
            "country": "ZZ",
            "city": "Sousse",
            "registration_number": "x",
        },
    )
    assert response.status_code == 400
    soup = _soup(response)
    assert soup.find("input", {"name": "legal_name"})["value"] == "Centre Sousse"
    assert soup.find("input", {"name": "city"})["value"] == "Sousse"
    country_error = soup.find(id="e-country")
    assert country_error is not None and "ZZ" in country_error.text
    assert soup.find("select", {"name": "country"})["aria-invalid"] == "true"  # a list now
    assert db_session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_bad_registration_number_is_reported_on_its_field(client):
    response = client.post(
        "/organisations/new",
        data={"kind": "client", "legal_name": "X", "country": "FR", "registration_number": "123"},
    )
    assert response.status_code == 400
    assert "SIREN" in _soup(response).find(id="e-registration_number").text


def test_edit_form_saves_and_clears_optional_fields(client, db_session):
    org = factories.organisation(db_session, city="Lyon", website="https://a.example")
    response = client.post(
        f"/organisations/{org.id}/edit",
        data={"legal_name": "Renamed", "country": "FR", "city": "", "website": ""},
        follow_redirects=False,
    )
    assert response.status_code == 303
    body = client.get(f"/api/v1/organisations/{org.id}").json()
    assert body["legal_name"] == "Renamed"
    assert body["city"] is None and body["website"] is None


def test_edit_with_empty_name_keeps_the_saved_one(client, db_session):
    org = factories.organisation(db_session, legal_name="Kept Name")
    response = client.post(
        f"/organisations/{org.id}/edit", data={"legal_name": "", "country": "FR"}
    )
    assert response.status_code == 400
    assert _soup(response).find(id="e-legal_name") is not None
    assert client.get(f"/api/v1/organisations/{org.id}").json()["legal_name"] == "Kept Name"


def test_list_page_paginates(client, db_session, count_queries):
    for i in range(25):
        factories.organisation(db_session, legal_name=f"Org {i:02d}")
    with count_queries() as counter:
        first = client.get("/organisations")
    assert first.status_code == 200
    assert len(_soup(first).select("tbody tr")) == 20
    assert counter.count <= 4  # with the header's unread-notifications count
    second = client.get("/organisations?page=2")
    assert len(_soup(second).select("tbody tr")) == 5
    assert "Org 24" in second.text


def test_unknown_organisation_page_is_404(client):
    assert client.get("/organisations/424242").status_code == 404


def test_list_filter_all_kinds_sends_an_empty_kind(client, db_session, login):
    from tests.accounts.factories import platform_admin

    factories.organisation(db_session, legal_name="Client Co", kind="client")
    factories.organisation(db_session, legal_name="Centre Co", kind="provider")
    login(platform_admin(db_session))
    everything = client.get("/organisations", params={"kind": "", "q": "co"})
    assert everything.status_code == 200
    assert "Client Co" in everything.text and "Centre Co" in everything.text
    providers = client.get("/organisations", params={"kind": "provider", "q": "co"})
    assert "Centre Co" in providers.text and "Client Co" not in providers.text
