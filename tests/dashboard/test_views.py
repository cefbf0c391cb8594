"""The "my organisation" dashboard for clients, call centres and organisers."""

from __future__ import annotations

from bs4 import BeautifulSoup

from app.needs import service as needs
from app.providers import service as providers
from app.providers.schemas import ProviderProfileCreate
from tests.accounts.factories import platform_admin, user
from tests.needs.builders import need


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def test_anonymous_is_sent_to_login(bare_client):
    response = bare_client.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_client_sees_needs_by_status_shortlist_and_pending_interests(client, db_session, login):
    owner = user(db_session, kind="client")
    draft = need(db_session, owner.organisation_id, title="Brouillon recouvrement")
    opened = need(db_session, owner.organisation_id, status="open", title="Service client")
    closed = need(db_session, owner.organisation_id, status="open", title="Ancien besoin")
    needs.close(db_session=db_session, need=closed)
    provider = user(db_session, kind="provider")
    needs.express_interest(
        db_session=db_session,
        need=opened,
        provider_id=provider.organisation_id,
        message="45 positions",
    )
    shortlisted = user(db_session, kind="provider")
    needs.shortlist(db_session=db_session, need=opened, provider_id=shortlisted.organisation_id)
    db_session.commit()
    login(owner)
    page = soup(client.get("/dashboard"))
    titles = {
        status: [a.text for a in page.select(f"#needs-{status} tbody td:first-child a")]
        for status in ("draft", "open", "closed")
    }
    assert titles == {"draft": [draft.title], "open": [opened.title], "closed": [closed.title]}
    assert shortlisted.organisation.legal_name in page.select_one("#needs-open tbody").text
    pending = page.select("#interests tbody tr")
    assert len(pending) == 1
    assert provider.organisation.legal_name in pending[0].text
    assert "45 positions" in pending[0].text
    actions = [f["action"] for f in page.select("#needs-draft form")]
    assert actions == [
        f"/needs/{draft.id}/open?next=/dashboard",
        f"/needs/{draft.id}/close?next=/dashboard",
    ]


def test_provider_sees_completeness_open_needs_and_interests(client, db_session, login):
    owner = user(db_session, kind="client")
    owner.organisation.legal_name = "Client Secret SA"
    db_session.commit()
    secret = need(
        db_session, owner.organisation_id, status="open", anonymous=True, title="Besoin anonyme"
    )
    provider = user(db_session, kind="provider")
    providers.create_profile(
        db_session=db_session,
        data=ProviderProfileCreate(
            organisation_id=provider.organisation_id,
            description_fr="Centre à Rabat",
            services=["inbound_care"],
            hours="business",
        ),
    )
    needs.express_interest(db_session=db_session, need=secret, provider_id=provider.organisation_id)
    db_session.commit()
    login(provider)
    response = client.get("/dashboard")
    assert response.status_code == 200
    page = soup(response)
    assert page.find("progress")["value"] == "30"
    assert [a.text for a in page.select(".need-card h3 a")] == ["Besoin anonyme"]
    assert "Client Secret SA" not in response.text
    assert page.select_one("#h-my-interests").find_next("tbody").text.count("Besoin anonyme") == 1


def test_provider_without_profile_gets_a_link_to_create_it(client, db_session, login):
    login(user(db_session, kind="provider"))
    page = soup(client.get("/dashboard"))
    assert page.find("progress")["value"] == "0"
    assert page.find("a", href="/providers/me/edit") is not None


def test_admin_sees_counts(client, db_session, login):
    owner = user(db_session, kind="client")
    need(db_session, owner.organisation_id, status="open")
    need(db_session, owner.organisation_id)
    login(platform_admin(db_session))
    page = soup(client.get("/dashboard"))
    text = page.select_one("#h-platform").find_next("dl").text
    assert "1 open" in text
    assert "1 drafts" in text


def test_client_dashboard_query_count_is_constant(client, db_session, login, count_queries):
    owner = user(db_session, kind="client")
    provider = user(db_session, kind="provider")
    first = need(db_session, owner.organisation_id, status="open")
    needs.express_interest(db_session=db_session, need=first, provider_id=provider.organisation_id)
    needs.shortlist(db_session=db_session, need=first, provider_id=provider.organisation_id)
    db_session.commit()
    login(owner)
    client.get("/dashboard")
    with count_queries() as few:
        client.get("/dashboard")
    for n in range(5):
        more = need(db_session, owner.organisation_id, status="open", title=f"n{n}")
        other = user(db_session, kind="provider")
        needs.express_interest(db_session=db_session, need=more, provider_id=other.organisation_id)
        needs.shortlist(db_session=db_session, need=more, provider_id=other.organisation_id)
    db_session.commit()
    with count_queries() as many:
        client.get("/dashboard")
    assert many.count == few.count


def test_provider_dashboard_query_count_is_constant(client, db_session, login, count_queries):
    owner = user(db_session, kind="client")
    provider = user(db_session, kind="provider")
    login(provider)
    first = need(db_session, owner.organisation_id, status="open", anonymous=True)
    needs.express_interest(db_session=db_session, need=first, provider_id=provider.organisation_id)
    db_session.commit()
    client.get("/dashboard")
    with count_queries() as few:
        client.get("/dashboard")
    for n in range(5):
        more = need(db_session, owner.organisation_id, status="open", title=f"n{n}", anonymous=True)
        needs.express_interest(
            db_session=db_session, need=more, provider_id=provider.organisation_id
        )
    db_session.commit()
    with count_queries() as many:
        client.get("/dashboard")
    assert many.count == few.count
