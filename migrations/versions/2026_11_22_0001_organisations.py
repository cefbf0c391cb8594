"""Organisations: clients, call centres (providers) and event organisers.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 01:16:12.014262
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('legal_name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=True),
    sa.Column('registration_number', sa.String(length=40), nullable=True),
    sa.Column('registration_scheme', sa.String(length=20), nullable=True),
    sa.Column('website', sa.String(length=300), nullable=True),
    sa.Column('size', sa.String(length=10), nullable=True),
    sa.Column('verified', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('client', 'provider', 'organiser')", name=op.f('ck_organisations_kind')),
    sa.CheckConstraint("size IN ('1-9', '10-49', '50-249', '250-999', '1000+')", name=op.f('ck_organisations_size')),
    sa.CheckConstraint('length(country) = 2', name=op.f('ck_organisations_country_alpha2')),
    sa.CheckConstraint('length(legal_name) > 0', name=op.f('ck_organisations_legal_name_not_empty')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('country', 'registration_number', name=op.f('uq_organisations_country_registration_number'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_country'), ['country'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_legal_name'), ['legal_name'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_legal_name'))
        batch_op.drop_index(batch_op.f('ix_organisations_kind'))
        batch_op.drop_index(batch_op.f('ix_organisations_country'))

    op.drop_table('organisations')
