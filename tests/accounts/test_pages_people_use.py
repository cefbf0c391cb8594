"""Issue 23 on the accounts pages: sign-up says everything at once and lands on the
dashboard, an administrator staffs an organisation it created, the audit log reads as words,
the account page shows the token header."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from app.accounts import service
from app.accounts.models import User
from tests import factories
from tests.accounts.factories import DEFAULT_PASSWORD, log_in, log_out, user


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_signup_shows_every_invalid_field_in_one_round(client) -> None:
    response = client.post(
        "/signup",
        data={
            "kind": "client",
            "legal_name": "Mutuelle Bleue SA",
            "country": "FR",
            "registration_number": "123 456 789",  # a SIREN with a bad checksum
            "email": "founder@mutuelle.example",
            "password": "short",
        },
    )
    assert response.status_code == 400
    soup = _soup(response)
    assert soup.select_one("#e-registration_number") is not None
    assert soup.select_one("#e-password") is not None


def test_signup_country_is_chosen_from_a_list(client) -> None:
    soup = _soup(client.get("/signup"))
    country = soup.select_one("select#f-country")
    assert country is not None
    assert ("FR", "France") in [(o["value"], o.get_text()) for o in country.select("option")]


def test_signup_lands_on_the_dashboard_with_the_next_step(client) -> None:
    response = client.post(
        "/signup",
        data={
            "kind": "client",
            "legal_name": "Mutuelle Bleue SA",
            "country": "FR",
            "email": "founder@mutuelle.example",
            "password": "Antananarivo 2026 calls",
        },
    )
    assert response.status_code == 200 and response.url.path == "/dashboard"
    soup = _soup(response)
    assert "Welcome! Your organisation's space is ready." in soup.select_one(".flash").text
    step = soup.select_one(".next-step a")
    assert (step.get_text(strip=True), step["href"]) == ("Post your first need", "/needs/new")


def test_login_lands_on_the_dashboard(client, db_session) -> None:
    member = user(db_session, kind="provider")
    response = client.post("/login", data={"email": member.email, "password": DEFAULT_PASSWORD})
    assert response.url.path == "/dashboard"
    step = _soup(response).select_one(".next-step a")
    assert step.get_text(strip=True).startswith("Complete your profile — ")


def test_admin_invites_the_first_administrator_of_an_organiser(client, db_session) -> None:
    admin = user(db_session, is_platform_admin=True)
    organiser = factories.organisation(db_session, kind="organiser", legal_name="Salon Offshore")
    db_session.commit()
    log_in(client, admin)
    page = client.get(f"/organisations/{organiser.id}")
    assert _soup(page).select_one(f"a[href='/organisations/{organiser.id}/team']") is not None
    team = client.get(f"/organisations/{organiser.id}/team")
    assert team.status_code == 200
    assert "Invite the first administrator" in team.text
    response = client.post(
        f"/organisations/{organiser.id}/team/invitations",
        data={"email": "Chef.Projet@salon.example"},
    )
    assert response.status_code == 201
    link = _soup(response).select_one("#invitation-link")["value"]
    assert "/invitations/" in link

    log_out(client)
    accepted = client.post(
        link[link.index("/invitations/") :], data={"password": "Antananarivo 2026 calls"}
    )
    assert accepted.url.path == "/dashboard"
    first = db_session.scalar(select(User).where(User.email == "chef.projet@salon.example"))
    assert (first.organisation_id, first.role) == (organiser.id, "admin")
    # The next one invited joins as a member.
    token = service.invite(
        db_session=db_session, inviter=first, organisation_id=organiser.id, email="b@salon.example"
    )
    second = service.accept_invitation(
        db_session=db_session, token=token, password="Antananarivo 2026 calls"
    )
    assert second.role == "member"


def test_staffing_page_is_hidden_from_other_organisations(client, db_session) -> None:
    outsider = user(db_session, kind="client")
    organiser = factories.organisation(db_session, kind="organiser")
    db_session.commit()
    log_in(client, outsider)
    assert client.get(f"/organisations/{organiser.id}/team").status_code == 404
    response = client.post(
        f"/organisations/{organiser.id}/team/invitations", data={"email": "x@y.example"}
    )
    assert response.status_code == 404


def test_invitation_form_says_what_is_wrong(client, db_session) -> None:
    admin = user(db_session, is_platform_admin=True)
    organiser = factories.organisation(db_session, kind="organiser")
    db_session.commit()
    log_in(client, admin)
    response = client.post(
        f"/organisations/{organiser.id}/team/invitations", data={"email": "not an address"}
    )
    assert response.status_code == 400
    assert _soup(response).select_one("#e-email") is not None


def test_audit_log_reads_as_words_and_names(client, db_session) -> None:
    admin = user(db_session, is_platform_admin=True)
    centre = factories.organisation(db_session, kind="provider", legal_name="Atlas Relation")
    db_session.commit()
    log_in(client, admin)
    client.post(f"/organisations/{centre.id}/verification", data={"verified": "true"})
    row = _soup(client.get("/admin/audit")).select_one("tbody tr")
    cells = {td["data-label"]: td.get_text(strip=True) for td in row.select("td")}
    assert cells["Event"] == "Organisation verified"
    assert cells["Organisation"] == "Atlas Relation"


def test_account_page_shows_the_token_header_placeholder(client, db_session) -> None:
    log_in(client, user(db_session))
    page = client.get("/account")
    assert "Authorization: Bearer &lt;token&gt;" in page.text
    assert "Authorization: Bearer <token>" in _soup(page).text
