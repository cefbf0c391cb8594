"""GET /api/v1/events/{id}/agenda: the draft with its slots, tables, names and summary."""

from __future__ import annotations

from app.organisations.models import Organisation
from tests.accounts.factories import user
from tests.agenda.builders import local, scene
from tests.agenda.test_service import _build


def test_agenda_lists_the_draft_meetings_and_the_summary(db_session, client, login, count_queries):
    s = scene(db_session)
    _build(db_session, s.event.id)
    db_session.commit()
    organiser = user(db_session, organisation=db_session.get(Organisation, s.event.organiser_id))
    login(organiser)
    with count_queries() as counted:
        response = client.get(f"/api/v1/events/{s.event.id}/agenda")
    assert response.status_code == 200
    body = response.json()
    assert len(body["meetings"]) == 4
    locked = next(m for m in body["meetings"] if m["locked"])
    assert (locked["id"], locked["table"], locked["origin"]) == (s.locked.id, 2, "organiser")
    assert locked["local_starts_at"] == local(0, 10, 0).isoformat()
    assert {locked["a"]["name"], locked["b"]["name"]} == {"Client Deux", "Centre Deux"}
    assert body["summary"]["by_origin"] == {
        "accepted": 1,
        "mutual": 1,
        "organiser": 1,
        "wish": 1,
    }
    assert body["summary"]["left_out"] == []
    assert body["last_run"]["status"] == "finished"
    # A bounded number of queries, whatever the number of meetings.
    assert counted.count <= 40  # sign-in, event, draft, summary, scores: not per meeting
