"""GET /api/v1/needs/{id}/matches and /api/v1/providers/{id}/matches."""

from __future__ import annotations

import pytest

from app.needs import service as needs_service
from app.organisations.models import Organisation
from tests.accounts.factories import api_token, user
from tests.recommendations.builders import centre, need


@pytest.fixture
def client_user(db_session):
    return user(db_session, kind="client")


def _auth(db_session, who) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(db_session, who)}"}


def test_need_matches_ranked_with_parts_adding_up(client, db_session, client_user):
    strong = centre(db_session, "Atlas Premium", level="c2")
    weak = centre(
        db_session, "Sahel Basic", level="c1", services=("back_office",), price=("25.00", "30.00")
    )
    excluded = centre(db_session, "Low French", level="b1")
    n = need(db_session, client_user.organisation_id, status="open")
    response = client.get(f"/api/v1/needs/{n.id}/matches", headers=_auth(db_session, client_user))
    assert response.status_code == 200, response.text
    body = response.json()
    assert [i["provider"]["id"] for i in body["items"]] == [strong.id, weak.id]
    assert body["total"] == 2
    assert body["excluded_total"] == 1
    assert body["excluded"] == []
    for item in body["items"]:
        assert round(sum(p["points"] for p in item["parts"]), 1) == item["score"]
        assert all(p["points"] <= p["max_points"] for p in item["parts"])
        assert all(p["sentence"] for p in item["parts"])
    assert body["items"][0]["score"] > body["items"][1]["score"]
    assert body["items"][0]["provider"]["name"] == "Atlas Premium"
    assert body["items"][0]["provider"]["cities"] == ["Rabat"]
    with_excluded = client.get(
        f"/api/v1/needs/{n.id}/matches?include_excluded=true",
        headers=_auth(db_session, client_user),
    ).json()
    assert [e["provider"]["id"] for e in with_excluded["excluded"]] == [excluded.id]
    assert [r["reason"] for r in with_excluded["excluded"][0]["reasons"]] == ["language"]
    assert "B1" in with_excluded["excluded"][0]["reasons"][0]["sentence"]


def test_unknown_ids_give_404_and_a_limit_over_100_gives_422(client, db_session, client_user):
    headers = _auth(db_session, client_user)
    n = need(db_session, client_user.organisation_id, status="open")
    assert client.get("/api/v1/needs/999999/matches", headers=headers).status_code == 404
    assert client.get("/api/v1/providers/999999/matches", headers=headers).status_code == 404
    too_many = client.get(f"/api/v1/needs/{n.id}/matches?limit=101", headers=headers)
    assert too_many.status_code == 422
    assert too_many.json()["error"] == "validation_error"
    assert client.get(f"/api/v1/needs/{n.id}/matches?limit=100", headers=headers).status_code == 200
    unknown_set = client.get(f"/api/v1/needs/{n.id}/matches?weights=999999", headers=headers)
    assert unknown_set.status_code == 404


def test_need_without_language_or_service_still_scores_and_says_what_is_missing(
    client, db_session, client_user
):
    a = centre(db_session, "A")
    n = need(db_session, client_user.organisation_id, services=[], languages=[])
    body = client.get(
        f"/api/v1/needs/{n.id}/matches", headers=_auth(db_session, client_user)
    ).json()
    assert [i["provider"]["id"] for i in body["items"]] == [a.id]
    criteria = {p["criterion"] for p in body["items"][0]["parts"]}
    assert "services" not in criteria and "languages" not in criteria
    assert {c["criterion"] for c in body["left_out"]} >= {"services", "languages"}
    assert [m["field"] for m in body["missing"]][:2] == ["services", "languages"]
    assert body["missing"][0]["sentence"] == (
        "Add the services you need, to compare providers on what they do."
    )


def test_sentences_follow_the_requested_language(client, db_session, client_user):
    centre(db_session, "A")
    n = need(db_session, client_user.organisation_id, status="open")
    body = client.get(
        f"/api/v1/needs/{n.id}/matches",
        headers={**_auth(db_session, client_user), "Accept-Language": "fr-FR,fr;q=0.9"},
    ).json()
    parts = {p["criterion"]: p for p in body["items"][0]["parts"]}
    assert parts["services"]["label"] == "Services"
    assert parts["services"]["sentence"].startswith("Couvre tous les services")
    assert parts["verified"]["sentence"] == "Organisation pas encore vérifiée."


def test_weight_set_and_priorities_change_the_weights_used(client, db_session, client_user):
    organiser = user(db_session, kind="organiser")
    cheap = centre(db_session, "Cheap", level="c1", price=("10.00", "11.00"))
    fluent = centre(db_session, "Fluent", level="native", price=("30.00", "32.00"))
    n = need(db_session, client_user.organisation_id, status="open", budget_max="15.00")
    headers = _auth(db_session, client_user)
    default = client.get(f"/api/v1/needs/{n.id}/matches", headers=headers).json()
    assert default["weights"]["weight_set_id"] is None
    assert default["weights"]["effective"]["price"] == 12.0
    created = client.post(
        "/api/v1/weight-sets",
        headers=_auth(db_session, organiser),
        json={"name": "Prix d'abord", "weights": {"price": 100}},
    )
    assert created.status_code == 201, created.text
    ws = created.json()
    assert ws["effective"]["price"] == 100.0 and ws["effective"]["services"] == 20.0
    priced = client.get(f"/api/v1/needs/{n.id}/matches?weights={ws['id']}", headers=headers).json()
    assert priced["weights"]["weight_set_name"] == "Prix d'abord"
    assert priced["weights"]["base"]["price"] == 100.0
    assert [i["provider"]["id"] for i in priced["items"]] == [cheap.id, fluent.id]
    # the client says languages matter most: their weight doubles
    client.patch(f"/api/v1/needs/{n.id}", headers=headers, json={"priorities": ["languages"]})
    prio = client.get(f"/api/v1/needs/{n.id}/matches", headers=headers).json()
    assert prio["weights"]["priorities"] == ["languages"]
    assert prio["weights"]["effective"]["languages"] == 30.0
    fluent_part = next(
        p
        for i in prio["items"]
        if i["provider"]["id"] == fluent.id
        for p in i["parts"]
        if p["criterion"] == "languages"
    )
    fluent_default = next(
        p
        for i in default["items"]
        if i["provider"]["id"] == fluent.id
        for p in i["parts"]
        if p["criterion"] == "languages"
    )
    assert fluent_part["max_points"] > fluent_default["max_points"]


def test_excluded_are_paginated_with_their_reasons(client, db_session, client_user):
    low = [centre(db_session, f"Low {i}", level="a2") for i in range(3)]
    n = need(db_session, client_user.organisation_id, status="open")
    headers = _auth(db_session, client_user)
    page = client.get(
        f"/api/v1/needs/{n.id}/matches?include_excluded=true&limit=2&excluded_offset=1",
        headers=headers,
    ).json()
    assert page["total"] == 0 and page["items"] == []
    assert page["excluded_total"] == 3
    assert [e["provider"]["id"] for e in page["excluded"]] == [low[1].id, low[2].id]
    assert page["excluded"][0]["reasons"][0]["label"] == "Language level below the minimum"


def test_matches_are_private_to_the_client_and_staff(client, db_session, client_user):
    n = need(db_session, client_user.organisation_id, status="open")
    draft = need(db_session, client_user.organisation_id)
    url = f"/api/v1/needs/{n.id}/matches"
    other = user(db_session, kind="client")
    provider = user(db_session, kind="provider")
    organiser = user(db_session, kind="organiser")
    assert client.get(url, headers=_auth(db_session, other)).status_code == 404
    assert client.get(url, headers=_auth(db_session, provider)).status_code == 404
    assert client.get(url, headers=_auth(db_session, organiser)).status_code == 200
    assert (
        client.get(
            f"/api/v1/needs/{draft.id}/matches", headers=_auth(db_session, organiser)
        ).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/needs/{draft.id}/matches", headers=_auth(db_session, client_user)
        ).status_code
        == 200
    )


def test_provider_matches_hide_an_anonymous_client_until_revealed(client, db_session, client_user):
    mine = centre(db_session, "Mine")
    member = user(db_session, organisation=db_session.get(Organisation, mine.organisation_id))
    anonymous = need(db_session, client_user.organisation_id, status="open", anonymous=True)
    named = need(
        db_session,
        client_user.organisation_id,
        status="open",
        title="Support technique",
        services=["technical_support"],
    )
    headers = _auth(db_session, member)
    body = client.get(f"/api/v1/providers/{mine.id}/matches", headers=headers).json()
    by_id = {i["need"]["id"]: i for i in body["items"]}
    assert set(by_id) == {anonymous.id, named.id}
    assert by_id[anonymous.id]["need"]["client_name"] is None
    assert by_id[named.id]["need"]["client_name"] == client_user.organisation.legal_name
    assert by_id[anonymous.id]["score"] > by_id[named.id]["score"]
    assert body["items"][0]["need"]["id"] == anonymous.id
    needs_service.shortlist(db_session=db_session, need=anonymous, provider_id=mine.organisation_id)
    db_session.commit()
    body = client.get(f"/api/v1/providers/{mine.id}/matches", headers=headers).json()
    first = body["items"][0]
    assert first["need"]["client_name"] == client_user.organisation.legal_name
    assert first["shortlisted"] is True
    other_centre = user(db_session, kind="provider")
    assert (
        client.get(
            f"/api/v1/providers/{mine.id}/matches", headers=_auth(db_session, other_centre)
        ).status_code
        == 404
    )


def test_queries_do_not_grow_with_the_number_of_providers(
    client, db_session, client_user, count_queries
):
    n = need(db_session, client_user.organisation_id, status="open")
    headers = _auth(db_session, client_user)
    centre(db_session, "First")
    client.get(f"/api/v1/needs/{n.id}/matches", headers=headers)  # builds the index
    with count_queries() as few:
        assert (
            client.get(
                f"/api/v1/needs/{n.id}/matches?include_excluded=true", headers=headers
            ).status_code
            == 200
        )
    for i in range(8):
        centre(db_session, f"Centre {i}", level="b1" if i % 2 else "c2")
    client.get(f"/api/v1/needs/{n.id}/matches", headers=headers)  # refreshes the index
    with count_queries() as many:
        body = client.get(
            f"/api/v1/needs/{n.id}/matches?include_excluded=true", headers=headers
        ).json()
    assert len(body["items"]) == 5 and len(body["excluded"]) == 4
    assert many.count == few.count


def test_a_draft_profile_already_sees_the_needs_that_fit(client, db_session, client_user):
    draft = centre(db_session, "Draft centre", status="draft")
    member = user(db_session, organisation=db_session.get(Organisation, draft.organisation_id))
    fitting = need(db_session, client_user.organisation_id, status="open")
    body = client.get(
        f"/api/v1/providers/{draft.id}/matches", headers=_auth(db_session, member)
    ).json()
    assert [i["need"]["id"] for i in body["items"]] == [fitting.id]
    assert body["items"][0]["interest"] is None
