"""The migrations build the schema the models describe, and they are reversible."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from app.core import migrations
from app.core.db import make_engine
from app.models import Base


def test_models_and_migrations_agree(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


@pytest.fixture
def scratch_url(database_url, tmp_path):
    """An empty database of the same kind as the test database."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'roundtrip.db'}"
        return
    schema = f"roundtrip_{uuid.uuid4().hex[:8]}"
    admin = make_engine(database_url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in database_url else "?"
    yield f"{database_url}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade_roundtrip(scratch_url):
    migrations.upgrade(scratch_url)
    expected = set(Base.metadata.tables) | {"alembic_version"}
    assert _tables(scratch_url) == expected

    migrations.downgrade(scratch_url, "base")
    assert _tables(scratch_url) <= {"alembic_version"}

    migrations.upgrade(scratch_url)
    assert _tables(scratch_url) == expected
