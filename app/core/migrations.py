"""Run Alembic programmatically (CLI ``euroffshore migrate``, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

ROOT = Path(__file__).resolve().parents[2]


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
        config.attributes["configure_logger"] = False
    return config


def upgrade(
    url: str | None = None, revision: str = "head", connection: Connection | None = None
) -> None:
    command.upgrade(alembic_config(url, connection), revision)


def downgrade(
    url: str | None = None, revision: str = "base", connection: Connection | None = None
) -> None:
    command.downgrade(alembic_config(url, connection), revision)
