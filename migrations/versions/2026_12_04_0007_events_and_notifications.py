"""Events (days, breaks, slots, participations, attendees, unavailability, meeting requests,
preferences), notifications (the in-app notice and its e-mail outbox), users' locale and time zone.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 16:09:56.516785
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('venue', sa.String(length=200), nullable=True),
    sa.Column('city', sa.String(length=120), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('table_count', sa.Integer(), nullable=True),
    sa.Column('booth_mode', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('registration_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('request_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('request_expiry_hours', sa.Integer(), nullable=True),
    sa.Column('request_quota', sa.Integer(), nullable=True),
    sa.Column('max_meetings_per_participant', sa.Integer(), nullable=True),
    sa.Column('pairing', sa.String(length=20), nullable=False),
    sa.Column('weight_set_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("pairing IN ('client_provider', 'any')", name=op.f('ck_events_pairing')),
    sa.CheckConstraint("status IN ('draft', 'registration_open', 'requests_open', 'scheduling', 'published', 'closed')", name=op.f('ck_events_status')),
    sa.CheckConstraint('booth_mode OR table_count >= 1', name=op.f('ck_events_tables_or_booths')),
    sa.CheckConstraint('length(name) > 0', name=op.f('ck_events_name_not_empty')),
    sa.CheckConstraint('max_meetings_per_participant IS NULL OR max_meetings_per_participant >= 1', name=op.f('ck_events_max_meetings_positive')),
    sa.CheckConstraint('request_expiry_hours IS NULL OR request_expiry_hours >= 1', name=op.f('ck_events_expiry_positive')),
    sa.CheckConstraint('request_quota IS NULL OR request_quota >= 1', name=op.f('ck_events_quota_positive')),
    sa.CheckConstraint('slot_minutes >= 10 AND slot_minutes <= 60', name=op.f('ck_events_slot_minutes_range')),
    sa.CheckConstraint('table_count IS NULL OR table_count >= 1', name=op.f('ck_events_table_count_positive')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_events_version_positive')),
    sa.ForeignKeyConstraint(['organiser_id'], ['organisations.id'], name=op.f('fk_events_organiser_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['weight_set_id'], ['scoring_weight_sets.id'], name=op.f('fk_events_weight_set_id_scoring_weight_sets'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_organiser_id'), ['organiser_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_status'), ['status'], unique=False)

    op.create_table('event_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('opens_at', sa.Time(), nullable=False),
    sa.Column('closes_at', sa.Time(), nullable=False),
    sa.Column('afternoon_from', sa.Time(), nullable=True),
    sa.CheckConstraint('afternoon_from IS NULL OR (afternoon_from > opens_at AND afternoon_from < closes_at)', name=op.f('ck_event_days_afternoon_within_hours')),
    sa.CheckConstraint('opens_at < closes_at', name=op.f('ck_event_days_hours_order')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_days_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_days')),
    sa.UniqueConstraint('event_id', 'day', name=op.f('uq_event_days_event_id_day'))
    )
    with op.batch_alter_table('event_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_days_event_id'), ['event_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email_status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("email_status IN ('none', 'pending', 'sent', 'failed')", name=op.f('ck_notifications_email_status')),
    sa.CheckConstraint("kind IN ('request_received', 'request_accepted', 'request_declined', 'request_cancelled', 'request_expired', 'registration_received', 'registration_approved', 'registration_refused', 'event_reminder', 'password_reset', 'invitation')", name=op.f('ck_notifications_kind')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_notifications_attempts_non_negative')),
    sa.CheckConstraint('user_id IS NOT NULL OR email IS NOT NULL', name=op.f('ck_notifications_has_recipient')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_notifications_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_email_status'), ['email_status'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_next_attempt_at'), ['next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_user_id'), ['user_id'], unique=False)

    op.create_table('participations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('refusal_reason', sa.Text(), nullable=True),
    sa.Column('max_meetings', sa.Integer(), nullable=True),
    sa.Column('booth_table', sa.Integer(), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'approved', 'refused', 'withdrawn')", name=op.f('ck_participations_status')),
    sa.CheckConstraint('booth_table IS NULL OR booth_table >= 1', name=op.f('ck_participations_booth_table_positive')),
    sa.CheckConstraint('max_meetings IS NULL OR max_meetings >= 0', name=op.f('ck_participations_max_meetings')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_participations_version_positive')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_participations_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_participations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_participations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_participations_registered_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participations')),
    sa.UniqueConstraint('event_id', 'booth_table', name=op.f('uq_participations_event_id_booth_table')),
    sa.UniqueConstraint('event_id', 'organisation_id', name=op.f('uq_participations_event_id_organisation_id'))
    )
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participations_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participations_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participations_status'), ['status'], unique=False)

    op.create_table('attendees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('length(full_name) > 0', name=op.f('ck_attendees_name_not_empty')),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_attendees_participation_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attendees_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendees'))
    )
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendees_participation_id'), ['participation_id'], unique=False)

    op.create_table('event_breaks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_day_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=False),
    sa.Column('ends_at', sa.Time(), nullable=False),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_event_breaks_order')),
    sa.ForeignKeyConstraint(['event_day_id'], ['event_days.id'], name=op.f('fk_event_breaks_event_day_id_event_days'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_breaks'))
    )
    with op.batch_alter_table('event_breaks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_breaks_event_day_id'), ['event_day_id'], unique=False)

    op.create_table('event_slots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('event_day_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('session', sa.String(length=20), nullable=False),
    sa.CheckConstraint('position >= 0', name=op.f('ck_event_slots_position_non_negative')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_event_slots_order')),
    sa.ForeignKeyConstraint(['event_day_id'], ['event_days.id'], name=op.f('fk_event_slots_event_day_id_event_days'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_slots_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_slots')),
    sa.UniqueConstraint('event_id', 'position', name=op.f('uq_event_slots_event_id_position')),
    sa.UniqueConstraint('event_id', 'starts_at', name=op.f('uq_event_slots_event_id_starts_at'))
    )
    with op.batch_alter_table('event_slots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_slots_event_day_id'), ['event_day_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_slots_event_id'), ['event_id'], unique=False)

    op.create_table('meeting_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("level IN ('must_meet', 'would_like', 'no_thanks')", name=op.f('ck_meeting_preferences_level')),
    sa.CheckConstraint('owner_id <> target_id', name=op.f('ck_meeting_preferences_not_self')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_meeting_preferences_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['participations.id'], name=op.f('fk_meeting_preferences_owner_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['participations.id'], name=op.f('fk_meeting_preferences_target_id_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_preferences')),
    sa.UniqueConstraint('owner_id', 'target_id', name=op.f('uq_meeting_preferences_owner_id_target_id'))
    )
    with op.batch_alter_table('meeting_preferences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_preferences_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_preferences_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_preferences_target_id'), ['target_id'], unique=False)

    op.create_table('meeting_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('pair_low', sa.Integer(), nullable=False),
    sa.Column('pair_high', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.CheckConstraint("status IN ('pending', 'accepted', 'declined', 'cancelled', 'expired')", name=op.f('ck_meeting_requests_status')),
    sa.CheckConstraint('(pair_low = sender_id AND pair_high = recipient_id) OR (pair_low = recipient_id AND pair_high = sender_id)', name=op.f('ck_meeting_requests_pair_matches')),
    sa.CheckConstraint('pair_low < pair_high', name=op.f('ck_meeting_requests_pair_order')),
    sa.CheckConstraint('sender_id <> recipient_id', name=op.f('ck_meeting_requests_not_self')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_meeting_requests_version_positive')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_meeting_requests_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_meeting_requests_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['participations.id'], name=op.f('fk_meeting_requests_recipient_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['participations.id'], name=op.f('fk_meeting_requests_sender_id_participations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_meeting_requests_sent_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_requests')),
    sa.UniqueConstraint('event_id', 'pair_low', 'pair_high', name=op.f('uq_meeting_requests_event_id_pair_low_pair_high'))
    )
    with op.batch_alter_table('meeting_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_requests_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_requests_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_requests_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_requests_sender_id'), ['sender_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_requests_status'), ['status'], unique=False)

    op.create_table('participation_unavailabilities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('day', 'half_day', 'slot')", name=op.f('ck_participation_unavailabilities_kind')),
    sa.CheckConstraint('starts_at < ends_at', name=op.f('ck_participation_unavailabilities_order')),
    sa.ForeignKeyConstraint(['participation_id'], ['participations.id'], name=op.f('fk_participation_unavailabilities_participation_id_participations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_unavailabilities')),
    sa.UniqueConstraint('participation_id', 'starts_at', name=op.f('uq_participation_unavailabilities_participation_id_starts_at'))
    )
    with op.batch_alter_table('participation_unavailabilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_unavailabilities_participation_id'), ['participation_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=5), server_default='en', nullable=False))
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('timezone')
        batch_op.drop_column('locale')

    with op.batch_alter_table('participation_unavailabilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participation_unavailabilities_participation_id'))

    op.drop_table('participation_unavailabilities')
    with op.batch_alter_table('meeting_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_requests_status'))
        batch_op.drop_index(batch_op.f('ix_meeting_requests_sender_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_requests_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_requests_expires_at'))
        batch_op.drop_index(batch_op.f('ix_meeting_requests_event_id'))

    op.drop_table('meeting_requests')
    with op.batch_alter_table('meeting_preferences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_preferences_target_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_preferences_owner_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_preferences_event_id'))

    op.drop_table('meeting_preferences')
    with op.batch_alter_table('event_slots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_slots_event_id'))
        batch_op.drop_index(batch_op.f('ix_event_slots_event_day_id'))

    op.drop_table('event_slots')
    with op.batch_alter_table('event_breaks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_breaks_event_day_id'))

    op.drop_table('event_breaks')
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendees_participation_id'))

    op.drop_table('attendees')
    with op.batch_alter_table('participations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participations_status'))
        batch_op.drop_index(batch_op.f('ix_participations_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_participations_event_id'))

    op.drop_table('participations')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_user_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_notifications_event_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_email_status'))
        batch_op.drop_index(batch_op.f('ix_notifications_created_at'))

    op.drop_table('notifications')
    with op.batch_alter_table('event_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_days_event_id'))

    op.drop_table('event_days')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_status'))
        batch_op.drop_index(batch_op.f('ix_events_organiser_id'))

    op.drop_table('events')
