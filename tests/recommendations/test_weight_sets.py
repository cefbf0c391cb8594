"""Organisers' weight sets: API validation, ownership, and the small pages."""

from __future__ import annotations

from bs4 import BeautifulSoup

from app.recommendations.models import ScoringWeightSet
from tests.accounts.factories import api_token, log_in, platform_admin, user


def _auth(db_session, who) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(db_session, who)}"}


def test_weights_are_validated_against_the_criteria(client, db_session):
    organiser = user(db_session, kind="organiser")
    headers = _auth(db_session, organiser)
    bad = [
        ({"prix": 20}, "Unknown criterion 'prix'"),
        ({"price": 101}, "The weight of price must be a number from 0 to 100."),
        ({"price": -1}, "The weight of price must be a number from 0 to 100."),
        ({"price": True}, "The weight of price must be a number from 0 to 100."),
        (
            {
                c: 0
                for c in (
                    "services",
                    "sector",
                    "languages",
                    "culture",
                    "capacity",
                    "price",
                    "hours",
                    "certifications",
                    "verified",
                    "feedback",
                    "preferred_country",
                )
            },
            "At least one weight must be above 0.",
        ),
    ]
    for weights, message in bad:
        response = client.post(
            "/api/v1/weight-sets", headers=headers, json={"name": "X", "weights": weights}
        )
        assert response.status_code == 422, weights
        assert response.json()["detail"][0]["msg"].startswith(message)
    ok = client.post(
        "/api/v1/weight-sets",
        headers=headers,
        json={"name": "  Casablanca  ", "weights": {"price": 0, "verified": 10}},
    )
    assert ok.status_code == 201
    assert ok.json()["name"] == "Casablanca"
    assert ok.json()["weights"] == {"price": 0.0, "verified": 10.0}
    again = client.post("/api/v1/weight-sets", headers=headers, json={"name": "Casablanca"})
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["body", "name"]


def test_only_the_owning_organiser_or_an_admin_changes_a_set(client, db_session):
    owner = user(db_session, kind="organiser")
    rival = user(db_session, kind="organiser")
    created = client.post(
        "/api/v1/weight-sets",
        headers=_auth(db_session, owner),
        json={"name": "Rabat", "weights": {"hours": 30}},
    ).json()
    url = f"/api/v1/weight-sets/{created['id']}"
    assert (
        client.patch(url, headers=_auth(db_session, rival), json={"name": "Mine"}).status_code
        == 403
    )
    changed = client.patch(
        url, headers=_auth(db_session, platform_admin(db_session)), json={"weights": {"hours": 5}}
    )
    assert changed.status_code == 200
    assert changed.json()["effective"]["hours"] == 5.0
    assert client.get(url, headers=_auth(db_session, user(db_session))).json()["name"] == "Rabat"
    assert client.delete(url, headers=_auth(db_session, owner)).status_code == 204
    assert db_session.get(ScoringWeightSet, created["id"]) is None


def test_weight_set_pages_create_and_edit(client, db_session):
    organiser = user(db_session, kind="organiser")
    log_in(client, organiser)
    form = BeautifulSoup(client.get("/weight-sets/new").text, "html.parser").find(
        "form", class_="form"
    )
    assert form.find("input", {"name": "csrf_token"}) is not None
    assert form.find("input", {"name": "w_price"})["placeholder"] == "12"
    refused = client.post("/weight-sets/new", data={"name": "Fès", "w_price": "150"})
    assert refused.status_code == 400
    page = BeautifulSoup(refused.text, "html.parser")
    assert page.find(id="e-w_price").text == "Enter a number from 0 to 100."
    assert page.find(id="f-name")["value"] == "Fès"
    saved = client.post(
        "/weight-sets/new",
        data={"name": "Fès", "w_price": "40", "w_hours": "0"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    row = db_session.query(ScoringWeightSet).filter_by(name="Fès").one()
    assert row.weights == {"price": 40.0, "hours": 0.0}
    listing = BeautifulSoup(client.get("/weight-sets").text, "html.parser")
    assert "Fès" in listing.find("table").text
    edit = client.post(
        f"/weight-sets/{row.id}/edit",
        data={"name": "Fès 2027", "w_price": "20"},
        follow_redirects=False,
    )
    assert edit.status_code == 303
    db_session.refresh(row)
    assert (row.name, row.weights) == ("Fès 2027", {"price": 20.0})
