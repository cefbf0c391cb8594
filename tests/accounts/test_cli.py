"""``euroffshore create-admin``: creates a platform administrator, refuses weak passwords."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import cli
from app.accounts.models import AuditEvent, User


@pytest.fixture
def cli_session(db_session, monkeypatch):
    connection = db_session.connection()

    def factory():
        return lambda: Session(bind=connection, join_transaction_mode="create_savepoint")

    monkeypatch.setattr("app.core.db.get_session_factory", factory)
    monkeypatch.delenv("EUROFFSHORE_ADMIN_PASSWORD", raising=False)
    return db_session


def test_create_admin_with_a_password_option(cli_session, capsys):
    code = cli.main(
        [
            "create-admin",
            "--email",
            "Root@Euroffshore.example",
            "--password",
            "Casablanca Admin 2026",
        ]
    )
    assert code == 0
    admin = cli_session.scalar(select(User).where(User.email == "root@euroffshore.example"))
    assert admin.is_platform_admin is True and admin.organisation_id is None
    assert "created" in capsys.readouterr().out
    assert cli_session.scalar(select(AuditEvent.action)) == "admin_created"


def test_create_admin_reads_the_environment(cli_session, monkeypatch):
    monkeypatch.setenv("EUROFFSHORE_ADMIN_PASSWORD", "Casablanca Admin 2026")
    assert cli.main(["create-admin", "--email", "ops@euroffshore.example"]) == 0


def test_create_admin_refuses_a_weak_password_with_the_reason(cli_session, capsys):
    code = cli.main(["create-admin", "--email", "root@x.example", "--password", "password123"])
    assert code == 1
    assert "most common" in capsys.readouterr().err
    assert cli_session.scalar(select(User)) is None


def test_create_admin_refuses_a_bad_email_and_a_missing_password(cli_session, capsys):
    assert cli.main(["create-admin", "--email", "nope", "--password", "Long enough 2026"]) == 2
    assert "not a valid e-mail" in capsys.readouterr().err
    assert cli.main(["create-admin", "--email", "a@b.example"]) == 2  # stdin is no terminal
    assert "EUROFFSHORE_ADMIN_PASSWORD" in capsys.readouterr().err
