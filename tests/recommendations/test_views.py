"""The HTML: the need page's section, the full lists, the provider's "Needs that fit you"."""

from __future__ import annotations

from babel.numbers import format_decimal
from bs4 import BeautifulSoup

from app.needs import service as needs_service
from app.organisations.models import Organisation
from tests.accounts.factories import log_in, user
from tests.recommendations.builders import centre, need


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_need_page_shows_recommended_centres_with_score_and_reasons(client, db_session):
    owner = user(db_session, kind="client")
    best = centre(db_session, "Atlas Premium")
    centre(db_session, "Low French", level="b1")
    n = need(db_session, owner.organisation_id, status="open")
    log_in(client, owner)
    page = client.get(f"/needs/{n.id}")
    assert page.status_code == 200, page.text
    section = _soup(page).find(id="recommended")
    assert section is not None
    items = section.select("li.reco-item")
    assert [i.h3.a.text for i in items] == ["Atlas Premium"]
    meter = items[0].find("meter")
    score_text = items[0].select_one(".reco-score-text").text
    assert score_text == f"Score: {format_decimal(float(meter['value']), locale='en')} / 100"
    assert items[0].select("table.reco-parts tbody tr")
    form = items[0].find("form")
    assert form["action"].startswith(f"/needs/{n.id}/shortlist?next=")
    assert form.find("input", {"name": "csrf_token"}) is not None
    assert form.find("input", {"name": "provider_id"})["value"] == str(best.organisation_id)
    # save to the shortlist from the section, then the button says "Remove"
    saved = client.post(
        form["action"], data={"provider_id": str(best.organisation_id)}, follow_redirects=False
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"/needs/{n.id}#recommended"
    rows = needs_service.shortlist_of(db_session=db_session, need_ids=[n.id])
    assert [r.provider_id for r in rows] == [best.organisation_id]
    again = _soup(client.get(f"/needs/{n.id}")).find(id="recommended")
    button = again.select_one("li.reco-item form button").text
    assert button == "Remove Atlas Premium from the shortlist"


def test_need_page_says_what_is_missing(client, db_session):
    owner = user(db_session, kind="client")
    centre(db_session, "Atlas Premium")
    n = need(
        db_session,
        owner.organisation_id,
        services=[],
        languages=[],
        sector=None,
        budget_max=None,
        target_markets=[],
        hours=None,
    )
    log_in(client, owner)
    section = _soup(client.get(f"/needs/{n.id}")).find(id="recommended")
    hints = [li.text for li in section.select(".reco-missing li")]
    assert "Add the services you need, to compare providers on what they do." in hints
    assert "Add the languages and the minimum level you need." in hints
    assert [i.h3.a.text for i in section.select("li.reco-item")] == ["Atlas Premium"]


def test_need_page_section_hidden_from_other_organisations(client, db_session):
    owner = user(db_session, kind="client")
    centre(db_session, "Atlas Premium")
    n = need(db_session, owner.organisation_id, status="open")
    log_in(client, user(db_session, kind="client"))
    page = client.get(f"/needs/{n.id}")
    assert page.status_code == 200
    assert _soup(page).find(id="recommended") is None


def test_full_list_paginates_and_lists_excluded_in_french(client, db_session):
    owner = user(db_session, kind="client")
    for i in range(5):
        centre(db_session, f"Centre {i}", seats_now=60 + i)
    centre(db_session, "Low French", level="b1")
    n = need(db_session, owner.organisation_id, status="open")
    log_in(client, owner)
    client.cookies.set("lang", "fr")
    first = _soup(client.get(f"/needs/{n.id}/matches?per_page=2"))
    assert len(first.select("li.reco-item")) == 2
    assert first.select_one("nav.pager a[rel=next]")["href"] == "?per_page=2&page=2"
    last = _soup(client.get(f"/needs/{n.id}/matches?per_page=2&page=3"))
    assert len(last.select("li.reco-item")) == 1
    assert last.select_one("ol.reco-list")["start"] == "5"
    excluded = _soup(client.get(f"/needs/{n.id}/matches?excluded=true"))
    entries = excluded.select("ul.reco-excluded > li")
    assert [e.a.text for e in entries] == ["Low French"]
    assert "Niveau de langue inférieur au minimum" in entries[0].text
    assert excluded.select_one(".reco-score-text").text.startswith("Score : ")


def test_provider_sees_needs_that_fit_and_expresses_interest(client, db_session):
    mine = centre(db_session, "Mine")
    member = user(
        db_session, organisation=db_session.get(Organisation, mine.organisation_id), role="member"
    )
    client_user = user(db_session, kind="client")
    fitting = need(
        db_session,
        client_user.organisation_id,
        status="open",
        anonymous=True,
        title="Relation client énergie",
    )
    need(
        db_session,
        client_user.organisation_id,
        status="open",
        title="Allemand natif",
        languages=[{"language": "de", "min_level": "native"}],
    )
    need(db_session, client_user.organisation_id, title="Brouillon privé")
    log_in(client, member)
    page = client.get("/providers/me/matches", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == f"/providers/{mine.id}/matches"
    listing = _soup(client.get(page.headers["location"]))
    items = listing.select("li.reco-item")
    # A full list: the items are the page's sections, right under its h1.
    assert [i.h2.a.text for i in items] == ["Relation client énergie"]
    assert "Anonymous client" in items[0].text
    assert client_user.organisation.legal_name not in listing.text
    form = items[0].find("form")
    posted = client.post(form["action"], follow_redirects=False)
    assert posted.status_code == 303
    assert posted.headers["location"] == f"/providers/{mine.id}/matches"
    interests = needs_service.interests_for_needs(db_session=db_session, need_ids=[fitting.id])
    assert [(i.provider_id, i.status) for i in interests] == [(mine.organisation_id, "pending")]
    section = _soup(client.get(f"/providers/{mine.id}")).find(id="needs-that-fit")
    assert "Your expression of interest: Pending." in section.text
    excluded = _soup(client.get(f"/providers/{mine.id}/matches?excluded=true"))
    entries = excluded.select("ul.reco-excluded > li")
    assert [e.a.text for e in entries] == ["Allemand natif"]


def test_provider_section_hidden_from_other_organisations(client, db_session):
    mine = centre(db_session, "Mine")
    log_in(client, user(db_session, kind="provider"))
    page = client.get(f"/providers/{mine.id}")
    assert page.status_code == 200
    assert _soup(page).find(id="needs-that-fit") is None


def test_dashboard_shows_needs_that_fit_and_the_weight_sets_link(client, db_session):
    mine = centre(db_session, "Mine")
    member = user(db_session, organisation=db_session.get(Organisation, mine.organisation_id))
    owner = user(db_session, kind="client")
    need(db_session, owner.organisation_id, status="open", title="Relation client énergie")
    log_in(client, member)
    section = _soup(client.get("/dashboard")).find(id="needs-that-fit")
    assert [i.h3.a.text for i in section.select("li.reco-item")] == ["Relation client énergie"]
    log_in(client, user(db_session, kind="organiser"))
    links = [
        a["href"]
        for a in _soup(client.get("/dashboard")).select(
            "section[aria-labelledby=h-scoring-weights] a"
        )
    ]
    assert links == ["/weight-sets"]
