"""Scoring weight sets: named weight overrides an organiser applies to recommendations.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 01:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('scoring_weight_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_scoring_weight_sets_name_not_empty')),
    sa.ForeignKeyConstraint(
        ['organisation_id'], ['organisations.id'],
        name=op.f('fk_scoring_weight_sets_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scoring_weight_sets')),
    sa.UniqueConstraint('organisation_id', 'name',
                        name=op.f('uq_scoring_weight_sets_organisation_id_name'))
    )
    with op.batch_alter_table('scoring_weight_sets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scoring_weight_sets_organisation_id'),
                              ['organisation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('scoring_weight_sets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scoring_weight_sets_organisation_id'))
    op.drop_table('scoring_weight_sets')
