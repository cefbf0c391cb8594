"""Meeting requests through the API: every rule and refusal, idempotence, mutual interest,
answers, expiry and the notifications each change writes."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.db import utcnow
from app.events.models import Event, MeetingRequest, Participation
from app.matchmaking import cli as matchmaking_cli
from app.matchmaking import service
from app.notifications.models import Notification
from app.organisations.models import Organisation
from tests import factories
from tests.accounts.factories import log_in, user
from tests.matchmaking import builders


@dataclass
class Scene:
    event: Event
    client_user: User
    client: Participation
    a_user: User
    a: Participation
    b_user: User
    b: Participation
    organiser: User


def scene(db_session, **event_overrides) -> Scene:
    organiser_org = factories.organisation(db_session, kind="organiser", country="MA")
    event = builders.event(
        db_session, organiser=organiser_org, request_deadline=None, **event_overrides
    )
    client_user, client = builders.client(db_session, event, name="Énergie Verte SA")
    a_user, a = builders.provider(db_session, event, name="Atlas Contact")
    b_user, b = builders.provider(db_session, event, name="Bab Call")
    organiser = user(db_session, organisation=organiser_org)
    return Scene(event, client_user, client, a_user, a, b_user, b, organiser)


def _send(client, event_id: int, recipient_id: int, message: str | None = "Bonjour"):
    return client.post(
        f"/api/v1/events/{event_id}/requests",
        json={"recipient_id": recipient_id, "message": message},
    )


def _count(db_session, event_id: int) -> int:
    return db_session.scalar(
        select(func.count(MeetingRequest.id)).where(MeetingRequest.event_id == event_id)
    )


def _notes(db_session, who: User, kind: str) -> list[Notification]:
    return list(
        db_session.scalars(
            select(Notification).where(Notification.user_id == who.id, Notification.kind == kind)
        )
    )


# --- sending ------------------------------------------------------------------------------


def test_send_request_creates_a_pending_request_with_its_expiry(db_session, client):
    s = scene(db_session, request_expiry_hours=48)
    log_in(client, s.client_user)
    response = _send(client, s.event.id, s.a.id)
    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["outcome"], body["direction"]) == ("pending", "created", "sent")
    row = db_session.get(MeetingRequest, body["id"])
    assert row.expires_at == row.created_at + timedelta(hours=48)
    notes = _notes(db_session, s.a_user, "request_received")
    assert [n.params for n in notes] == [
        {"event_name": s.event.name, "sender_name": "Énergie Verte SA", "message": "Bonjour"}
    ]
    assert (notes[0].event_id, notes[0].link) == (s.event.id, f"/events/{s.event.id}/requests")


def test_expiry_is_the_deadline_when_it_comes_first(db_session):
    event = Event(request_deadline=builders.NOW + timedelta(hours=5), request_expiry_hours=48)
    assert service.expiry_for(event, builders.NOW) == builders.NOW + timedelta(hours=5)
    assert service.expiry_for(Event(request_expiry_hours=2), builders.NOW) == (
        builders.NOW + timedelta(hours=2)
    )
    assert service.expiry_for(Event(), builders.NOW) is None


def test_send_request_twice_leaves_one_request_and_answers_with_it(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    first = _send(client, s.event.id, s.a.id)
    second = _send(client, s.event.id, s.a.id, message="Encore")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["outcome"] == "existing"
    assert _count(db_session, s.event.id) == 1


def test_send_request_by_a_colleague_answers_with_the_existing_request(db_session, client):
    s = scene(db_session)
    organisation = db_session.get(Organisation, s.client_user.organisation_id)
    colleague = user(db_session, organisation=organisation, role="member")
    log_in(client, s.client_user)
    first = _send(client, s.event.id, s.a.id)
    log_in(client, colleague)
    second = _send(client, s.event.id, s.a.id)
    assert (second.status_code, second.json()["id"]) == (200, first.json()["id"])
    assert _count(db_session, s.event.id) == 1


def test_send_request_back_to_a_pending_sender_is_mutual_interest(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    sent = _send(client, s.event.id, s.a.id).json()
    log_in(client, s.a_user)
    response = _send(client, s.event.id, s.client.id)
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["outcome"], body["mutual"]) == (
        sent["id"],
        "accepted",
        "mutual",
        True,
    )
    assert len(_notes(db_session, s.client_user, "request_accepted")) == 1


def test_send_request_to_oneself_is_refused_on_the_recipient(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    response = _send(client, s.event.id, s.client.id)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "recipient_id"]
    assert _count(db_session, s.event.id) == 0


def test_send_request_to_the_same_side_is_refused_when_pairs_are_client_provider(
    db_session, client
):
    s = scene(db_session)
    log_in(client, s.a_user)
    response = _send(client, s.event.id, s.b.id)
    assert response.status_code == 422
    assert "call centres" in response.json()["detail"][0]["msg"]


def test_send_request_to_the_same_side_is_accepted_when_any_pair_may_meet(db_session, client):
    s = scene(db_session, pairing="any")
    log_in(client, s.a_user)
    assert _send(client, s.event.id, s.b.id).status_code == 201


@pytest.mark.parametrize("status", ["pending", "refused", "withdrawn"])
def test_send_request_to_a_participant_not_approved_is_refused(db_session, client, status):
    s = scene(db_session)
    _u, waiting = builders.provider(db_session, s.event, name="Attente", status=status)
    log_in(client, s.client_user)
    response = _send(client, s.event.id, waiting.id)
    assert response.status_code == 422
    assert "not an approved participant" in response.json()["detail"][0]["msg"]


def test_send_request_to_a_participant_of_another_event_is_refused(db_session, client):
    s = scene(db_session)
    elsewhere = builders.event(db_session, name="Autre")
    _u, stranger = builders.provider(db_session, elsewhere, name="Ailleurs")
    log_in(client, s.client_user)
    assert _send(client, s.event.id, stranger.id).status_code == 422


def test_send_request_to_someone_who_said_no_thanks_is_refused(db_session, client):
    s = scene(db_session)
    builders.preference(db_session, s.event, s.a, s.client, "no_thanks")
    log_in(client, s.client_user)
    response = _send(client, s.event.id, s.a.id)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == (
        "This participant does not wish to meet you at this event."
    )


def test_send_request_after_ones_own_no_thanks_is_refused(db_session, client):
    s = scene(db_session)
    builders.preference(db_session, s.event, s.client, s.a, "no_thanks")
    log_in(client, s.client_user)
    response = _send(client, s.event.id, s.a.id)
    assert response.status_code == 422
    assert "no thanks" in response.json()["detail"][0]["msg"]


def test_send_request_after_the_deadline_is_refused(db_session, client):
    s = scene(db_session)
    s.event.request_deadline = utcnow() - timedelta(minutes=1)
    db_session.commit()
    log_in(client, s.client_user)
    response = _send(client, s.event.id, s.a.id)
    assert response.status_code == 409
    assert response.json()["detail"] == "The deadline for meeting requests has passed."


@pytest.mark.parametrize("status", ["registration_open", "scheduling", "published", "closed"])
def test_send_request_when_requests_are_not_open_is_refused(db_session, client, status):
    s = scene(db_session, status=status)
    log_in(client, s.client_user)
    response = _send(client, s.event.id, s.a.id)
    assert response.status_code == 409
    assert response.json()["detail"] == "Meeting requests are not open at this event."


def test_send_request_over_the_quota_is_refused_until_one_is_cancelled(db_session, client):
    s = scene(db_session, request_quota=1)
    log_in(client, s.client_user)
    first = _send(client, s.event.id, s.a.id)
    over = _send(client, s.event.id, s.b.id)
    assert (first.status_code, over.status_code) == (201, 409)
    assert "quota of 1" in over.json()["detail"]
    cancelled = client.post(f"/api/v1/events/{s.event.id}/requests/{first.json()['id']}/cancel")
    assert cancelled.status_code == 200
    assert _send(client, s.event.id, s.b.id).status_code == 201


def test_send_request_after_being_declined_is_refused(db_session, client):
    s = scene(db_session)
    builders.request(db_session, s.event, s.client, s.a, status="declined")
    log_in(client, s.client_user)
    response = _send(client, s.event.id, s.a.id)
    assert response.status_code == 409
    assert response.json()["detail"]["status"] == "declined"


def test_send_request_after_a_cancelled_one_reopens_the_pair(db_session, client):
    s = scene(db_session)
    old = builders.request(db_session, s.event, s.a, s.client, status="cancelled")
    log_in(client, s.client_user)
    response = _send(client, s.event.id, s.a.id)
    assert response.status_code == 201
    body = response.json()
    assert (body["id"], body["outcome"], body["sender_id"], body["status"]) == (
        old.id,
        "reopened",
        s.client.id,
        "pending",
    )


def test_send_request_by_an_organiser_who_does_not_take_part_is_forbidden(db_session, client):
    s = scene(db_session)
    log_in(client, s.organiser)
    assert _send(client, s.event.id, s.a.id).status_code == 403


def test_send_request_with_a_too_long_message_is_refused(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    assert _send(client, s.event.id, s.a.id, message="x" * 2001).status_code == 422


# --- answering ----------------------------------------------------------------------------


def test_accept_by_the_recipient_accepts_and_notifies_the_sender(db_session, client):
    s = scene(db_session)
    row = builders.request(db_session, s.event, s.client, s.a)
    log_in(client, s.a_user)
    response = client.post(f"/api/v1/events/{s.event.id}/requests/{row.id}/accept")
    assert (response.status_code, response.json()["status"]) == (200, "accepted")
    notes = _notes(db_session, s.client_user, "request_accepted")
    assert [n.params for n in notes] == [
        {"event_name": s.event.name, "recipient_name": "Atlas Contact"}
    ]


def test_accept_by_the_sender_is_forbidden(db_session, client):
    s = scene(db_session)
    row = builders.request(db_session, s.event, s.client, s.a)
    log_in(client, s.client_user)
    assert client.post(f"/api/v1/events/{s.event.id}/requests/{row.id}/accept").status_code == 403


def test_accept_of_another_pairs_request_is_not_found(db_session, client):
    s = scene(db_session)
    row = builders.request(db_session, s.event, s.client, s.a)
    log_in(client, s.b_user)
    assert client.post(f"/api/v1/events/{s.event.id}/requests/{row.id}/accept").status_code == 404


@pytest.mark.parametrize("status", ["cancelled", "declined", "expired", "accepted"])
def test_accept_of_a_request_no_longer_pending_says_its_status(db_session, client, status):
    s = scene(db_session)
    row = builders.request(db_session, s.event, s.client, s.a, status=status)
    log_in(client, s.a_user)
    response = client.post(f"/api/v1/events/{s.event.id}/requests/{row.id}/accept")
    assert response.status_code == 409
    assert response.json()["detail"]["status"] == status


def test_accept_of_a_request_past_its_expiry_expires_it_and_says_so(db_session, client):
    s = scene(db_session)
    row = builders.request(
        db_session, s.event, s.client, s.a, expires_at=utcnow() - timedelta(minutes=1)
    )
    log_in(client, s.a_user)
    response = client.post(f"/api/v1/events/{s.event.id}/requests/{row.id}/accept")
    assert response.status_code == 409
    assert response.json()["detail"] == {
        "message": "This request has expired.",
        "status": "expired",
        "request_id": row.id,
    }


def test_decline_with_a_reason_tells_the_sender(db_session, client):
    s = scene(db_session)
    row = builders.request(db_session, s.event, s.client, s.a)
    log_in(client, s.a_user)
    response = client.post(
        f"/api/v1/events/{s.event.id}/requests/{row.id}/decline", json={"reason": "Complet"}
    )
    assert (response.json()["status"], response.json()["decline_reason"]) == (
        "declined",
        "Complet",
    )
    notes = _notes(db_session, s.client_user, "request_declined")
    assert [n.params for n in notes] == [
        {"event_name": s.event.name, "recipient_name": "Atlas Contact", "reason": "Complet"}
    ]


def test_decline_without_a_body_declines(db_session, client):
    s = scene(db_session)
    row = builders.request(db_session, s.event, s.client, s.a)
    log_in(client, s.a_user)
    response = client.post(f"/api/v1/events/{s.event.id}/requests/{row.id}/decline")
    assert (response.status_code, response.json()["decline_reason"]) == (200, None)


def test_cancel_by_the_sender_tells_the_recipient(db_session, client):
    s = scene(db_session)
    row = builders.request(db_session, s.event, s.client, s.a)
    log_in(client, s.client_user)
    response = client.post(f"/api/v1/events/{s.event.id}/requests/{row.id}/cancel")
    assert response.json()["status"] == "cancelled"
    notes = _notes(db_session, s.a_user, "request_cancelled")
    assert [n.params for n in notes] == [
        {"event_name": s.event.name, "sender_name": "Énergie Verte SA"}
    ]


def test_cancel_by_the_recipient_is_forbidden(db_session, client):
    s = scene(db_session)
    row = builders.request(db_session, s.event, s.client, s.a)
    log_in(client, s.a_user)
    assert client.post(f"/api/v1/events/{s.event.id}/requests/{row.id}/cancel").status_code == 403


def test_cancel_of_a_declined_request_says_its_status(db_session, client):
    s = scene(db_session)
    row = builders.request(db_session, s.event, s.client, s.a, status="declined")
    log_in(client, s.client_user)
    response = client.post(f"/api/v1/events/{s.event.id}/requests/{row.id}/cancel")
    assert (response.status_code, response.json()["detail"]["status"]) == (409, "declined")


# --- expiry -------------------------------------------------------------------------------


def test_expire_due_requests_expires_only_those_due_and_notifies_their_senders(db_session):
    s = scene(db_session)
    due = builders.request(
        db_session, s.event, s.client, s.a, expires_at=builders.NOW + timedelta(hours=1)
    )
    later = builders.request(
        db_session, s.event, s.client, s.b, expires_at=builders.NOW + timedelta(hours=5)
    )
    answered = builders.request(
        db_session, s.event, s.a, s.b, status="accepted", expires_at=builders.NOW
    )
    now = builders.NOW + timedelta(hours=2)
    assert service.expire_due_requests(db_session=db_session, now=now) == 1
    assert service.expire_due_requests(db_session=db_session, now=now) == 0
    statuses = {
        r.id: r.status
        for r in db_session.scalars(
            select(MeetingRequest).where(MeetingRequest.event_id == s.event.id)
        )
    }
    assert statuses == {due.id: "expired", later.id: "pending", answered.id: "accepted"}
    notes = _notes(db_session, s.client_user, "request_expired")
    assert [n.params for n in notes] == [
        {"event_name": s.event.name, "other_name": "Atlas Contact"}
    ]


def test_listing_requests_expires_the_due_ones_first(db_session, client):
    s = scene(db_session)
    builders.request(db_session, s.event, s.client, s.a, expires_at=utcnow() - timedelta(hours=1))
    log_in(client, s.client_user)
    body = client.get(f"/api/v1/events/{s.event.id}/requests").json()
    assert [r["status"] for r in body["items"]] == ["expired"]


def test_cli_expire_requests_expires_due_requests(db_session, monkeypatch, capsys):
    s = scene(db_session)
    builders.request(db_session, s.event, s.client, s.a, expires_at=utcnow() - timedelta(hours=1))
    monkeypatch.setattr(
        matchmaking_cli, "get_session_factory", lambda: lambda: nullcontext(db_session)
    )
    from app.cli import main

    assert main(["events", "expire-requests"]) == 0
    assert capsys.readouterr().out.strip() == "1 meeting request(s) expired"


# --- listing ------------------------------------------------------------------------------


def test_list_requests_shows_a_participant_only_its_own(db_session, client):
    s = scene(db_session)
    mine = builders.request(db_session, s.event, s.client, s.a)
    builders.request(db_session, s.event, s.a, s.b, status="accepted")
    log_in(client, s.client_user)
    body = client.get(f"/api/v1/events/{s.event.id}/requests").json()
    assert [r["id"] for r in body["items"]] == [mine.id]
    log_in(client, s.b_user)
    body = client.get(f"/api/v1/events/{s.event.id}/requests").json()
    assert [(r["sender_name"], r["direction"]) for r in body["items"]] == [
        ("Atlas Contact", "received")
    ]


def test_list_requests_shows_an_organiser_all_filtered_by_status(db_session, client):
    s = scene(db_session)
    pending = builders.request(db_session, s.event, s.client, s.a)
    accepted = builders.request(db_session, s.event, s.client, s.b, status="accepted")
    log_in(client, s.organiser)
    everything = client.get(f"/api/v1/events/{s.event.id}/requests").json()
    assert sorted(r["id"] for r in everything["items"]) == [pending.id, accepted.id]
    assert {r["direction"] for r in everything["items"]} == {None}
    only = client.get(f"/api/v1/events/{s.event.id}/requests", params={"status": "accepted"})
    assert [r["id"] for r in only.json()["items"]] == [accepted.id]


def test_list_requests_by_direction(db_session, client):
    s = scene(db_session)
    sent = builders.request(db_session, s.event, s.client, s.a)
    received = builders.request(db_session, s.event, s.b, s.client)
    log_in(client, s.client_user)
    url = f"/api/v1/events/{s.event.id}/requests"
    assert [r["id"] for r in client.get(url, params={"direction": "sent"}).json()["items"]] == [
        sent.id
    ]
    assert [r["id"] for r in client.get(url, params={"direction": "received"}).json()["items"]] == [
        received.id
    ]


def test_list_requests_runs_a_bounded_number_of_queries(db_session, client, count_queries):
    s = scene(db_session)
    log_in(client, s.organiser)
    url = f"/api/v1/events/{s.event.id}/requests"
    builders.request(db_session, s.event, s.client, s.a)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for i in range(6):
        _u, other = builders.provider(db_session, s.event, name=f"Centre {i}")
        builders.request(db_session, s.event, s.client, other, status="accepted")
    with count_queries() as many:
        assert len(client.get(url).json()["items"]) == 7
    assert many.count == few.count


def test_mutual_is_shown_for_a_pending_request_the_recipient_would_like(db_session, client):
    s = scene(db_session)
    row = builders.request(db_session, s.event, s.client, s.a)
    builders.preference(db_session, s.event, s.a, s.client, "would_like")
    log_in(client, s.client_user)
    items = client.get(f"/api/v1/events/{s.event.id}/requests").json()["items"]
    assert [(r["id"], r["mutual"]) for r in items] == [(row.id, True)]


# --- preferences --------------------------------------------------------------------------


def test_put_preference_sets_then_changes_then_delete_forgets(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    url = f"/api/v1/events/{s.event.id}/preferences/{s.a.id}"
    assert client.put(url, json={"level": "would_like"}).json() == {
        "participant_id": s.a.id,
        "level": "would_like",
    }
    assert client.put(url, json={"level": "must_meet"}).json()["level"] == "must_meet"
    rel = service.relations(db_session=db_session, event_id=s.event.id, me=s.client.id)
    assert rel[s.a.id].my_preference == "must_meet"
    assert client.delete(url).status_code == 204
    assert service.relations(db_session=db_session, event_id=s.event.id, me=s.client.id) == {}


def test_put_preference_with_an_unknown_level_is_refused(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    url = f"/api/v1/events/{s.event.id}/preferences/{s.a.id}"
    assert client.put(url, json={"level": "maybe"}).status_code == 422


def test_put_preference_on_a_non_participant_is_refused(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    url = f"/api/v1/events/{s.event.id}/preferences/{s.a.id + 1000}"
    response = client.put(url, json={"level": "no_thanks"})
    assert (response.status_code, response.json()["detail"][0]["loc"]) == (
        422,
        ["body", "participant_id"],
    )


def test_preferences_both_ways_are_mutual_interest_for_both_sides(db_session):
    s = scene(db_session)
    builders.preference(db_session, s.event, s.client, s.a, "would_like")
    builders.preference(db_session, s.event, s.a, s.client, "must_meet")
    builders.preference(db_session, s.event, s.client, s.b, "would_like")
    mine = service.relations(db_session=db_session, event_id=s.event.id, me=s.client.id)
    theirs = service.relations(db_session=db_session, event_id=s.event.id, me=s.a.id)
    assert (mine[s.a.id].mutual, theirs[s.client.id].mutual, mine[s.b.id].mutual) == (
        True,
        True,
        False,
    )
