"""Concurrency through HTTP: the app served by uvicorn in a background thread against a
committed database of its own (a database created and dropped on PostgreSQL, a file on
SQLite), real threads sending at once.

- two accepts of one request: exactly one accepted, the other answered 409 with the status;
- two requests between the same pair at once (two colleagues, or each side asking the
  other): exactly one row.

Both stores run them: on SQLite a request that may write begins its transaction IMMEDIATE
(app/core/db.py), so the second writer waits for the first instead of failing.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.core import migrations
from app.core.db import get_session, make_engine
from app.events.models import MeetingRequest
from app.organisations.models import Organisation
from tests.accounts.factories import api_token, user
from tests.matchmaking import builders

ROUNDS = 4


@dataclass
class Served:
    base_url: str
    factory: sessionmaker[Session]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _own_database(database_url: str, tmp_path_factory: Any) -> tuple[str, Callable[[], None]]:
    """(url of a fresh database, a function that drops it)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        path = tmp_path_factory.mktemp("concurrency") / "served.db"
        return f"sqlite:///{path}", lambda: None
    name = f"{url.database}_conc_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="module")
def served(database_url: str, tmp_path_factory: Any) -> Iterator[Served]:
    from app.main import create_app

    url, drop = _own_database(database_url, tmp_path_factory)
    migrations.upgrade(url)
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    app = create_app()

    def session() -> Iterator[Session]:
        db_session = factory()
        try:
            yield db_session
            db_session.commit()
        except Exception:
            db_session.rollback()
            raise
        finally:
            db_session.close()

    app.dependency_overrides[get_session] = session
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield Served(f"http://127.0.0.1:{port}", factory)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
        drop()


def _at_once(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Run the calls in threads released together by a barrier."""
    barrier = threading.Barrier(len(calls))
    results: list[httpx.Response | None] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert all(r is not None for r in results)
    return [r for r in results if r is not None]


def _post(base: str, token: str, path: str, body: Any = None) -> Callable[[], httpx.Response]:
    def call() -> httpx.Response:
        return httpx.post(
            f"{base}{path}",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    return call


def _rows(served: Served, event_id: int) -> list[tuple[int, str]]:
    with served.factory() as db_session:
        return [
            (r.id, r.status)
            for r in db_session.scalars(
                select(MeetingRequest).where(MeetingRequest.event_id == event_id)
            )
        ]


def test_two_accepts_of_one_request_leave_one_accepted_and_one_conflict(served: Served) -> None:
    with served.factory() as db_session:
        event = builders.event(db_session, request_deadline=None)
        _c, client = builders.client(db_session, event, with_need=False)
        centre_user, centre = builders.provider(db_session, event, name="Atlas Contact")
        colleague = user(
            db_session,
            organisation=db_session.get(Organisation, centre_user.organisation_id),
            role="member",
        )
        tokens = [api_token(db_session, centre_user), api_token(db_session, colleague)]
        requests = [builders.request(db_session, event, client, centre).id]
        for i in range(ROUNDS - 1):
            _u, other = builders.client(db_session, event, name=f"Client {i}", with_need=False)
            requests.append(builders.request(db_session, event, other, centre).id)
        event_id = event.id
    for request_id in requests:
        path = f"/api/v1/events/{event_id}/requests/{request_id}/accept"
        answers = _at_once([_post(served.base_url, t, path) for t in tokens])
        assert sorted(r.status_code for r in answers) == [200, 409]
        refused = next(r for r in answers if r.status_code == 409)
        assert refused.json()["detail"]["status"] == "accepted"
    assert sorted(status for _id, status in _rows(served, event_id)) == ["accepted"] * ROUNDS


def test_two_colleagues_asking_the_same_participant_at_once_leave_one_request(
    served: Served,
) -> None:
    with served.factory() as db_session:
        event = builders.event(db_session, request_deadline=None)
        client_user, _client = builders.client(db_session, event, with_need=False)
        colleague = user(
            db_session,
            organisation=db_session.get(Organisation, client_user.organisation_id),
            role="member",
        )
        tokens = [api_token(db_session, client_user), api_token(db_session, colleague)]
        centres = [
            builders.provider(db_session, event, name=f"Centre {i}")[1].id for i in range(ROUNDS)
        ]
        event_id = event.id
    path = f"/api/v1/events/{event_id}/requests"
    for centre_id in centres:
        body = {"recipient_id": centre_id, "message": "Bonjour"}
        answers = _at_once([_post(served.base_url, t, path, body) for t in tokens])
        assert sorted(r.status_code for r in answers) == [200, 201], [r.text for r in answers]
        assert len({r.json()["id"] for r in answers}) == 1
    with served.factory() as db_session:
        count = db_session.scalar(
            select(func.count(MeetingRequest.id)).where(MeetingRequest.event_id == event_id)
        )
    assert count == ROUNDS


def test_both_sides_asking_each_other_at_once_leave_one_accepted_request(served: Served) -> None:
    with served.factory() as db_session:
        event = builders.event(db_session, request_deadline=None)
        pairs = []
        for i in range(ROUNDS):
            client_user, client = builders.client(
                db_session, event, name=f"Client {i}", with_need=False
            )
            centre_user, centre = builders.provider(db_session, event, name=f"Centre {i}")
            pairs.append(
                (
                    api_token(db_session, client_user),
                    client.id,
                    api_token(db_session, centre_user),
                    centre.id,
                )
            )
        event_id = event.id
    path = f"/api/v1/events/{event_id}/requests"
    for client_token, client_id, centre_token, centre_id in pairs:
        answers = _at_once(
            [
                _post(served.base_url, client_token, path, {"recipient_id": centre_id}),
                _post(served.base_url, centre_token, path, {"recipient_id": client_id}),
            ]
        )
        assert sorted(r.status_code for r in answers) == [200, 201], [r.text for r in answers]
        assert {r.json()["outcome"] for r in answers} == {"created", "mutual"}
    assert sorted(status for _id, status in _rows(served, event_id)) == ["accepted"] * ROUNDS
