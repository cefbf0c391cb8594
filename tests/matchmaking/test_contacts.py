"""Directory contacts are offered "ask to meet at <event>", and the directory's
recommendation pages link to the catalogues of the viewer's events."""

from __future__ import annotations

from sqlalchemy import select

from app.needs.models import Need, NeedInterest
from app.providers.models import ProviderProfile
from tests.accounts.factories import log_in
from tests.matchmaking import builders


def _contacts(db_session, status: str = "accepted"):
    event = builders.event(db_session, request_deadline=None)
    client_user, client = builders.client(db_session, event, name="Énergie Verte SA")
    centre_user, centre = builders.provider(db_session, event, name="Atlas Contact")
    need_id = db_session.scalar(
        select(Need.id).where(Need.organisation_id == client_user.organisation_id)
    )
    db_session.add(
        NeedInterest(need_id=need_id, provider_id=centre_user.organisation_id, status=status)
    )
    db_session.commit()
    return event, client_user, client, centre_user, centre, need_id


def test_contacts_are_offered_to_meet_on_both_dashboards(db_session, client):
    event, client_user, _c, centre_user, centre, _n = _contacts(db_session)
    log_in(client, client_user)
    page = client.get("/dashboard").text
    assert "Ask Atlas Contact to meet at Euroffshore Casablanca" in page
    assert f"/events/{event.id}/catalogue/{centre.id}/ask" in page
    log_in(client, centre_user)
    assert "Ask Énergie Verte SA to meet at Euroffshore Casablanca" in client.get("/dashboard").text


def test_contacts_are_offered_on_the_need_and_provider_pages(db_session, client):
    event, client_user, client_part, centre_user, centre, need_id = _contacts(db_session)
    log_in(client, client_user)
    assert "Ask Atlas Contact to meet" in client.get(f"/needs/{need_id}").text
    profile_id = db_session.scalar(
        select(ProviderProfile.id).where(
            ProviderProfile.organisation_id == centre_user.organisation_id
        )
    )
    assert "Ask Atlas Contact to meet" in client.get(f"/providers/{profile_id}").text
    log_in(client, centre_user)
    assert "Ask Énergie Verte SA to meet" in client.get(f"/needs/{need_id}").text


def test_a_pending_request_shows_instead_of_the_offer(db_session, client):
    event, client_user, client_part, _u, centre, _n = _contacts(db_session)
    builders.request(db_session, event, client_part, centre)
    log_in(client, client_user)
    page = client.get("/dashboard").text
    assert "Atlas Contact at Euroffshore Casablanca: request Pending." in page


def test_no_offer_without_an_accepted_interest_or_when_requests_are_closed(db_session, client):
    _e, client_user, *_rest = _contacts(db_session, status="pending")
    log_in(client, client_user)
    assert "to meet at" not in client.get("/dashboard").text
    event, other_user, *_rest = _contacts(db_session)
    event.status = "scheduling"
    db_session.commit()
    log_in(client, other_user)
    assert "to meet at" not in client.get("/dashboard").text


def test_recommendations_link_to_the_catalogue_of_attended_events(db_session, client):
    event, client_user, _c, _u, _p, need_id = _contacts(db_session)
    log_in(client, client_user)
    page = client.get(f"/needs/{need_id}/matches").text
    assert f'href="/events/{event.id}/catalogue"' in page
