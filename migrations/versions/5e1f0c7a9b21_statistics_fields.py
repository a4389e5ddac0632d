"""The fields a municipality reports: gender, notifier sector, several concerns, unborn child.

notifications gains child_gender (every existing row: "unknown"), notifier_sector (None:
not stated) and expected_birth_date (an unborn child). The one concern_category of each
notification moves, without loss, into notification_concerns as its first concern
(position 0); then the column goes. The downgrade puts the first concern back.

Revision ID: 5e1f0c7a9b21
Revises: 5e1a7c2d9b10
Create Date: 2026-12-01 22:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5e1f0c7a9b21"
down_revision = "5e1a7c2d9b10"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "notifications",
        sa.Column("child_gender", sa.String(length=10), nullable=False, server_default="unknown"),
    )
    op.add_column(
        "notifications", sa.Column("notifier_sector", sa.String(length=40), nullable=True)
    )
    op.add_column("notifications", sa.Column("expected_birth_date", sa.Date(), nullable=True))
    op.create_table(
        "notification_concerns",
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"]),
        sa.PrimaryKeyConstraint("notification_id", "position"),
        sa.UniqueConstraint("notification_id", "category", name="uq_notification_concern"),
    )
    op.create_index(
        "ix_notification_concerns_category", "notification_concerns", ["category"], unique=False
    )
    op.execute(
        "INSERT INTO notification_concerns (notification_id, position, category) "
        "SELECT id, 0, concern_category FROM notifications"
    )
    # A plain DROP COLUMN (PostgreSQL; SQLite since 3.35): the column has no index or
    # constraint, and copying the table (batch mode) would touch every foreign key to it.
    op.execute("ALTER TABLE notifications DROP COLUMN concern_category")


def downgrade():
    op.add_column(
        "notifications",
        sa.Column("concern_category", sa.String(length=40), nullable=False, server_default="other"),
    )
    op.execute(
        "UPDATE notifications SET concern_category = (SELECT category FROM notification_concerns "
        "WHERE notification_concerns.notification_id = notifications.id "
        "AND notification_concerns.position = 0) "
        "WHERE EXISTS (SELECT 1 FROM notification_concerns "
        "WHERE notification_concerns.notification_id = notifications.id "
        "AND notification_concerns.position = 0)"
    )
    op.drop_index("ix_notification_concerns_category", table_name="notification_concerns")
    op.drop_table("notification_concerns")
    op.execute("ALTER TABLE notifications DROP COLUMN expected_birth_date")
    op.execute("ALTER TABLE notifications DROP COLUMN notifier_sector")
    op.execute("ALTER TABLE notifications DROP COLUMN child_gender")
