"""The audit log refuses TRUNCATE too (PostgreSQL), whoever runs it.

The row triggers of bbd2a591af17 and 9d3a1afe7989 refuse UPDATE and DELETE; TRUNCATE
fires no row trigger, so `TRUNCATE audit_events` (or a TRUNCATE ... CASCADE from users)
emptied the log. A statement trigger refuses it now. Disabling the triggers needs the
table's owner: in production the app runs as a runtime role that owns nothing
(`tracker db grant-runtime-role`). SQLite has no TRUNCATE.

Revision ID: 991e3c1002a3
Revises: 9d3a1afe7989
Create Date: 2026-12-01 20:16:02.311517

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '991e3c1002a3'
down_revision = '9d3a1afe7989'
branch_labels = None
depends_on = None

UP = [
    """
    CREATE FUNCTION audit_events_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_events is append-only';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_no_truncate()
    """,
]
DOWN = [
    "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events",
    "DROP FUNCTION IF EXISTS audit_events_no_truncate()",
]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in UP:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in DOWN:
            op.execute(statement)
