"""Events pages: forms come back with the values typed and a message per field (400), a
success redirects (303); the event page gives local times and the viewer's."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.events import service
from app.events.models import Event, EventStatus, Participation
from tests import factories
from tests.accounts.factories import user
from tests.events.builders import FIRST_DAY, event, event_form, participation


def _organiser(db_session):
    org = factories.organisation(db_session, kind="organiser", country="MA")
    return org, user(db_session, organisation=org)


def test_new_event_form_invalid_is_shown_again_with_values_and_messages(client, db_session, login):
    _, boss = _organiser(db_session)
    login(boss)
    response = client.post(
        "/events/new", data=event_form(**{"days.0.closes_at": "08:00", "timezone": "Nowhere/City"})
    )
    page = BeautifulSoup(response.text, "html.parser")
    assert response.status_code == 400
    assert page.find("input", {"name": "name"})["value"] == "Rencontres Offshore Rabat"
    assert page.find(id="e-timezone").text.strip() == (
        "'Nowhere/City' is not an IANA time zone (e.g. Africa/Casablanca)."
    )
    assert page.find(id="e-days-0-day").text.strip() == "The day must close after it opens."


def test_new_event_form_add_day_round_trip_keeps_values(client, db_session, login):
    _, boss = _organiser(db_session)
    login(boss)
    response = client.post("/events/new", data=event_form(action="add:days"))
    page = BeautifulSoup(response.text, "html.parser")
    assert response.status_code == 200
    assert [i["name"] for i in page.select("input[name$='.opens_at']")] == [
        "days.0.opens_at",
        "days.1.opens_at",
    ]
    assert page.find("input", {"name": "breaks.0.label"})["value"] == "Déjeuner"


def test_new_event_form_valid_creates_and_redirects(client, db_session, login):
    org, boss = _organiser(db_session)
    login(boss)
    response = client.post("/events/new", data=event_form(), follow_redirects=False)
    created = db_session.scalar(select(Event).where(Event.organiser_id == org.id))
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/events/{created.id}?done=created",
    )
    page = client.get(f"/events/{created.id}")
    assert "12:30" not in [
        li.text.strip()[:5]
        for li in BeautifulSoup(page.text, "html.parser").select(".slot-list li")
    ]


def test_create_link_only_for_those_the_page_lets_create(client, db_session, login):
    _org, boss = _organiser(db_session)
    admin = user(db_session, is_platform_admin=True)
    login(boss)
    assert BeautifulSoup(client.get("/events").text, "html.parser").select("a[href='/events/new']")
    login(admin)
    # An administrator without an organiser organisation creates events through the API.
    page = BeautifulSoup(client.get("/events").text, "html.parser")
    assert (page.select("a[href='/events/new']"), client.get("/events/new").status_code) == (
        [],
        403,
    )


def test_edit_event_form_round_trip_of_an_existing_event(client, db_session, login):
    org, boss = _organiser(db_session)
    row = event(db_session, org.id)
    login(boss)
    page = BeautifulSoup(client.get(f"/events/{row.id}/edit").text, "html.parser")
    assert page.find("input", {"name": "days.1.day"})["value"] == row.days[1].day.isoformat()
    form = {
        i["name"]: i.get("value", "") for i in page.select("form.editor input") if i.get("name")
    }
    form.pop("booth_mode", None)
    form.update({"slot_minutes": "30", "action": "save", "pairing": "any"})
    response = client.post(f"/events/{row.id}/edit", data=form, follow_redirects=False)
    assert response.status_code == 303
    db_session.expire_all()
    assert (db_session.get(Event, row.id).slot_minutes, db_session.get(Event, row.id).pairing) == (
        30,
        "any",
    )


def test_status_needs_confirmation_then_changes(client, db_session, login):
    org, boss = _organiser(db_session)
    row = event(db_session, org.id)
    login(boss)
    confirm = client.get(f"/events/{row.id}/status", params={"action": "open_registration"})
    assert confirm.status_code == 200
    assert db_session.get(Event, row.id).status == "draft"
    response = client.post(
        f"/events/{row.id}/status", data={"action": "open_registration"}, follow_redirects=False
    )
    db_session.expire_all()
    assert (response.status_code, db_session.get(Event, row.id).status) == (
        303,
        "registration_open",
    )


def test_status_refused_shows_the_reason(client, db_session, login):
    org, boss = _organiser(db_session)
    row = event(db_session, org.id, status=EventStatus.requests_open.value)
    login(boss)
    response = client.post(f"/events/{row.id}/status", data={"action": "start_scheduling"})
    assert response.status_code == 409
    assert "At least two approved participants" in response.text


def test_register_form_success_redirects_and_error_shows_again(client, db_session, login):
    org, _ = _organiser(db_session)
    row = event(db_session, org.id, status=EventStatus.registration_open.value)
    company = factories.organisation(db_session, kind="client")
    login(user(db_session, organisation=company))
    bad = client.post(
        f"/events/{row.id}/register",
        data={
            "attendees.0.full_name": "Claire Martin",
            "attendees.0.email": "nope",
            "max_meetings": "99",
            "action": "save",
        },
    )
    page = BeautifulSoup(bad.text, "html.parser")
    assert bad.status_code == 400
    assert page.find("input", {"name": "attendees.0.full_name"})["value"] == "Claire Martin"
    assert page.find(id="e-att-0-email") is not None
    over = client.post(f"/events/{row.id}/register", data={"max_meetings": "99", "action": "save"})
    assert over.status_code == 400
    assert BeautifulSoup(over.text, "html.parser").find(id="e-max_meetings").text == (
        "The event allows at most 16 meetings each."
    )
    good = client.post(
        f"/events/{row.id}/register",
        data={
            "attendees.0.full_name": "Claire Martin",
            "max_meetings": "8",
            "away": [f"half:{FIRST_DAY.isoformat()}:morning"],
            "action": "save",
        },
        follow_redirects=False,
    )
    assert (good.status_code, good.headers["location"]) == (
        303,
        f"/events/{row.id}?done=registered",
    )
    again = BeautifulSoup(client.get(f"/events/{row.id}/register").text, "html.parser")
    assert again.find("input", {"value": f"half:{FIRST_DAY.isoformat()}:morning"}).has_attr(
        "checked"
    )


def test_register_twice_page_says_so(client, db_session, login):
    org, _ = _organiser(db_session)
    row = event(db_session, org.id, status=EventStatus.registration_open.value)
    company = factories.organisation(db_session, kind="client")
    member = user(db_session, organisation=company)
    login(member)
    client.post(f"/events/{row.id}/register", data={"action": "save"})
    client.post(f"/events/{row.id}/withdraw")
    assert db_session.scalar(select(Participation.status)) == "withdrawn"


def test_registrations_page_approve_refuse_and_register_on_behalf(client, db_session, login):
    org, boss = _organiser(db_session)
    row = event(db_session, org.id, status=EventStatus.registration_open.value)
    a = participation(db_session, row, factories.organisation(db_session, kind="client").id)
    b = participation(db_session, row, factories.organisation(db_session, kind="provider").id)
    other = factories.organisation(db_session, kind="client", legal_name="Banque Alpine SA")
    login(boss)
    page = client.get(f"/events/{row.id}/registrations")
    assert "Banque Alpine SA" in page.text
    assert (
        client.post(
            f"/events/{row.id}/registrations/{a.id}/approve", follow_redirects=False
        ).status_code
        == 303
    )
    empty = client.post(f"/events/{row.id}/registrations/{b.id}/refuse", data={"reason": ""})
    assert empty.status_code == 400
    assert (
        client.post(
            f"/events/{row.id}/registrations/{b.id}/refuse",
            data={"reason": "Full"},
            follow_redirects=False,
        ).status_code
        == 303
    )
    added = client.post(
        f"/events/{row.id}/registrations",
        data={"organisation_id": str(other.id)},
        follow_redirects=False,
    )
    twice = client.post(f"/events/{row.id}/registrations", data={"organisation_id": str(other.id)})
    db_session.expire_all()
    statuses = dict(
        db_session.execute(select(Participation.organisation_id, Participation.status)).all()
    )
    assert (added.status_code, twice.status_code) == (303, 409)
    assert (statuses[a.organisation_id], statuses[b.organisation_id], statuses[other.id]) == (
        "approved",
        "refused",
        "approved",
    )


def test_dashboard_shows_figures_and_reminds(client, db_session, login):
    org, boss = _organiser(db_session)
    row = event(db_session, org.id, status=EventStatus.requests_open.value)
    participation(
        db_session,
        row,
        factories.organisation(db_session, kind="client", legal_name="Vélo Direct").id,
        status="approved",
    )
    login(boss)
    page = client.get(f"/events/{row.id}/dashboard")
    assert page.status_code == 200 and "Vélo Direct" in page.text
    missing = client.post(
        f"/events/{row.id}/dashboard", data={"group": "without_request", "message": ""}
    )
    assert missing.status_code == 400
    sent = client.post(
        f"/events/{row.id}/dashboard",
        data={"group": "without_request", "message": "Hello"},
        follow_redirects=False,
    )
    assert sent.status_code == 303


def test_event_page_gives_the_viewer_time_when_it_differs(client, db_session, login):
    org, boss = _organiser(db_session)
    row = event(db_session, org.id, status=EventStatus.registration_open.value)
    login(user(db_session, organisation=factories.organisation(db_session, kind="client")))
    client.cookies.set("tz", "Asia%2FTokyo")
    page = BeautifulSoup(client.get(f"/events/{row.id}").text, "html.parser")
    first = page.select_one(".slot-list li").get_text(" ", strip=True)
    assert first.startswith("09:00–09:20")
    assert "your time" in first


def test_dashboard_lists_the_events_of_the_organisation(client, db_session, login):
    org, boss = _organiser(db_session)
    row = event(db_session, org.id, status=EventStatus.registration_open.value)
    company = factories.organisation(db_session, kind="client")
    participation(db_session, row, company.id)
    login(boss)
    assert f"/events/{row.id}/dashboard" in client.get("/dashboard").text
    login(user(db_session, organisation=company))
    text = client.get("/dashboard").text
    assert f"/events/{row.id}" in text and "Pending" in text


def test_new_event_form_cuts_an_every_day_break_to_a_shorter_day(client, db_session, login):
    org, boss = _organiser(db_session)
    login(boss)
    second = (FIRST_DAY + timedelta(days=1)).isoformat()
    form = event_form(
        **{"days.1.day": second, "days.1.opens_at": "09:30", "days.1.closes_at": "13:00"}
    )
    response = client.post("/events/new", data=form, follow_redirects=False)
    created = db_session.scalar(select(Event).where(Event.organiser_id == org.id))
    days = service.get_event(db_session=db_session, event_id=created.id).days
    assert response.status_code == 303
    assert [(b.starts_at.isoformat(), b.ends_at.isoformat()) for d in days for b in d.breaks] == [
        ("12:30:00", "14:00:00"),
        ("12:30:00", "13:00:00"),
    ]


def test_events_list_page_query_count_does_not_grow(client, db_session, login, count_queries):
    org, boss = _organiser(db_session)
    for _ in range(3):
        event(db_session, org.id)
    login(boss)
    with count_queries() as few:
        client.get("/events")
    for _ in range(5):
        event(db_session, org.id, status=EventStatus.registration_open.value)
    with count_queries() as more:
        page = client.get("/events")
    assert page.text.count('class="need-card"') == 8
    assert more.count == few.count


def _links(html: str) -> set[str]:
    main = BeautifulSoup(html, "html.parser").find("main")
    return {a["href"] for a in main.find_all("a", href=True)}


def test_event_page_links_participants_to_catalogue_and_requests_and_organisers_to_their_pages(
    client, db_session, login
):
    org, boss = _organiser(db_session)
    row = event(db_session, org.id, status=EventStatus.requests_open.value)
    centre = user(db_session, kind="provider")
    participation(db_session, row, centre.organisation_id, status="approved")
    base = f"/events/{row.id}"
    matchmaking = {f"{base}/catalogue", f"{base}/requests"}
    organising = {f"{base}/registrations", f"{base}/dashboard"}

    login(centre)
    participant_links = _links(client.get(base).text)
    login(boss)
    organiser_links = _links(client.get(base).text)

    assert (matchmaking <= participant_links, organising & participant_links) == (True, set())
    assert organising <= organiser_links
