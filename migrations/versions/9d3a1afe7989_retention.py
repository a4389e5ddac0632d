"""Retention: anonymised closed cases, and the one sanctioned deletion from the audit log.

notifications.anonymised_at marks a closed case whose personal data and free text
`tracker purge` removed. The audit log stays append-only, with one exception: a
transaction that has put a row in audit_retention_permits may delete audit rows older
than the permit's `before` (tracker.retention does so and removes the permit in the same
transaction, so no other transaction ever sees one). UPDATE is refused as before.

Revision ID: 9d3a1afe7989
Revises: ec334ba351c2
Create Date: 2026-12-01 19:25:41.908326

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d3a1afe7989'
down_revision = 'ec334ba351c2'
branch_labels = None
depends_on = None

APPEND_ONLY_MESSAGE = "audit_events is append-only"

POSTGRESQL_FUNCTION = """
    CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (
            SELECT 1 FROM audit_retention_permits AS permit WHERE OLD.at < permit.before
        ) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '{message}';
    END;
    $$
"""
POSTGRESQL_UP = [POSTGRESQL_FUNCTION.format(message=APPEND_ONLY_MESSAGE)]
POSTGRESQL_DOWN = [
    f"""
    CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}';
    END;
    $$
    """
]
SQLITE_UP = [
    "DROP TRIGGER IF EXISTS audit_events_no_delete",
    f"""
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    WHEN NOT EXISTS (
        SELECT 1 FROM audit_retention_permits AS permit WHERE OLD.at < permit.before
    )
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END
    """,
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_events_no_delete",
    f"""
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END
    """,
]


def _execute(statements_by_dialect):
    for statement in statements_by_dialect.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('audit_retention_permits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('before', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_retention_permits'))
    )
    _execute({"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP})


def downgrade():
    _execute({"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN})
    op.drop_table('audit_retention_permits')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
