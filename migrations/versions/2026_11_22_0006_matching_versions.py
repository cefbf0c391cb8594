"""Matching versions: change counters bumped by triggers, read by every app process.

A row per index ('providers', 'needs'); triggers bump it in the same transaction as any
insert, update or delete of ``provider_profiles`` / ``needs`` (the services bump a row's
``version`` on every change of its children too), and for both on a change of an
organisation's ``verified`` flag or its deletion. Statement-level on PostgreSQL,
row-level on SQLite (it has no other kind).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = (("provider_profiles", "providers"), ("needs", "needs"))
_SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    table = op.create_table(
        'matching_versions',
        sa.Column('name', sa.String(length=20), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_matching_versions')),
    )
    op.bulk_insert(table, [{"name": "providers", "version": 0},
                           {"name": "needs", "version": 0}])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION bump_matching_version() RETURNS trigger AS $$
            BEGIN
                UPDATE matching_versions SET version = version + 1
                WHERE name = ANY (TG_ARGV);
                RETURN NULL;
            END $$ LANGUAGE plpgsql""")
        for source, name in _TABLES:
            op.execute(f"""
                CREATE TRIGGER bump_matching_{name} AFTER INSERT OR UPDATE OR DELETE
                ON {source} FOR EACH STATEMENT
                EXECUTE FUNCTION bump_matching_version('{name}')""")
        op.execute("""
            CREATE TRIGGER bump_matching_organisations AFTER UPDATE OF verified OR DELETE
            ON organisations FOR EACH STATEMENT
            EXECUTE FUNCTION bump_matching_version('providers', 'needs')""")
        return
    for source, name in _TABLES:
        for event in _SQLITE_EVENTS:
            op.execute(f"""
                CREATE TRIGGER bump_matching_{name}_{event.lower()} AFTER {event} ON {source}
                BEGIN
                    UPDATE matching_versions SET version = version + 1 WHERE name = '{name}';
                END""")
    for event in ("UPDATE OF verified", "DELETE"):
        op.execute(f"""
            CREATE TRIGGER bump_matching_organisations_{event.split()[0].lower()}
            AFTER {event} ON organisations
            BEGIN
                UPDATE matching_versions SET version = version + 1
                WHERE name IN ('providers', 'needs');
            END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER bump_matching_organisations ON organisations")
        for source, name in _TABLES:
            op.execute(f"DROP TRIGGER bump_matching_{name} ON {source}")
        op.execute("DROP FUNCTION bump_matching_version()")
    else:
        op.execute("DROP TRIGGER bump_matching_organisations_update")
        op.execute("DROP TRIGGER bump_matching_organisations_delete")
        for _source, name in _TABLES:
            for event in _SQLITE_EVENTS:
                op.execute(f"DROP TRIGGER bump_matching_{name}_{event.lower()}")
    op.drop_table('matching_versions')
