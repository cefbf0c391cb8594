"""Security hardening (issue 22): invitations kept in the database (listed, revoked,
checked at acceptance), and contested registration numbers waiting for an organiser.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'invitations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('inviter_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ['inviter_id'], ['users.id'],
            name=op.f('fk_invitations_inviter_id_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['organisation_id'], ['organisations.id'],
            name=op.f('fk_invitations_organisation_id_organisations'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_invitations_organisation_id'), ['organisation_id'], unique=False
        )
    # A plain ADD COLUMN (also on SQLite): the table is not rebuilt, its triggers stay.
    op.add_column(
        'organisations',
        sa.Column('contested_registration_number', sa.String(length=40), nullable=True),
    )


def downgrade() -> None:
    # DROP COLUMN without rebuilding the table (SQLite >= 3.35), so that the matching
    # triggers of 0006 on organisations survive.
    op.drop_column('organisations', 'contested_registration_number')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_organisation_id'))
    op.drop_table('invitations')
