"""Events JSON API: validation errors name the field, duplicates are 409, private data stays
private (drafts of other organisers are 404, registrations of others too)."""

from __future__ import annotations

from app.events.models import EventStatus
from tests import factories
from tests.accounts.factories import api_token, user
from tests.events.builders import FIRST_DAY, day_payload, event, event_payload, participation


def _auth(db_session, who):
    return {"Authorization": f"Bearer {api_token(db_session, who)}"}


def _organiser(db_session):
    org = factories.organisation(db_session, kind="organiser", country="MA")
    return org, user(db_session, organisation=org)


def test_create_event_invalid_time_zone_is_422_naming_the_field(client, db_session):
    _, boss = _organiser(db_session)
    response = client.post(
        "/api/v1/events",
        json=event_payload(timezone="Mars/Olympus"),
        headers=_auth(db_session, boss),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "timezone"]


def test_create_event_slot_length_out_of_range_is_422(client, db_session):
    _, boss = _organiser(db_session)
    response = client.post(
        "/api/v1/events", json=event_payload(slot_minutes=5), headers=_auth(db_session, boss)
    )
    assert (response.status_code, response.json()["detail"][0]["loc"]) == (
        422,
        ["body", "slot_minutes"],
    )


def test_create_event_break_outside_hours_is_422(client, db_session):
    _, boss = _organiser(db_session)
    bad = day_payload(breaks=[{"label": "Late", "starts_at": "18:00", "ends_at": "18:30"}])
    response = client.post(
        "/api/v1/events", json=event_payload(days=[bad]), headers=_auth(db_session, boss)
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:3] == ["body", "days", 0]


def test_create_event_returns_its_slots_and_actions(client, db_session):
    _, boss = _organiser(db_session)
    response = client.post("/api/v1/events", json=event_payload(), headers=_auth(db_session, boss))
    body = response.json()
    assert (response.status_code, body["status"], body["slot_count"], body["actions"]) == (
        201,
        "draft",
        38,
        ["open_registration"],
    )


def test_list_events_hides_other_organisers_drafts(client, db_session, count_queries):
    org, boss = _organiser(db_session)
    other, _ = _organiser(db_session)
    mine = event(db_session, org.id)
    theirs = event(db_session, other.id)
    public = event(db_session, other.id, status=EventStatus.registration_open.value)
    headers = _auth(db_session, boss)
    with count_queries() as counter:
        response = client.get("/api/v1/events", headers=headers)
    ids = {e["id"] for e in response.json()["items"]}
    assert (mine.id in ids, theirs.id in ids, public.id in ids) == (True, False, True)
    assert counter.count <= 10
    assert client.get(f"/api/v1/events/{theirs.id}", headers=headers).status_code == 404


def test_status_change_illegal_is_409_with_the_reason(client, db_session):
    org, boss = _organiser(db_session)
    row = event(db_session, org.id)
    response = client.post(
        f"/api/v1/events/{row.id}/status",
        json={"action": "publish"},
        headers=_auth(db_session, boss),
    )
    assert response.status_code == 409
    assert response.json()["detail"][0]["loc"] == ["body", "action"]


def test_register_twice_is_409_naming_the_field(client, db_session):
    org, _ = _organiser(db_session)
    row = event(db_session, org.id, status=EventStatus.registration_open.value)
    company = factories.organisation(db_session, kind="client")
    headers = _auth(db_session, user(db_session, organisation=company))
    first = client.post(f"/api/v1/events/{row.id}/registrations", json={}, headers=headers)
    second = client.post(f"/api/v1/events/{row.id}/registrations", json={}, headers=headers)
    assert (first.status_code, second.status_code) == (201, 409)
    assert second.json()["detail"][0]["loc"] == ["body", "organisation_id"]


def test_register_with_a_day_outside_the_event_is_422(client, db_session):
    org, _ = _organiser(db_session)
    row = event(db_session, org.id, status=EventStatus.registration_open.value)
    company = factories.organisation(db_session, kind="provider", country="MA")
    headers = _auth(db_session, user(db_session, organisation=company))
    response = client.post(
        f"/api/v1/events/{row.id}/registrations",
        json={"away": [{"kind": "day", "day": "2001-01-01"}]},
        headers=headers,
    )
    assert (response.status_code, response.json()["detail"][0]["loc"]) == (422, ["body", "away"])


def test_other_organisations_cannot_read_or_change_a_registration(client, db_session):
    org, _ = _organiser(db_session)
    row = event(db_session, org.id, status=EventStatus.registration_open.value)
    company = factories.organisation(db_session, kind="client")
    reg = participation(db_session, row, company.id, status="approved")
    stranger = factories.organisation(db_session, kind="provider", country="MA")
    participation(db_session, row, stranger.id, status="approved")
    headers = _auth(db_session, user(db_session, organisation=stranger))
    url = f"/api/v1/events/{row.id}/registrations/{reg.id}"
    assert client.get(url, headers=headers).status_code == 404
    assert client.patch(url, json={"max_meetings": 1}, headers=headers).status_code == 404
    assert client.post(url + "/withdraw", headers=headers).status_code == 404
    # The list shows approved participants' public information only.
    listed = client.get(f"/api/v1/events/{row.id}/registrations", headers=headers).json()
    assert sorted(listed["items"][0]) == sorted(
        [
            "id",
            "organisation_id",
            "organisation_name",
            "organisation_kind",
            "country",
            "city",
            "booth_table",
        ]
    )


def test_slots_list_gives_local_times(client, db_session):
    org, boss = _organiser(db_session)
    row = event(db_session, org.id)
    slots = client.get(f"/api/v1/events/{row.id}/slots", headers=_auth(db_session, boss)).json()
    assert (slots[0]["day"], slots[0]["local_starts_at"][11:16], slots[0]["session"]) == (
        FIRST_DAY.isoformat(),
        "09:00",
        "d1-am",
    )


def test_openapi_documents_the_events_api_with_examples(client):
    spec = client.get("/openapi.json").json()
    assert "/api/v1/events/{event_id}/registrations" in spec["paths"]
    assert spec["components"]["schemas"]["EventCreate"]["examples"][0]["name"] == (
        "Euroffshore Casablanca"
    )
