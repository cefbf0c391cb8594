"""/events/{id}/agenda: the organiser's page (EN, FR, cards at 375 px), the build form, the
progress panel while a build is queued, the cancel button; 404/403 for others."""

from __future__ import annotations

from bs4 import BeautifulSoup

from app.agenda import jobs, service
from app.agenda.models import AgendaRun, AgendaRunStatus
from app.organisations.models import Organisation
from tests.accounts.factories import user
from tests.agenda.builders import scene


def _organiser(db_session, event):
    return user(db_session, organisation=db_session.get(Organisation, event.organiser_id))


def _runs(db_session, event_id: int) -> list[AgendaRun]:
    return service.recent_runs(db_session=db_session, event_id=event_id)


def test_page_shows_the_draft_and_the_build_form(db_session, client, login):
    s = scene(db_session)
    db_session.commit()
    login(_organiser(db_session, s.event))
    page = client.get(f"/events/{s.event.id}/agenda")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.h1.get_text(strip=True) == "Agenda"
    form = soup.find("form", action=f"/events/{s.event.id}/agenda/runs")
    assert form is not None and form.find("input", {"name": "csrf_token"}) is not None
    # Every cell of the tables says what it is, for the cards of narrow screens.
    cells = soup.select("table.table-cards td")
    assert cells and all(td.has_attr("data-label") for td in cells)
    assert "Client Deux · Centre Deux" in page.text  # the locked meeting
    assert "Placed by an organiser" in page.text
    assert soup.find(id="agenda-progress") is None


def test_page_in_french(db_session, client, login):
    s = scene(db_session)
    db_session.commit()
    login(_organiser(db_session, s.event))
    client.cookies.set("lang", "fr")
    page = client.get(f"/events/{s.event.id}/agenda", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert "Construire l’agenda" in page.text
    assert "Placé par un organisateur" in page.text


def test_build_form_queues_a_run_and_shows_its_progress(db_session, client, login, monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr(jobs, "enqueue_build", queued.append)
    s = scene(db_session)
    db_session.commit()
    login(_organiser(db_session, s.event))
    response = client.post(
        f"/events/{s.event.id}/agenda/runs", data={"time_limit_s": "1"}, follow_redirects=False
    )
    assert response.status_code == 303
    (run,) = _runs(db_session, s.event.id)
    assert (run.status, run.time_limit_s, queued) == ("queued", 1.0, [run.id])
    page = client.get(f"/events/{s.event.id}/agenda")
    soup = BeautifulSoup(page.text, "html.parser")
    panel = soup.find(id="agenda-progress")
    assert panel["data-url"] == f"/api/v1/events/{s.event.id}/agenda/runs/{run.id}"
    assert "The agenda is being built; this page shows its progress." in page.text
    assert soup.find("script", src=lambda v: v and "agenda-progress.js" in v) is not None
    assert soup.find("meta", attrs={"http-equiv": "refresh"}) is not None
    # A second build is refused with the reason while this one is queued.
    again = client.post(f"/events/{s.event.id}/agenda/runs", data={"time_limit_s": "1"})
    assert "Another build of this event" in again.text
    assert len(_runs(db_session, s.event.id)) == 1
    # Cancelled: the draft stays, the form is back.
    cancel = client.post(f"/events/{s.event.id}/agenda/runs/{run.id}/cancel")
    assert "The build is cancelled; the draft stays as it was." in cancel.text
    db_session.refresh(run)
    assert run.status == AgendaRunStatus.cancelled.value
    assert BeautifulSoup(cancel.text, "html.parser").find(id="agenda-progress") is None


def test_build_form_refuses_a_bad_time_limit(db_session, client, login):
    s = scene(db_session)
    db_session.commit()
    login(_organiser(db_session, s.event))
    page = client.post(f"/events/{s.event.id}/agenda/runs", data={"time_limit_s": "abc"})
    assert page.status_code == 200
    assert "The time limit is between 1 and 600 seconds." in page.text
    assert _runs(db_session, s.event.id) == []


def test_page_is_hidden_from_participants(db_session, client, login):
    s = scene(db_session)
    stranger = user(db_session, kind="provider")
    db_session.commit()
    login(stranger)
    assert client.get(f"/events/{s.event.id}/agenda").status_code == 403


def test_event_page_and_dashboard_link_the_agenda(db_session, client, login):
    s = scene(db_session)
    db_session.commit()
    login(_organiser(db_session, s.event))
    for url in (f"/events/{s.event.id}", f"/events/{s.event.id}/dashboard"):
        assert f'href="/events/{s.event.id}/agenda"' in client.get(url).text
