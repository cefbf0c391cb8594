"""Agenda: meetings (a pair in a slot at a table), their seats (one participant per slot),
and the runs of the optimiser that built the draft.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "status <> 'cancelled'"


def upgrade() -> None:
    op.create_table(
        "agenda_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("time_limit_s", sa.Float(), nullable=False),
        sa.Column("result_status", sa.String(length=16), nullable=True),
        sa.Column("required_unscheduled", sa.Integer(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("breaks", sa.Integer(), nullable=True),
        sa.Column("weight_bound", sa.Float(), nullable=True),
        sa.Column("breaks_bound", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=True),
        sa.Column("meetings_wanted", sa.Integer(), nullable=True),
        sa.Column("meetings_placed", sa.Integer(), nullable=True),
        sa.Column("meetings_locked", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('running', 'finished', 'failed')", name=op.f("ck_agenda_runs_status")
        ),
        sa.CheckConstraint("time_limit_s > 0", name=op.f("ck_agenda_runs_time_limit_positive")),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_agenda_runs_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_runs")),
    )
    with op.batch_alter_table("agenda_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agenda_runs_event_id"), ["event_id"], unique=False)

    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("a_participation_id", sa.Integer(), nullable=False),
        sa.Column("b_participation_id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.Column("table_number", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("locked", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "a_participation_id < b_participation_id", name=op.f("ck_meetings_pair_order")
        ),
        sa.CheckConstraint("table_number >= 1", name=op.f("ck_meetings_table_positive")),
        sa.CheckConstraint("weight >= 0", name=op.f("ck_meetings_weight_non_negative")),
        sa.CheckConstraint(
            "origin IN ('mutual', 'accepted', 'wish', 'recommendation', 'organiser')",
            name=op.f("ck_meetings_origin"),
        ),
        sa.CheckConstraint(
            "status IN ('scheduled', 'held', 'no_show', 'cancelled')",
            name=op.f("ck_meetings_status"),
        ),
        sa.CheckConstraint("version >= 1", name=op.f("ck_meetings_version_positive")),
        sa.ForeignKeyConstraint(
            ["a_participation_id"],
            ["participations.id"],
            name=op.f("fk_meetings_a_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["b_participation_id"],
            ["participations.id"],
            name=op.f("fk_meetings_b_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_meetings_event_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["meeting_requests.id"],
            name=op.f("fk_meetings_request_id_meeting_requests"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["event_slots.id"],
            name=op.f("fk_meetings_slot_id_event_slots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meetings_a_participation_id"), ["a_participation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_meetings_b_participation_id"), ["b_participation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_meetings_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meetings_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meetings_slot_id"), ["slot_id"], unique=False)
        batch_op.create_index(
            "uq_meetings_slot_table_live",
            ["slot_id", "table_number"],
            unique=True,
            sqlite_where=sa.text(LIVE),
            postgresql_where=sa.text(LIVE),
        )

    op.create_table(
        "meeting_seats",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("participation_id", sa.Integer(), nullable=False),
        sa.Column("slot_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_meeting_seats_meeting_id_meetings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participation_id"],
            ["participations.id"],
            name=op.f("fk_meeting_seats_participation_id_participations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["slot_id"],
            ["event_slots.id"],
            name=op.f("fk_meeting_seats_slot_id_event_slots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("meeting_id", "participation_id", name=op.f("pk_meeting_seats")),
        sa.UniqueConstraint(
            "slot_id", "participation_id", name=op.f("uq_meeting_seats_slot_id_participation_id")
        ),
    )
    with op.batch_alter_table("meeting_seats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_seats_slot_id"), ["slot_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("meeting_seats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_seats_slot_id"))
    op.drop_table("meeting_seats")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index("uq_meetings_slot_table_live")
        batch_op.drop_index(batch_op.f("ix_meetings_slot_id"))
        batch_op.drop_index(batch_op.f("ix_meetings_request_id"))
        batch_op.drop_index(batch_op.f("ix_meetings_event_id"))
        batch_op.drop_index(batch_op.f("ix_meetings_b_participation_id"))
        batch_op.drop_index(batch_op.f("ix_meetings_a_participation_id"))
    op.drop_table("meetings")
    with op.batch_alter_table("agenda_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_runs_event_id"))
    op.drop_table("agenda_runs")
