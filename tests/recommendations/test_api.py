"""GET /api/v1/needs/{id}/matches and /api/v1/providers/{id}/matches."""

from __future__ import annotations

import pytest

from tests.accounts.factories import api_token, user
from tests.recommendations.builders import centre, need


@pytest.fixture
def client_user(db_session):
    return user(db_session, kind="client")


def _auth(db_session, who) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token(db_session, who)}"}


def test_need_matches_ranked_with_parts_adding_up(client, db_session, client_user):
    strong = centre(db_session, "Atlas Premium", level="c2")
    weak = centre(db_session, "Sahel Basic", level="c1", services=("back_office",),
                  price=("25.00", "30.00"))
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
    with_excluded = client.get(f"/api/v1/needs/{n.id}/matches?include_excluded=true",
                               headers=_auth(db_session, client_user)).json()
    assert [e["provider"]["id"] for e in with_excluded["excluded"]] == [excluded.id]
    assert [r["reason"] for r in with_excluded["excluded"][0]["reasons"]] == ["language"]
    assert "B1" in with_excluded["excluded"][0]["reasons"][0]["sentence"]
