"""The matchmaking pages: sending from the catalogue, answering on the requests page, and
each refusal shown on the page in the user's language."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from app.core.db import utcnow
from app.events.models import MeetingRequest
from tests.accounts.factories import log_in
from tests.matchmaking import builders
from tests.matchmaking.test_requests import scene


def _alert(html: str) -> str:
    found = BeautifulSoup(html, "html.parser").select_one(".alert-error, .alert-info")
    return found.get_text(" ", strip=True) if found else ""


def _ask(client, event_id: int, participant_id: int, message: str = "Bonjour"):
    return client.post(
        f"/events/{event_id}/catalogue/{participant_id}/ask",
        data={"message": message},
        follow_redirects=False,
    )


def test_ask_page_sends_and_redirects_to_the_requests_page(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    form = client.get(f"/events/{s.event.id}/catalogue/{s.a.id}/ask")
    assert "Ask Atlas Contact to meet at Euroffshore Casablanca" in form.text
    response = _ask(client, s.event.id, s.a.id)
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"/events/{s.event.id}/requests?notice=created")
    page = client.get(response.headers["location"])
    assert _alert(page.text) == "Your request was sent."
    assert "Atlas Contact" in page.text


def test_ask_page_twice_says_the_request_stands(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    _ask(client, s.event.id, s.a.id)
    again = _ask(client, s.event.id, s.a.id)
    assert "notice=existing" in again.headers["location"]
    count = db_session.scalar(select(func.count(MeetingRequest.id)))
    assert count == 1


def test_ask_page_back_to_a_sender_says_mutual_interest(db_session, client):
    s = scene(db_session)
    builders.request(db_session, s.event, s.a, s.client)
    log_in(client, s.client_user)
    response = _ask(client, s.event.id, s.a.id)
    page = client.get(response.headers["location"])
    assert _alert(page.text).startswith("Mutual interest")
    assert "badge-mutual" in page.text


def test_ask_page_shows_each_refusal(db_session, client):
    s = scene(db_session, request_quota=1)
    builders.preference(db_session, s.event, s.b, s.client, "no_thanks")
    log_in(client, s.client_user)
    same_side = client.post(
        f"/events/{s.event.id}/catalogue/{s.client.id}/ask", data={"message": ""}
    )
    assert (same_side.status_code, _alert(same_side.text)) == (
        400,
        "You cannot ask your own organisation for a meeting.",
    )
    no_thanks = _ask(client, s.event.id, s.b.id)
    assert (no_thanks.status_code, _alert(no_thanks.text)) == (
        400,
        "This participant does not wish to meet you at this event.",
    )
    assert _ask(client, s.event.id, s.a.id).status_code == 303
    _u, extra = builders.provider(db_session, s.event, name="Encore")
    over = _ask(client, s.event.id, extra.id, message="Mon message")
    assert over.status_code == 409
    assert "quota of 1" in _alert(over.text)
    assert "Mon message" in over.text  # the user's message is kept


def test_ask_page_after_the_deadline_shows_it(db_session, client):
    s = scene(db_session)
    s.event.request_deadline = utcnow() - timedelta(hours=1)
    db_session.commit()
    log_in(client, s.client_user)
    response = _ask(client, s.event.id, s.a.id)
    assert (response.status_code, _alert(response.text)) == (
        409,
        "The deadline for meeting requests has passed.",
    )


def test_ask_page_refusal_in_french(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    response = client.post(
        f"/events/{s.event.id}/catalogue/{s.client.id}/ask",
        data={"message": ""},
        headers={"Accept-Language": "fr"},
    )
    assert _alert(response.text) == (
        "Vous ne pouvez pas demander un rendez-vous à votre propre organisation."
    )


def test_requests_page_accept_and_decline_with_reason(db_session, client):
    s = scene(db_session)
    first = builders.request(db_session, s.event, s.client, s.a, message="Hello")
    _u, other_client = builders.client(db_session, s.event, name="Autre SA")
    second = builders.request(db_session, s.event, other_client, s.a)
    log_in(client, s.a_user)
    page = client.get(f"/events/{s.event.id}/requests")
    assert "Hello" in page.text
    accepted = client.post(
        f"/events/{s.event.id}/requests/{first.id}/accept", follow_redirects=False
    )
    assert accepted.status_code == 303
    declined = client.post(
        f"/events/{s.event.id}/requests/{second.id}/decline",
        data={"reason": "Pas de place"},
        follow_redirects=False,
    )
    assert declined.status_code == 303
    db_session.expire_all()
    assert (
        db_session.get(MeetingRequest, first.id).status,
        db_session.get(MeetingRequest, second.id).status,
        db_session.get(MeetingRequest, second.id).decline_reason,
    ) == ("accepted", "declined", "Pas de place")


def test_requests_page_accepting_a_cancelled_request_says_so(db_session, client):
    s = scene(db_session)
    row = builders.request(db_session, s.event, s.client, s.a, status="cancelled")
    log_in(client, s.a_user)
    response = client.post(f"/events/{s.event.id}/requests/{row.id}/accept")
    assert (response.status_code, _alert(response.text)) == (
        409,
        "This request was cancelled by its sender.",
    )


def test_requests_page_cancel_by_the_sender(db_session, client):
    s = scene(db_session)
    row = builders.request(db_session, s.event, s.client, s.a)
    log_in(client, s.client_user)
    page = client.get(f"/events/{s.event.id}/requests")
    assert f"/events/{s.event.id}/requests/{row.id}/cancel" in page.text
    assert f"/events/{s.event.id}/requests/{row.id}/accept" not in page.text
    response = client.post(f"/events/{s.event.id}/requests/{row.id}/cancel", follow_redirects=True)
    assert _alert(response.text) == "Request cancelled."


def test_requests_page_hides_other_participants_requests(db_session, client):
    s = scene(db_session)
    builders.request(db_session, s.event, s.client, s.a, message="Secret")
    log_in(client, s.b_user)
    assert "Secret" not in client.get(f"/events/{s.event.id}/requests").text
    response = client.post(f"/events/{s.event.id}/requests/1/accept")
    assert response.status_code in (403, 404)


def test_requests_page_of_an_organiser_lists_all(db_session, client):
    s = scene(db_session)
    builders.request(db_session, s.event, s.client, s.a, message="Premier")
    builders.request(db_session, s.event, s.b, s.client, message="Second")
    log_in(client, s.organiser)
    page = client.get(f"/events/{s.event.id}/requests")
    assert ("Premier" in page.text, "Second" in page.text) == (True, True)


def test_preference_form_saves_and_shows_on_the_card(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    response = client.post(
        f"/events/{s.event.id}/catalogue/{s.a.id}/preference",
        data={"level": "must_meet", "next": f"/events/{s.event.id}/catalogue"},
        follow_redirects=True,
    )
    assert _alert(response.text) == "Your preference is saved."
    soup = BeautifulSoup(response.text, "html.parser")
    card = soup.select_one(f"#p-{s.a.id}")
    assert card.select_one("option[selected]")["value"] == "must_meet"


def test_preference_form_refuses_a_non_participant(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    response = client.post(
        f"/events/{s.event.id}/catalogue/{s.a.id + 999}/preference", data={"level": "no_thanks"}
    )
    assert (response.status_code, _alert(response.text)) == (
        400,
        "This organisation is not an approved participant of the event.",
    )


def test_pages_of_a_non_participant_are_forbidden(db_session, client):
    s = scene(db_session)
    from tests.accounts.factories import user

    outsider = user(db_session, kind="provider")
    log_in(client, outsider)
    assert client.get(f"/events/{s.event.id}/catalogue").status_code == 403
    assert client.get(f"/events/{s.event.id}/requests").status_code == 403


def test_viewer_follows_the_events_rules_for_drafts_managers_and_registrations(db_session, client):
    """The catalogue's viewer is app/events/auth.py's EventDep (a draft: 404 but for its
    organisers) plus the policy's manager rule; a pending registration is not enough."""
    from app.matchmaking import auth

    s = scene(db_session, status="draft")
    pending_user, _pending = builders.client(db_session, s.event, status="pending")
    url = f"/api/v1/events/{s.event.id}/participants"
    statuses = {}
    for name, who in (("client", s.client_user), ("organiser", s.organiser)):
        log_in(client, who)
        response = client.get(url)
        statuses[name] = (response.status_code, response.json().get("detail"))
    s.event.status = "requests_open"
    db_session.commit()
    log_in(client, pending_user)
    statuses["pending"] = (client.get(url).status_code, None)
    assert statuses == {
        "client": (404, "This event does not exist."),
        "organiser": (200, None),
        "pending": (403, None),
    }
    assert auth.manages_event(s.organiser, s.event) is True
    assert auth.manages_event(s.client_user, s.event) is False
