"""No dead end after interest: once the client accepts a call centre's interest, both see
each other's contact person, the pair is "in contact" on both dashboards, with a next step."""

from __future__ import annotations

from bs4 import BeautifulSoup

from app.needs import service
from tests.accounts.factories import log_in, user
from tests.needs.builders import need


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def _flashes(response) -> list[str]:
    return [p.get_text(strip=True) for p in _soup(response).select(".flash-region .alert p")]


def _setup(db_session, *, anonymous: bool = True):
    client_admin = user(db_session, kind="client", email="achats@energie.example")
    centre_admin = user(db_session, kind="provider", email="direction@atlas.example")
    asked = need(db_session, client_admin.organisation_id, anonymous=anonymous, status="open")
    service.express_interest(
        db_session=db_session,
        need=asked,
        provider_id=centre_admin.organisation_id,
        message="60 seats in Rabat.",
    )
    db_session.commit()
    return client_admin, centre_admin, asked


def test_in_contact_lists_accepted_pairs_with_both_contact_persons(db_session) -> None:
    client_admin, centre_admin, asked = _setup(db_session)
    assert service.in_contact(db_session=db_session, client_id=client_admin.organisation_id) == []
    service.decide_interest(
        db_session=db_session, need=asked, provider_id=centre_admin.organisation_id, accept=True
    )
    for pairs in (
        service.in_contact(db_session=db_session, client_id=client_admin.organisation_id),
        service.in_contact(db_session=db_session, provider_id=centre_admin.organisation_id),
    ):
        assert [(p.need.id, p.provider.id) for p in pairs] == [
            (asked.id, centre_admin.organisation_id)
        ]
        assert pairs[0].client_contact.email == "achats@energie.example"
        assert pairs[0].provider_contact.email == "direction@atlas.example"


def test_declined_interest_is_not_in_contact(db_session) -> None:
    client_admin, centre_admin, asked = _setup(db_session)
    service.decide_interest(
        db_session=db_session, need=asked, provider_id=centre_admin.organisation_id, accept=False
    )
    assert service.in_contact(db_session=db_session, provider_id=centre_admin.organisation_id) == []


def test_accepting_confirms_and_both_dashboards_show_the_contact(client, db_session) -> None:
    client_admin, centre_admin, asked = _setup(db_session)
    # Before: the anonymous client's name and contact stay hidden from the centre.
    log_in(client, centre_admin)
    before = client.get(f"/needs/{asked.id}")
    assert "achats@energie.example" not in before.text
    assert client_admin.organisation.legal_name not in before.text
    textarea = _soup(before).select_one("textarea[name=message]")
    assert textarea.get_text() == "60 seats in Rabat."  # the message can be changed

    log_in(client, client_admin)
    page = client.post(
        f"/needs/{asked.id}/interests/{centre_admin.organisation_id}/accept?next=/dashboard"
    )
    assert page.url.path == "/dashboard"
    centre_name = centre_admin.organisation.legal_name
    assert _flashes(page) == [
        f"You are in contact with {centre_name}: their contact person is listed under “In contact”."
    ]
    section = _soup(page).select_one("#in-contact")
    assert centre_name in section.text
    assert section.select_one("a[href='mailto:direction@atlas.example']") is not None
    assert section.select_one(".next-steps") is not None

    log_in(client, centre_admin)
    dashboard = _soup(client.get("/dashboard")).select_one("#in-contact")
    assert client_admin.organisation.legal_name in dashboard.text
    assert dashboard.select_one("a[href='mailto:achats@energie.example']") is not None
    need_page = _soup(client.get(f"/needs/{asked.id}")).select_one("#in-contact")
    assert need_page.select_one("a[href='mailto:achats@energie.example']") is not None


def test_every_dashboard_table_cell_has_its_column_name(client, db_session) -> None:
    client_admin, centre_admin, asked = _setup(db_session)
    log_in(client, client_admin)
    soup = _soup(client.get("/dashboard"))
    cells = soup.select("table.table td")
    assert cells and all(td.get("data-label") is not None for td in cells)
