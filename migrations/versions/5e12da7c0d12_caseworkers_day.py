"""A caseworker's working day (issue 12): late blamed at the due time, e-mail texts kept.

deadlines.due_caseworker_id, alerts.body_text for "Udgående post", and
notifications.notifier_note (what was noted of a notifier, an anonymous one too), and
users.language (the language of the user's pages).

deadlines.due_caseworker_id names the caseworker a deadline was due with, when the
case changed hands after that ("met late" is blamed on them, not the new owner).

Revision ID: 5e12da7c0d12
Revises: 7907f60c981f
Create Date: 2026-12-01 21:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e12da7c0d12'
down_revision = '7907f60c981f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=True))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notifier_note', sa.String(length=500), nullable=True))
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('body_text', sa.Text(), nullable=True))
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_caseworker_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_deadlines_due_caseworker_id_users', 'users', ['due_caseworker_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_constraint('fk_deadlines_due_caseworker_id_users', type_='foreignkey')
        batch_op.drop_column('due_caseworker_id')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('body_text')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('notifier_note')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
