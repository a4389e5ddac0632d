"""Alerts that reach someone who can act: the on-call rota, acknowledgements, mail trouble.

on_call_shifts (who is on call when), alert_acknowledgements ("Jeg har den"),
mail_troubles (the administrators told once that e-mails are failing); alerts get a
route (on call, SMS, next level), an opaque acknowledgement id, the time it may first
go (send_from: the next opening), and may go to an address
that is no user's (recipient_id NULL, unique per deadline, stage and address).

Revision ID: 7907f60c981f
Revises: 40d9b9924a7a
Create Date: 2026-12-01 21:48:33.494744

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7907f60c981f'
down_revision = '40d9b9924a7a'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('mail_troubles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('noticed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('open_key', sa.String(length=8), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_troubles')),
    sa.UniqueConstraint('open_key', name=op.f('uq_mail_troubles_open_key'))
    )
    op.create_table('on_call_shifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('label', sa.String(length=120), nullable=True),
    sa.Column('sms_email', sa.String(length=254), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_on_call_shifts_created_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_on_call_shifts_user_id_users')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_on_call_shifts_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_on_call_shifts'))
    )
    with op.batch_alter_table('on_call_shifts', schema=None) as batch_op:
        batch_op.create_index('ix_on_call_shifts_period', ['starts_at', 'ends_at'], unique=False)

    op.create_table('alert_acknowledgements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('deadline_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_acknowledgements_alert_id_alerts')),
    sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_alert_acknowledgements_deadline_id_deadlines')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_alert_acknowledgements_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_acknowledgements')),
    sa.UniqueConstraint('deadline_id', 'stage', name='uq_alert_acknowledgements_deadline_stage')
    )
    with op.batch_alter_table('alert_acknowledgements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alert_acknowledgements_deadline_id'), ['deadline_id'], unique=False)

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('route', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('ack_token', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('send_from', sa.DateTime(timezone=True), nullable=True))
        batch_op.alter_column('recipient_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_unique_constraint(batch_op.f('uq_alerts_ack_token'), ['ack_token'])
        batch_op.create_index('uq_alerts_deadline_stage_address', ['deadline_id', 'stage', 'recipient_email'], unique=True, postgresql_where=sa.text('recipient_id IS NULL'), sqlite_where=sa.text('recipient_id IS NULL'))




def downgrade():

    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index('uq_alerts_deadline_stage_address', postgresql_where=sa.text('recipient_id IS NULL'), sqlite_where=sa.text('recipient_id IS NULL'))
        batch_op.drop_constraint(batch_op.f('uq_alerts_ack_token'), type_='unique')
        batch_op.alter_column('recipient_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('send_from')
        batch_op.drop_column('ack_token')
        batch_op.drop_column('route')

    with op.batch_alter_table('alert_acknowledgements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alert_acknowledgements_deadline_id'))

    op.drop_table('alert_acknowledgements')
    with op.batch_alter_table('on_call_shifts', schema=None) as batch_op:
        batch_op.drop_index('ix_on_call_shifts_period')

    op.drop_table('on_call_shifts')
    op.drop_table('mail_troubles')

