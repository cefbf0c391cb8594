"""Providers: call-centre profiles, sites, languages, services, sectors, channels,
certifications and references.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 01:21:59.510109
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('provider_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('description_fr', sa.Text(), nullable=True),
    sa.Column('description_en', sa.Text(), nullable=True),
    sa.Column('hours', sa.String(length=16), nullable=True),
    sa.Column('price_min', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('price_max', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('min_contract_seats', sa.Integer(), nullable=False),
    sa.Column('gdpr_dpa', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('gdpr_scc', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('gdpr_eu_hosting', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('data_hosting_country', sa.String(length=2), nullable=True),
    sa.Column('bloctel_screening', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('opt_in_only', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('seats_total_sum', sa.Integer(), nullable=False),
    sa.Column('seats_now_sum', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("hours IS NULL OR hours IN ('business', 'extended', '24_7')", name=op.f('ck_provider_profiles_hours')),
    sa.CheckConstraint("status IN ('draft', 'published', 'closed')", name=op.f('ck_provider_profiles_status')),
    sa.CheckConstraint('min_contract_seats >= 0', name=op.f('ck_provider_profiles_min_contract_seats_positive')),
    sa.CheckConstraint('price_min IS NULL OR price_max IS NULL OR price_min <= price_max', name=op.f('ck_provider_profiles_price_band')),
    sa.CheckConstraint('price_min IS NULL OR price_min >= 0', name=op.f('ck_provider_profiles_price_min_positive')),
    sa.CheckConstraint('seats_now_sum >= 0 AND seats_now_sum <= seats_total_sum', name=op.f('ck_provider_profiles_seats')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_provider_profiles_version_positive')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_provider_profiles_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_profiles')),
    sa.UniqueConstraint('organisation_id', name=op.f('uq_provider_profiles_organisation_id'))
    )
    with op.batch_alter_table('provider_profiles', schema=None) as batch_op:
        batch_op.create_index('ix_provider_profiles_status_price_min', ['status', 'price_min'], unique=False)
        batch_op.create_index('ix_provider_profiles_status_seats_now_sum', ['status', 'seats_now_sum'], unique=False)
        batch_op.create_index('ix_provider_profiles_status_updated_at', ['status', 'updated_at'], unique=False)

    op.create_table('provider_certifications',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.CheckConstraint("code IN ('iso_27001', 'pci_dss', 'iso_18295_nf345', 'hds', 'iso_9001', 'iso_22301', 'iso_27701', 'lrs')", name=op.f('ck_provider_certifications_code')),
    sa.ForeignKeyConstraint(['profile_id'], ['provider_profiles.id'], name=op.f('fk_provider_certifications_profile_id_provider_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'code', name=op.f('pk_provider_certifications'))
    )
    with op.batch_alter_table('provider_certifications', schema=None) as batch_op:
        batch_op.create_index('ix_provider_certifications_code_profile_id', ['code', 'profile_id'], unique=False)

    op.create_table('provider_channels',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.CheckConstraint("code IN ('phone', 'email', 'chat', 'social_media', 'video', 'messaging', 'postal_mail')", name=op.f('ck_provider_channels_code')),
    sa.ForeignKeyConstraint(['profile_id'], ['provider_profiles.id'], name=op.f('fk_provider_channels_profile_id_provider_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'code', name=op.f('pk_provider_channels'))
    )
    with op.batch_alter_table('provider_channels', schema=None) as batch_op:
        batch_op.create_index('ix_provider_channels_code_profile_id', ['code', 'profile_id'], unique=False)

    op.create_table('provider_languages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=3), nullable=False),
    sa.Column('level', sa.String(length=8), nullable=False),
    sa.Column('culture_markets', sa.JSON(), nullable=False),
    sa.CheckConstraint("level IN ('a1', 'a2', 'b1', 'b2', 'c1', 'c2', 'native')", name=op.f('ck_provider_languages_level')),
    sa.ForeignKeyConstraint(['profile_id'], ['provider_profiles.id'], name=op.f('fk_provider_languages_profile_id_provider_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_languages')),
    sa.UniqueConstraint('profile_id', 'language', name=op.f('uq_provider_languages_profile_id_language'))
    )
    with op.batch_alter_table('provider_languages', schema=None) as batch_op:
        batch_op.create_index('ix_provider_languages_language_level_profile_id', ['language', 'level', 'profile_id'], unique=False)

    op.create_table('provider_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('client_name', sa.String(length=200), nullable=True),
    sa.Column('anonymised', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('sector', sa.String(length=32), nullable=True),
    sa.Column('description', sa.String(length=300), nullable=True),
    sa.CheckConstraint("sector IS NULL OR sector IN ('energy', 'agrifood', 'telecom', 'banking_insurance', 'retail_ecommerce', 'travel_hospitality', 'luxury', 'public_sector', 'health', 'utilities', 'technology')", name=op.f('ck_provider_references_sector')),
    sa.CheckConstraint('anonymised OR client_name IS NOT NULL', name=op.f('ck_provider_references_named_or_anonymised')),
    sa.CheckConstraint('country IS NULL OR length(country) = 2', name=op.f('ck_provider_references_country_alpha2')),
    sa.ForeignKeyConstraint(['profile_id'], ['provider_profiles.id'], name=op.f('fk_provider_references_profile_id_provider_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_references'))
    )
    with op.batch_alter_table('provider_references', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_references_profile_id'), ['profile_id'], unique=False)

    op.create_table('provider_sectors',
    sa.Column('years', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.CheckConstraint("code IN ('energy', 'agrifood', 'telecom', 'banking_insurance', 'retail_ecommerce', 'travel_hospitality', 'luxury', 'public_sector', 'health', 'utilities', 'technology')", name=op.f('ck_provider_sectors_code')),
    sa.CheckConstraint('years >= 0', name=op.f('ck_provider_sectors_years_positive')),
    sa.ForeignKeyConstraint(['profile_id'], ['provider_profiles.id'], name=op.f('fk_provider_sectors_profile_id_provider_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'code', name=op.f('pk_provider_sectors'))
    )
    with op.batch_alter_table('provider_sectors', schema=None) as batch_op:
        batch_op.create_index('ix_provider_sectors_code_profile_id', ['code', 'profile_id'], unique=False)

    op.create_table('provider_services',
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.CheckConstraint("code IN ('inbound_care', 'outbound_telesales', 'b2b_prospecting', 'technical_support', 'back_office', 'chat_email_social', 'collections', 'appointment_setting', 'content_moderation')", name=op.f('ck_provider_services_code')),
    sa.ForeignKeyConstraint(['profile_id'], ['provider_profiles.id'], name=op.f('fk_provider_services_profile_id_provider_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('profile_id', 'code', name=op.f('pk_provider_services'))
    )
    with op.batch_alter_table('provider_services', schema=None) as batch_op:
        batch_op.create_index('ix_provider_services_code_profile_id', ['code', 'profile_id'], unique=False)

    op.create_table('provider_sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('seats_total', sa.Integer(), nullable=False),
    sa.Column('seats_available_now', sa.Integer(), nullable=False),
    sa.Column('seats_available_later', sa.Integer(), nullable=True),
    sa.Column('available_from', sa.Date(), nullable=True),
    sa.CheckConstraint('(seats_available_later IS NULL AND available_from IS NULL) OR (seats_available_later IS NOT NULL AND available_from IS NOT NULL)', name=op.f('ck_provider_sites_later_seats_with_date')),
    sa.CheckConstraint('length(city) > 0', name=op.f('ck_provider_sites_city_not_empty')),
    sa.CheckConstraint('length(country) = 2', name=op.f('ck_provider_sites_country_alpha2')),
    sa.CheckConstraint('seats_available_later IS NULL OR (seats_available_later >= 0 AND seats_available_later <= seats_total)', name=op.f('ck_provider_sites_seats_later_within_total')),
    sa.CheckConstraint('seats_available_now >= 0 AND seats_available_now <= seats_total', name=op.f('ck_provider_sites_seats_now_within_total')),
    sa.CheckConstraint('seats_total >= 0', name=op.f('ck_provider_sites_seats_total_positive')),
    sa.ForeignKeyConstraint(['profile_id'], ['provider_profiles.id'], name=op.f('fk_provider_sites_profile_id_provider_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_sites')),
    sa.UniqueConstraint('profile_id', 'country', 'city', name=op.f('uq_provider_sites_profile_id_country_city'))
    )
    with op.batch_alter_table('provider_sites', schema=None) as batch_op:
        batch_op.create_index('ix_provider_sites_country_profile_id', ['country', 'profile_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('provider_sites', schema=None) as batch_op:
        batch_op.drop_index('ix_provider_sites_country_profile_id')

    op.drop_table('provider_sites')
    with op.batch_alter_table('provider_services', schema=None) as batch_op:
        batch_op.drop_index('ix_provider_services_code_profile_id')

    op.drop_table('provider_services')
    with op.batch_alter_table('provider_sectors', schema=None) as batch_op:
        batch_op.drop_index('ix_provider_sectors_code_profile_id')

    op.drop_table('provider_sectors')
    with op.batch_alter_table('provider_references', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_references_profile_id'))

    op.drop_table('provider_references')
    with op.batch_alter_table('provider_languages', schema=None) as batch_op:
        batch_op.drop_index('ix_provider_languages_language_level_profile_id')

    op.drop_table('provider_languages')
    with op.batch_alter_table('provider_channels', schema=None) as batch_op:
        batch_op.drop_index('ix_provider_channels_code_profile_id')

    op.drop_table('provider_channels')
    with op.batch_alter_table('provider_certifications', schema=None) as batch_op:
        batch_op.drop_index('ix_provider_certifications_code_profile_id')

    op.drop_table('provider_certifications')
    with op.batch_alter_table('provider_profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_provider_profiles_status_updated_at')
        batch_op.drop_index('ix_provider_profiles_status_seats_now_sum')
        batch_op.drop_index('ix_provider_profiles_status_price_min')

    op.drop_table('provider_profiles')
