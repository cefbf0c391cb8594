"""Needs: a client's outsourcing need, its criteria, the shortlist and expressions of interest.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 01:23:00.852186
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('needs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('sector', sa.String(length=40), nullable=True),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('duration_months', sa.Integer(), nullable=True),
    sa.Column('hours', sa.String(length=16), nullable=True),
    sa.Column('budget_max', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('gdpr', sa.String(length=16), server_default='none', nullable=False),
    sa.Column('outbound_fr_consumers', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('min_capacity_share', sa.Float(), server_default=sa.text('0.5'), nullable=False),
    sa.Column('status', sa.String(length=8), server_default='draft', nullable=False),
    sa.Column('anonymous', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("gdpr IN ('none', 'dpa', 'dpa_scc', 'eu_hosting')", name=op.f('ck_needs_gdpr')),
    sa.CheckConstraint("hours IS NULL OR hours IN ('business', 'extended', '24_7')", name=op.f('ck_needs_hours')),
    sa.CheckConstraint("status IN ('draft', 'open', 'closed')", name=op.f('ck_needs_status')),
    sa.CheckConstraint('budget_max IS NULL OR budget_max > 0', name=op.f('ck_needs_budget_positive')),
    sa.CheckConstraint('duration_months IS NULL OR duration_months > 0', name=op.f('ck_needs_duration_positive')),
    sa.CheckConstraint('length(title) > 0', name=op.f('ck_needs_title_not_empty')),
    sa.CheckConstraint('min_capacity_share >= 0 AND min_capacity_share <= 1', name=op.f('ck_needs_capacity_share_range')),
    sa.CheckConstraint('seats > 0', name=op.f('ck_needs_seats_positive')),
    sa.CheckConstraint('version > 0', name=op.f('ck_needs_version_positive')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_needs_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_needs'))
    )
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_needs_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_needs_seats'), ['seats'], unique=False)
        batch_op.create_index(batch_op.f('ix_needs_sector'), ['sector'], unique=False)
        batch_op.create_index(batch_op.f('ix_needs_status'), ['status'], unique=False)

    op.create_table('need_certifications',
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('certification', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_need_certifications_need_id_needs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('need_id', 'certification', name=op.f('pk_need_certifications'))
    )
    op.create_table('need_countries',
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('preference', sa.String(length=10), nullable=False),
    sa.CheckConstraint("preference IN ('preferred', 'excluded')", name=op.f('ck_need_countries_preference')),
    sa.CheckConstraint('length(country) = 2', name=op.f('ck_need_countries_country_alpha2')),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_need_countries_need_id_needs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('need_id', 'country', name=op.f('pk_need_countries'))
    )
    op.create_table('need_interest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), server_default='pending', nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined')", name=op.f('ck_need_interest_status')),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_need_interest_need_id_needs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['provider_id'], ['organisations.id'], name=op.f('fk_need_interest_provider_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_interest')),
    sa.UniqueConstraint('need_id', 'provider_id', name=op.f('uq_need_interest_need_id_provider_id'))
    )
    with op.batch_alter_table('need_interest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_interest_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_interest_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_interest_status'), ['status'], unique=False)

    op.create_table('need_languages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=3), nullable=False),
    sa.Column('min_level', sa.String(length=8), nullable=False),
    sa.Column('position', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.CheckConstraint("min_level IN ('a1', 'a2', 'b1', 'b2', 'c1', 'c2', 'native')", name=op.f('ck_need_languages_min_level')),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_need_languages_need_id_needs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_languages')),
    sa.UniqueConstraint('need_id', 'language', name=op.f('uq_need_languages_need_id_language'))
    )
    with op.batch_alter_table('need_languages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_languages_language'), ['language'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_languages_need_id'), ['need_id'], unique=False)

    op.create_table('need_markets',
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.CheckConstraint('length(country) = 2', name=op.f('ck_need_markets_country_alpha2')),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_need_markets_need_id_needs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('need_id', 'country', name=op.f('pk_need_markets'))
    )
    with op.batch_alter_table('need_markets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_markets_country'), ['country'], unique=False)

    op.create_table('need_priorities',
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_need_priorities_need_id_needs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('need_id', 'criterion', name=op.f('pk_need_priorities'))
    )
    op.create_table('need_services',
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('service', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_need_services_need_id_needs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('need_id', 'service', name=op.f('pk_need_services'))
    )
    with op.batch_alter_table('need_services', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_services_service'), ['service'], unique=False)

    op.create_table('need_shortlist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['needs.id'], name=op.f('fk_need_shortlist_need_id_needs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['provider_id'], ['organisations.id'], name=op.f('fk_need_shortlist_provider_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_need_shortlist')),
    sa.UniqueConstraint('need_id', 'provider_id', name=op.f('uq_need_shortlist_need_id_provider_id'))
    )
    with op.batch_alter_table('need_shortlist', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_need_shortlist_need_id'), ['need_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_need_shortlist_provider_id'), ['provider_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('need_shortlist', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_shortlist_provider_id'))
        batch_op.drop_index(batch_op.f('ix_need_shortlist_need_id'))

    op.drop_table('need_shortlist')
    with op.batch_alter_table('need_services', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_services_service'))

    op.drop_table('need_services')
    op.drop_table('need_priorities')
    with op.batch_alter_table('need_markets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_markets_country'))

    op.drop_table('need_markets')
    with op.batch_alter_table('need_languages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_languages_need_id'))
        batch_op.drop_index(batch_op.f('ix_need_languages_language'))

    op.drop_table('need_languages')
    with op.batch_alter_table('need_interest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_need_interest_status'))
        batch_op.drop_index(batch_op.f('ix_need_interest_provider_id'))
        batch_op.drop_index(batch_op.f('ix_need_interest_need_id'))

    op.drop_table('need_interest')
    op.drop_table('need_countries')
    op.drop_table('need_certifications')
    with op.batch_alter_table('needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_needs_status'))
        batch_op.drop_index(batch_op.f('ix_needs_sector'))
        batch_op.drop_index(batch_op.f('ix_needs_seats'))
        batch_op.drop_index(batch_op.f('ix_needs_organisation_id'))

    op.drop_table('needs')
