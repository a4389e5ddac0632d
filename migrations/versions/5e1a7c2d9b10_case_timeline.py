"""The case timeline: one append-only row per thing that happened on a case.

Creates timeline_entries (tracker.models.timeline) and copies every checklist tick
onto it as a step done (same key, who and when), so nothing recorded is lost; the
checklist_ticks table stays, read-only, for the record.

Revision ID: 5e1a7c2d9b10
Revises: 78a67f7ffad9
Create Date: 2026-12-01 21:50:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "5e1a7c2d9b10"
down_revision = "78a67f7ffad9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "timeline_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("step_key", sa.String(length=60), nullable=True),
        sa.Column("deadline_id", sa.Integer(), nullable=True),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_timeline_entries_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["timeline_entries.id"],
            name=op.f("fk_timeline_entries_corrects_id_timeline_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["deadline_id"],
            ["deadlines.id"],
            name=op.f("fk_timeline_entries_deadline_id_deadlines"),
        ),
        sa.ForeignKeyConstraint(
            ["notification_id"],
            ["notifications.id"],
            name=op.f("fk_timeline_entries_notification_id_notifications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timeline_entries")),
    )
    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_timeline_entries_notification_occurred",
            ["notification_id", "occurred_at"],
            unique=False,
        )

    # The old checklist ticks become steps done on the timeline (their keys stay readable:
    # the card file's [retired_steps] names them).
    op.execute(
        "INSERT INTO timeline_entries"
        " (notification_id, kind, occurred_at, recorded_at, actor_id, step_key)"
        " SELECT notification_id, 'step_done', ticked_at, ticked_at, ticked_by_id, item_key"
        " FROM checklist_ticks ORDER BY ticked_at, id"
    )


def downgrade():
    with op.batch_alter_table("timeline_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_timeline_entries_notification_occurred")

    op.drop_table("timeline_entries")
