"""The app really served (uvicorn on a free port, in a thread of the test process) on a
database of its own: a fresh SQLite file, or a fresh schema of the PostgreSQL test
database. Its data is committed for real; the database is dropped afterwards.

Used by the tests that need real concurrent clients (issue 22, rows 1 and 2), a body sent
slowly on a socket (row 3), or the server's own view of the client address (row 15).
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from argon2 import PasswordHasher
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from app.accounts import security
from app.cli import UVICORN_OPTIONS
from app.core import db as core_db
from app.core import migrations
from app.core.db import make_engine


@dataclass
class Served:
    base_url: str
    engine: Engine
    host: str
    port: int

    def session(self) -> Session:
        return Session(bind=self.engine, expire_on_commit=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def own_database(test_url: str, tmp_dir: Path) -> Iterator[str]:
    """A migrated, empty database beside the test database; dropped afterwards."""
    if test_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_dir / f'served-{uuid.uuid4().hex[:8]}.db'}"
        return
    schema = f"served_{uuid.uuid4().hex[:8]}"
    admin = make_engine(test_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in test_url else "?"
    try:
        yield f"{test_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def serve(test_url: str, tmp_dir: Path) -> Iterator[Served]:
    """Serve ``app.main:create_app()`` on its own database, as ``euroffshore serve`` does."""
    from app.main import create_app

    with own_database(test_url, tmp_dir) as url:
        migrations.upgrade(url)
        engine = make_engine(url, pool_size=30, max_overflow=10)
        saved = core_db._engine, core_db._session_factory
        core_db._engine = engine
        core_db._session_factory = sessionmaker(bind=engine, expire_on_commit=False)
        port = free_port()
        options = {**UVICORN_OPTIONS, "log_level": "warning"}
        server = uvicorn.Server(
            uvicorn.Config(create_app(), host="127.0.0.1", port=port, lifespan="off", **options)
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the served app did not start")
            time.sleep(0.02)
        try:
            yield Served(f"http://127.0.0.1:{port}", engine, "127.0.0.1", port)
        finally:
            server.should_exit = True
            thread.join(10)
            core_db._engine, core_db._session_factory = saved
            engine.dispose()


class SlowHasher(PasswordHasher):
    """argon2 (cheap profile) plus a blocking pause as long as the production cost: a
    handler that verifies on the event loop holds every other request for that long."""

    def __init__(self, pause: float) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.pause = pause

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002
        time.sleep(self.pause)
        return super().verify(hash, password)

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        time.sleep(self.pause)
        return super().hash(password, salt=salt)


@contextmanager
def slow_hashing(pause: float, concurrency: int = 32) -> Iterator[None]:
    """Hashing that blocks for ``pause`` seconds, ``concurrency`` at once (production
    queues hashes to the CPUs; here the pauses cost no CPU and may overlap)."""
    original, pool = security._hasher, security._pool
    security.use_hasher(SlowHasher(pause))
    security.set_hash_concurrency(concurrency)
    try:
        yield
    finally:
        security.use_hasher(original)
        security._pool = pool
