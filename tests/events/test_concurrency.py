"""Two registrations of one organisation sent at once, through HTTP to a served app (uvicorn
in a thread on a free port, its own sessions on a committed database): exactly one stays.

The unique constraint on (event, organisation) decides and the loser gets a 409 naming the
field, on PostgreSQL and on SQLite alike (there a request that may write begins IMMEDIATE, so
the second registration waits for the first instead of failing with "database is locked")."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.accounts.models import User
from app.core.db import get_session
from app.events.models import Event, EventStatus, Participation
from app.notifications.models import Notification
from app.organisations.models import Organisation
from tests import factories
from tests.accounts.factories import api_token, user
from tests.events.builders import event

ATTEMPTS = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(engine) -> Iterator[str]:
    from app.main import create_app

    factory = sessionmaker(bind=engine, expire_on_commit=False)
    app = create_app()

    def _session() -> Iterator[Session]:
        session = factory()
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise
        finally:
            session.close()

    app.dependency_overrides[get_session] = _session
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def committed(engine) -> Iterator[Session]:
    """A session whose commits are real (cleaned up after: the other tests share the base)."""
    session = Session(bind=engine, expire_on_commit=False)
    yield session
    session.rollback()
    organisations = [
        o.id
        for o in session.scalars(select(Organisation).where(Organisation.legal_name.like("Race %")))
    ]
    session.execute(
        delete(Notification).where(
            Notification.user_id.in_(select(User.id).where(User.organisation_id.in_(organisations)))
        )
    )
    session.execute(delete(Event).where(Event.organiser_id.in_(organisations)))
    session.execute(delete(User).where(User.organisation_id.in_(organisations)))
    session.execute(delete(Organisation).where(Organisation.id.in_(organisations)))
    session.commit()
    session.close()


def _register(
    served: str, event_id: int, token: str, barrier: threading.Barrier, statuses: list[int]
) -> None:
    with httpx.Client(base_url=served, timeout=30) as http:
        barrier.wait()
        response = http.post(
            f"/api/v1/events/{event_id}/registrations",
            json={"attendees": [{"full_name": "Nadia Alaoui"}]},
            headers={"Authorization": f"Bearer {token}"},
        )
        statuses.append(response.status_code)
        if response.status_code == 409:
            assert response.json()["detail"][0]["loc"] == ["body", "organisation_id"]


def test_two_registrations_of_one_organisation_at_once_leave_one(served, committed):
    organiser = factories.organisation(
        committed, kind="organiser", legal_name="Race Events", country="MA"
    )
    for attempt in range(ATTEMPTS):
        row = event(committed, organiser.id, status=EventStatus.registration_open.value)
        company = factories.organisation(
            committed, kind="client", legal_name=f"Race Client {attempt}"
        )
        token = api_token(committed, user(committed, organisation=company))
        barrier = threading.Barrier(2)
        statuses: list[int] = []

        threads = [
            threading.Thread(target=_register, args=(served, row.id, token, barrier, statuses))
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        committed.expire_all()
        count = committed.scalar(
            select(func.count()).select_from(Participation).where(Participation.event_id == row.id)
        )
        assert (sorted(statuses), count) == ([201, 409], 1)
