"""Agenda builds in the background: queued and cancelled runs, who asked, the worker's
heartbeat, its phase, the error in words and a cancel request.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 18:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = "status IN ('running', 'finished', 'failed')"
ACTIVE = "status IN ('queued', 'running')"
NEW = "status IN ('queued', 'running', 'finished', 'failed', 'cancelled')"


def upgrade() -> None:
    with op.batch_alter_table("agenda_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("requested_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("phase", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("error", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("cancel_requested", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_agenda_runs_requested_by_id"), ["requested_by_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_agenda_runs_requested_by_id_users"),
            "users",
            ["requested_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_constraint(batch_op.f("ck_agenda_runs_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_agenda_runs_status"), NEW)
        batch_op.create_index(
            "uq_agenda_runs_event_active",
            ["event_id"],
            unique=True,
            sqlite_where=sa.text(ACTIVE),
            postgresql_where=sa.text(ACTIVE),
        )


def downgrade() -> None:
    op.execute(
        "UPDATE agenda_runs SET status = 'failed' WHERE status NOT IN "
        "('running', 'finished', 'failed')"
    )
    with op.batch_alter_table("agenda_runs", schema=None) as batch_op:
        batch_op.drop_index("uq_agenda_runs_event_active")
        batch_op.drop_constraint(batch_op.f("ck_agenda_runs_status"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_agenda_runs_status"), OLD)
        batch_op.drop_constraint(
            batch_op.f("fk_agenda_runs_requested_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_agenda_runs_requested_by_id"))
        batch_op.drop_column("cancel_requested")
        batch_op.drop_column("error")
        batch_op.drop_column("phase")
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("requested_by_id")
