"""alerts: the outbox of deadline alerts and daily digests

Revision ID: 0f3bbf54f5d8
Revises: c4c1fbd39ae8
Create Date: 2026-11-24 01:06:16.575837

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0f3bbf54f5d8'
down_revision = 'c4c1fbd39ae8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deadline_id', sa.Integer(), nullable=True),
    sa.Column('notification_id', sa.Integer(), nullable=True),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('digest_date', sa.Date(), nullable=True),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('recipient_email', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('message_id', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_alerts_deadline_id_deadlines')),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], name=op.f('fk_alerts_notification_id_notifications')),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_alerts_recipient_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('deadline_id', 'stage', 'recipient_id', name='uq_alerts_deadline_stage'),
    sa.UniqueConstraint('recipient_id', 'digest_date', name='uq_alerts_recipient_digest_date')
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index('ix_alerts_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_alerts_pending_next_attempt_at', ['next_attempt_at'], unique=False, postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))



def downgrade():
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index('ix_alerts_pending_next_attempt_at', postgresql_where=sa.text("status = 'pending'"), sqlite_where=sa.text("status = 'pending'"))
        batch_op.drop_index('ix_alerts_created_at')

    op.drop_table('alerts')
