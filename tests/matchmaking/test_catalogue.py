"""The participant catalogue: who sees whom, filters, scores and their order, the recommended
list, anonymous needs, and a bounded number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.models import User
from app.events.models import Event, Participation
from app.needs.models import NeedShortlist
from tests import factories
from tests.accounts.factories import log_in, user
from tests.matchmaking import builders


@dataclass
class Scene:
    event: Event
    client_user: User
    client: Participation
    good_user: User
    good: Participation  # fits the client's need well
    weak: Participation  # French at B2 only: excluded by the need (C1 asked)
    costly: Participation  # fits, but over budget
    other_client: Participation
    organiser: User


def scene(db_session, **event_overrides) -> Scene:
    organiser_org = factories.organisation(db_session, kind="organiser", country="MA")
    event = builders.event(
        db_session, organiser=organiser_org, request_deadline=None, **event_overrides
    )
    client_user, client = builders.client(db_session, event, name="Énergie Verte SA")
    good_user, good = builders.provider(db_session, event, name="Atlas Contact", seats_now=80)
    _u, weak = builders.provider(db_session, event, name="Bab Call", level="b2", country="TN")
    _u, costly = builders.provider(
        db_session, event, name="Cap Appels", price=("30.00", "35.00"), seats_now=20
    )
    _u, other_client = builders.client(
        db_session,
        event,
        name="Banque du Nord SA",
        need_overrides={"sector": "banking_insurance", "services": ["technical_support"]},
    )
    organiser = user(db_session, organisation=organiser_org)
    return Scene(event, client_user, client, good_user, good, weak, costly, other_client, organiser)


def _catalogue(client, event_id: int, **params):
    response = client.get(f"/api/v1/events/{event_id}/participants", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_catalogue_of_a_client_lists_call_centres_best_score_first(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    body = _catalogue(client, s.event.id)
    names = [p["name"] for p in body["items"]]
    assert names == ["Atlas Contact", "Cap Appels", "Bab Call"]
    scores = [p["score"] for p in body["items"]]
    assert scores[0] > scores[1]
    assert scores[2] is None  # excluded by the need's language level
    assert body["items"][0]["reasons"][0]["sentence"] != ""
    assert body["total"] == 3


def test_catalogue_of_a_call_centre_lists_clients_with_its_fit(db_session, client):
    s = scene(db_session)
    log_in(client, s.good_user)
    body = _catalogue(client, s.event.id)
    assert [p["name"] for p in body["items"]] == ["Énergie Verte SA", "Banque du Nord SA"]
    assert body["items"][0]["score"] > 0
    assert body["items"][0]["needs"][0]["title"].startswith("Service client")


def test_catalogue_of_an_organiser_lists_everyone_without_scores(db_session, client):
    s = scene(db_session)
    log_in(client, s.organiser)
    body = _catalogue(client, s.event.id, sort="name")
    assert body["total"] == 5
    assert {p["score"] for p in body["items"]} == {None}
    assert body["recommended"] == []


def test_catalogue_with_any_pairing_lists_both_sides(db_session, client):
    s = scene(db_session, pairing="any")
    log_in(client, s.client_user)
    body = _catalogue(client, s.event.id)
    assert body["total"] == 4
    assert "Banque du Nord SA" in [p["name"] for p in body["items"]]


def test_catalogue_leaves_out_participants_not_approved(db_session, client):
    s = scene(db_session)
    builders.provider(db_session, s.event, name="En attente", status="pending")
    log_in(client, s.client_user)
    assert "En attente" not in [p["name"] for p in _catalogue(client, s.event.id)["items"]]


def test_catalogue_filters(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)

    def names(**params):
        return sorted(p["name"] for p in _catalogue(client, s.event.id, **params)["items"])

    assert names(country="TN") == ["Bab Call"]
    assert names(q="atlas") == ["Atlas Contact"]
    assert names(seats_min=70) == ["Atlas Contact"]
    assert names(language="fr", min_level="c1") == ["Atlas Contact", "Cap Appels"]
    assert names(language="es") == []
    assert names(service="inbound_care") == ["Atlas Contact", "Bab Call", "Cap Appels"]
    assert names(service="collections") == []
    assert names(sector="energy") == ["Atlas Contact", "Bab Call", "Cap Appels"]


def test_catalogue_filters_clients_by_their_needs(db_session, client):
    s = scene(db_session)
    log_in(client, s.good_user)

    def names(**params):
        return [p["name"] for p in _catalogue(client, s.event.id, **params)["items"]]

    assert names(sector="banking_insurance") == ["Banque du Nord SA"]
    assert names(service="inbound_care") == ["Énergie Verte SA"]
    assert names(seats_min=1) == []


def test_catalogue_recommends_the_best_not_yet_asked(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    assert [p["name"] for p in _catalogue(client, s.event.id)["recommended"]] == [
        "Atlas Contact",
        "Cap Appels",
    ]
    builders.request(db_session, s.event, s.client, s.good)
    builders.preference(db_session, s.event, s.client, s.costly, "no_thanks")
    assert _catalogue(client, s.event.id)["recommended"] == []


def test_catalogue_card_shows_request_preference_and_mutual(db_session, client):
    s = scene(db_session)
    row = builders.request(db_session, s.event, s.good, s.client)
    builders.preference(db_session, s.event, s.client, s.good, "must_meet")
    log_in(client, s.client_user)
    card = next(p for p in _catalogue(client, s.event.id)["items"] if p["name"] == "Atlas Contact")
    assert card["request"] == {"id": row.id, "status": "pending", "direction": "received"}
    assert (card["my_preference"], card["mutual"]) == ("must_meet", True)


def test_catalogue_does_not_show_other_participants_requests(db_session, client):
    s = scene(db_session)
    builders.request(db_session, s.event, s.client, s.good)
    _u, third = builders.client(db_session, s.event, name="Tiers SA")
    third_user = _u
    log_in(client, third_user)
    cards = _catalogue(client, s.event.id)["items"]
    assert {
        (p["name"], p["request"], p["mutual"]) for p in cards if p["name"] == "Atlas Contact"
    } == {("Atlas Contact", None, False)}


def test_catalogue_hides_an_anonymous_need_and_its_score_from_a_call_centre(db_session, client):
    organiser_org = factories.organisation(db_session, kind="organiser", country="MA")
    event = builders.event(db_session, organiser=organiser_org, request_deadline=None)
    _c, hidden = builders.client(
        db_session, event, name="Discret SA", need_overrides={"anonymous": True}
    )
    centre_user, centre = builders.provider(db_session, event, name="Atlas Contact")
    log_in(client, centre_user)
    body = _catalogue(client, event.id)
    card = body["items"][0]
    assert (card["name"], card["needs"], card["score"], card["reasons"]) == (
        "Discret SA",
        [],
        None,
        [],
    )
    assert body["recommended"] == []
    assert "Service client" not in client.get(f"/events/{event.id}/catalogue").text
    # Once the client shortlists the centre, its need and score show to that centre.
    need_id = _need_id(db_session, hidden)
    db_session.add(NeedShortlist(need_id=need_id, provider_id=centre_user.organisation_id))
    db_session.commit()
    card = _catalogue(client, event.id)["items"][0]
    assert ([n["id"] for n in card["needs"]], card["score"] is not None) == ([need_id], True)


def _need_id(db_session, participation: Participation) -> int:
    from sqlalchemy import select

    from app.needs.models import Need

    return db_session.scalar(
        select(Need.id).where(Need.organisation_id == participation.organisation_id)
    )


def test_catalogue_uses_the_events_weight_set(db_session, client):
    from app.recommendations.models import ScoringWeightSet

    s = scene(db_session)
    log_in(client, s.client_user)
    before = {p["name"]: p["score"] for p in _catalogue(client, s.event.id)["items"]}
    weights = ScoringWeightSet(
        organisation_id=s.event.organiser_id, name="Prix", weights={"price": 100.0}
    )
    db_session.add(weights)
    db_session.commit()
    s.event.weight_set_id = weights.id
    db_session.commit()
    after = {p["name"]: p["score"] for p in _catalogue(client, s.event.id)["items"]}
    assert after["Cap Appels"] < before["Cap Appels"]


def test_catalogue_runs_a_bounded_number_of_queries(db_session, client, count_queries):
    s = scene(db_session)
    log_in(client, s.client_user)
    url = f"/api/v1/events/{s.event.id}/participants"
    client.get(url)  # builds the process's indexes
    with count_queries() as few:
        client.get(url)
    for i in range(5):
        _u, centre = builders.provider(db_session, s.event, name=f"Centre {i}")
        builders.request(db_session, s.event, s.client, centre)
    client.get(url)  # refreshes the indexes with the new centres
    with count_queries() as many:
        assert len(client.get(url).json()["items"]) == 8
    assert many.count == few.count


def test_catalogue_page_shows_cards_scores_and_filters(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    page = client.get(f"/events/{s.event.id}/catalogue")
    assert page.status_code == 200
    assert "Recommended for you" in page.text
    assert "Your fit:" in page.text
    assert f"/events/{s.event.id}/catalogue/{s.good.id}/ask" in page.text
    filtered = client.get(f"/events/{s.event.id}/catalogue", params={"country": "TN"})
    assert (
        "Bab Call" in filtered.text
        and "Cap Appels" not in filtered.text.split("All participants")[1]
    )


def test_catalogue_page_in_french(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    client.cookies.set("lang", "fr")
    page = client.get(f"/events/{s.event.id}/catalogue", headers={"Accept-Language": "fr"})
    assert "Recommandés pour vous" in page.text


def test_catalogue_page_with_bad_seats_answers_400(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    page = client.get(f"/events/{s.event.id}/catalogue", params={"seats_min": "many"})
    assert page.status_code == 400
    assert "Enter a whole number of seats." in page.text


def test_catalogue_with_an_unknown_level_is_refused(db_session, client):
    s = scene(db_session)
    log_in(client, s.client_user)
    response = client.get(
        f"/api/v1/events/{s.event.id}/participants", params={"language": "fr", "min_level": "z9"}
    )
    assert (response.status_code, response.json()["detail"][0]["loc"]) == (
        422,
        ["body", "min_level"],
    )
