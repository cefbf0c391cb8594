"""Test fixtures: a database built by the real migrations, one rolled-back transaction per test.

SQLite (a temporary file) by default; PostgreSQL when EUROFFSHORE_TEST_DATABASE_URL names one
(its ``public`` schema is dropped and rebuilt at the start of the run).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session
from starlette.datastructures import State

# Agenda builds: no consumer thread in the test application, and a queue file of the run's
# own (a test runs a build with ``app.agenda.jobs.execute_build``).
os.environ.setdefault("EUROFFSHORE_AGENDA_WORKER", "false")
os.environ.setdefault(
    "EUROFFSHORE_HUEY_PATH",
    os.path.join(tempfile.mkdtemp(prefix="euroffshore-huey-"), "queue.db"),
)

import tests.hypothesis_profiles as hypothesis_profiles  # noqa: E402
from app.core import migrations  # noqa: E402
from app.core.db import get_session, make_engine  # noqa: E402


def pytest_report_header(config):
    return [
        f"database: {_database_url_for_report()}",
        f"hypothesis profile: {hypothesis_profiles.profile_name()}",
    ]


def _database_url_for_report() -> str:
    url = os.environ.get("EUROFFSHORE_TEST_DATABASE_URL")
    return url.split("@")[-1] if url else "sqlite (temporary file)"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("EUROFFSHORE_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def reset_database(engine: Engine) -> None:
    """Leave an empty database (no tables, no alembic version)."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        path = engine.url.database
        engine.dispose()
        if path and Path(path).exists():
            Path(path).unlink()


@pytest.fixture(scope="session")
def engine(database_url) -> Iterator[Engine]:
    engine = make_engine(database_url)
    reset_database(engine)
    migrations.upgrade(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db_session(engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test.

    Code under test may commit: with ``create_savepoint`` its commits only release
    savepoints of the outer transaction.
    """
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


def _build_app(session_of):
    """An application whose session dependency yields ``session_of()`` (a test's rolled-back
    session) and commits or rolls back as ``SessionDep`` does."""
    from app.main import create_app

    application = create_app()

    def _session_override():
        session = session_of()
        try:
            yield session
            session.commit()
        except Exception:
            session.rollback()
            raise

    application.dependency_overrides[get_session] = _session_override
    return application


_current_session: dict[str, Session] = {}


@pytest.fixture(scope="session")
def _shared_app():
    """Building the application takes ~0.3 s: one serves the whole run, each test pointing
    its session at that test's transaction (see ``app``)."""
    return _build_app(lambda: _current_session["session"])


@pytest.fixture
def app(_shared_app, db_session):
    """The application, its requests inside ``db_session``'s rolled-back transaction. Its
    ``state`` (per-process caches of the matching indexes) starts empty in every test: a
    cache keyed on a counter that the previous test's rollback rewound must not leak."""
    _current_session["session"] = db_session
    _shared_app.state = State()
    yield _shared_app
    _current_session.clear()


@pytest.fixture
def fresh_app(db_session):
    """An application of this test alone, for a test that adds routes to it."""
    return _build_app(lambda: db_session)


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    """A browser that has loaded a page: its form posts carry a valid CSRF token (tests of
    the CSRF refusal use ``bare_client``). Sign it in with tests.accounts.factories.log_in."""
    from tests.accounts.factories import prime_csrf

    with TestClient(app, raise_server_exceptions=False) as test_client:
        prime_csrf(test_client)
        yield test_client


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(engine):
    """Counts the SQL statements run while the test body uses it as a context."""
    from contextlib import contextmanager

    @contextmanager
    def _counting():
        counter = QueryCounter()
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return _counting


# --- accounts ------------------------------------------------------------------------------


@pytest.fixture
def bare_client(app) -> Iterator[TestClient]:
    """A client with no cookie and no CSRF token (a fresh browser, or a forged request)."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def login(client):
    """``login(user)`` signs ``client`` in as that user and returns the client."""
    from tests.accounts.factories import log_in

    return lambda who: log_in(client, who)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """argon2 with the production cost takes most of a second here: tests use a cheap
    profile (still argon2id, still verified) so that logins in tests stay fast."""
    from argon2 import PasswordHasher

    from app.accounts import security

    original = security._hasher
    security.use_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    security.use_hasher(original)
