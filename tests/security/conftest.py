"""Fixtures of the security tests: the app served for real (see tests/security/served.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.security.served import Served, serve


@pytest.fixture(scope="module")
def served(engine, database_url, tmp_path_factory) -> Iterator[Served]:
    """The app served by uvicorn on a free port, on a database of its own (same kind as
    the test database: SQLite file or PostgreSQL schema)."""
    with serve(database_url, tmp_path_factory.mktemp("served")) as running:
        yield running
