"""Need pages: the editor (create, edit, bad input kept), the need page, the open list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from app.needs import service
from tests.accounts.factories import user
from tests.needs.builders import future, need


def form_data(**overrides) -> dict:
    data = {
        "title": "Support technique fibre",
        "description": "Niveau 1 et 2.",
        "services": ["technical_support", "chat_email_social"],
        "sector": "telecom",
        "target_markets": ["FR", "BE"],
        "other_markets": "",
        "language_0": "fr",
        "level_0": "c1",
        "language_1": "",
        "level_1": "",
        "seats": "25",
        "start_date": future(60),
        "duration_months": "12",
        "hours": "extended",
        "budget_max": "19.5",
        "min_capacity_share": "0.5",
        "gdpr": "dpa",
        "action": "save",
    }
    data.update(overrides)
    return data


@pytest.fixture
def client_user(db_session, login):
    who = user(db_session, kind="client")
    login(who)
    return who


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_editor_creates_draft_and_redirects(client, db_session, client_user):
    response = client.post("/needs/new", data=form_data(), follow_redirects=False)
    assert response.status_code == 303, response.text
    need_id = int(response.headers["location"].rsplit("/", 1)[1])
    saved = service.get(db_session=db_session, need_id=need_id)
    assert (saved.status, saved.seats, saved.sector) == ("draft", 25, "telecom")
    assert saved.service_codes == ["chat_email_social", "technical_support"]
    assert [(r.language, r.min_level) for r in saved.languages] == [("fr", "c1")]
    page = client.get(f"/needs/{need_id}")
    assert page.status_code == 200
    assert "Support technique fibre" in page.text


def test_editor_publishes(client, db_session, client_user):
    response = client.post(
        "/needs/new", data=form_data(action="publish", anonymous="1"), follow_redirects=False
    )
    need_id = int(response.headers["location"].rsplit("/", 1)[1])
    saved = service.get(db_session=db_session, need_id=need_id)
    assert (saved.status, saved.anonymous) == ("open", True)


def test_editor_accepts_language_and_country_names(client, db_session, client_user):
    response = client.post(
        "/needs/new",
        data=form_data(
            language_0="French", language_1="Arabic", level_1="b2", other_markets="Italy, PT"
        ),
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    saved = service.get(
        db_session=db_session, need_id=int(response.headers["location"].rsplit("/", 1)[1])
    )
    assert [r.language for r in saved.languages] == ["fr", "ar"]
    assert saved.market_codes == ["BE", "FR", "IT", "PT"]


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"start_date": (date.today() - timedelta(days=3)).isoformat()}, "start_date", "past"),
        ({"language_1": "klingon", "level_1": "b2"}, "language_1", "klingon"),
        ({"seats": "0"}, "seats", "greater than 0"),
        ({"budget_max": "-2"}, "budget_max", "greater than 0"),
        ({"other_markets": "Europe"}, "target_markets", "Unknown country code"),
        ({"language_0": "fr", "level_0": ""}, "level_0", "level"),
    ],
)
def test_editor_bad_input_keeps_values(client, db_session, client_user, overrides, field, words):
    data = form_data(**overrides)
    response = client.post("/needs/new", data=data)
    assert response.status_code == 400
    page = soup(response)
    error = page.find(id=f"e-{field}")
    assert error is not None, response.text
    assert words in error.text
    described = page.find(attrs={"aria-describedby": lambda v: v and f"e-{field}" in v})
    assert described is not None
    # Everything typed is still there.
    assert page.find(id="f-title")["value"] == "Support technique fibre"
    assert page.find(id="f-description").text == "Niveau 1 et 2."
    assert page.find(id="f-seats")["value"] == data["seats"]
    checked = {
        i["value"]
        for i in page.find_all("input", attrs={"name": "services"})
        if i.has_attr("checked")
    }
    assert checked == {"technical_support", "chat_email_social"}
    assert page.find("select", id="f-sector").find("option", selected=True)["value"] == "telecom"
    assert page.find(id="f-other_markets")["value"] == data["other_markets"]
    assert (
        service.list_for_organisation(
            db_session=db_session, organisation_id=client_user.organisation_id
        )[1]
        == 0
    )


def test_add_language_without_script_keeps_values(client, client_user):
    response = client.post("/needs/new", data=form_data(action="add_language"))
    assert response.status_code == 200
    page = soup(response)
    assert page.find(id="f-language_0")["value"] == "fr"
    assert page.find(id="f-language_2") is not None
    assert page.find(id="f-title")["value"] == "Support technique fibre"


def test_edit_prefills_and_saves(client, db_session, client_user):
    created = need(db_session, client_user.organisation_id)
    page = soup(client.get(f"/needs/{created.id}/edit"))
    assert page.find(id="f-title")["value"] == created.title
    assert page.find(id="f-language_0")["value"] == "fr"
    data = form_data(version="1", title="Renamed", sector="", budget_max="")
    response = client.post(f"/needs/{created.id}/edit", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    saved = service.get(db_session=db_session, need_id=created.id)
    assert (saved.title, saved.sector, saved.budget_max, saved.version) == (
        "Renamed",
        None,
        None,
        2,
    )


def test_edit_past_start_date_refused_and_saved_need_kept(client, db_session, client_user):
    created = need(db_session, client_user.organisation_id)
    past = (date.today() - timedelta(days=1)).isoformat()
    response = client.post(
        f"/needs/{created.id}/edit", data=form_data(version="1", start_date=past, seats="99")
    )
    assert response.status_code == 400
    assert "past" in soup(response).find(id="e-start_date").text
    saved = service.get(db_session=db_session, need_id=created.id)
    assert (saved.seats, saved.version) == (40, 1)


def test_edit_stale_version_shows_conflict(client, db_session, client_user):
    created = need(db_session, client_user.organisation_id)
    response = client.post(f"/needs/{created.id}/edit", data=form_data(version="7"))
    assert response.status_code == 400
    assert "changed by someone else" in response.text
    assert soup(response).find(id="f-title")["value"] == "Support technique fibre"


def test_open_and_close_buttons(client, db_session, client_user):
    created = need(db_session, client_user.organisation_id)
    assert client.post(f"/needs/{created.id}/open", follow_redirects=False).status_code == 303
    assert service.get(db_session=db_session, need_id=created.id).status == "open"
    assert (
        client.post(f"/needs/{created.id}/close?next=/dashboard", follow_redirects=False).headers[
            "location"
        ]
        == "/dashboard"
    )
    assert service.get(db_session=db_session, need_id=created.id).status == "closed"


def test_provider_cannot_open_editor(client, db_session, login):
    login(user(db_session, kind="provider"))
    assert client.get("/needs/new").status_code == 403


def test_provider_list_filters_and_expresses_interest(client, db_session, login):
    owner = user(db_session, kind="client")
    a = need(
        db_session,
        owner.organisation_id,
        status="open",
        title="Télévente énergie",
        services=["outbound_telesales"],
        seats=30,
    )
    need(
        db_session,
        owner.organisation_id,
        status="open",
        title="Modération",
        services=["content_moderation"],
        seats=5,
        languages=[{"language": "en", "min_level": "c1"}],
    )
    provider = user(db_session, kind="provider")
    login(provider)
    listed = client.get("/needs", params={"service": "outbound_telesales"})
    assert listed.status_code == 200
    titles = [h.a.text for h in soup(listed).select(".need-card h3")]
    assert titles == ["Télévente énergie"]
    by_language = soup(client.get("/needs", params={"language": "English"}))
    assert [h.a.text for h in by_language.select(".need-card h3")] == ["Modération"]
    bad = client.get("/needs", params={"min_seats": "many"})
    assert bad.status_code == 400
    assert soup(bad).find(id="e-min_seats") is not None
    response = client.post(
        f"/needs/{a.id}/interest", data={"message": "30 positions"}, follow_redirects=False
    )
    assert response.status_code == 303
    rows = service.interests_for_needs(db_session=db_session, need_ids=[a.id])
    assert [(r.provider_id, r.message) for r in rows] == [
        (provider.organisation_id, "30 positions")
    ]


def test_client_accepts_interest_on_need_page(client, db_session, login):
    owner = user(db_session, kind="client")
    created = need(db_session, owner.organisation_id, status="open")
    provider = user(db_session, kind="provider")
    service.express_interest(
        db_session=db_session, need=created, provider_id=provider.organisation_id, message="Dispo"
    )
    db_session.commit()
    login(owner)
    page = client.get(f"/needs/{created.id}")
    assert provider.organisation.legal_name in page.text
    response = client.post(
        f"/needs/{created.id}/interests/{provider.organisation_id}/accept", follow_redirects=False
    )
    assert response.status_code == 303
    rows = service.interests_for_needs(db_session=db_session, need_ids=[created.id])
    assert rows[0].status == "accepted"


def test_every_post_form_has_csrf_field(client, db_session, client_user):
    created = need(db_session, client_user.organisation_id)
    for url in ("/needs/new", f"/needs/{created.id}", f"/needs/{created.id}/edit"):
        for form in soup(client.get(url)).find_all("form", method="post"):
            assert form.find("input", attrs={"name": "csrf_token"}) is not None, url


def test_list_page_query_count_constant(client, db_session, login, count_queries):
    owner = user(db_session, kind="client")
    need(db_session, owner.organisation_id, status="open", anonymous=True)
    login(user(db_session, kind="provider"))
    client.get("/needs")
    with count_queries() as few:
        client.get("/needs")
    for n in range(5):
        need(db_session, owner.organisation_id, status="open", title=f"x{n}", anonymous=True)
    with count_queries() as many:
        client.get("/needs")
    assert many.count == few.count


def test_language_error_stays_next_to_its_row(client, client_user):
    data = form_data(language_1="", level_1="", language_2="klingon", level_2="b2")
    response = client.post("/needs/new", data=data)
    assert response.status_code == 400
    page = soup(response)
    assert page.find(id="f-language_2")["value"] == "klingon"
    assert page.find(id="f-language_2")["aria-describedby"] == "e-language_2"
    assert "klingon" in page.find(id="e-language_2").text
    assert page.find(id="f-language_0")["value"] == "fr"
    assert page.find(id="f-language_3")["value"] == ""  # one blank row to add another
