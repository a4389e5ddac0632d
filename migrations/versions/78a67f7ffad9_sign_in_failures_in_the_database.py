"""Failed sign-ins in the database, so the login throttle holds across workers and hosts.

One row per failed password sign-in: the SHA-256 of the e-mail tried, the address, the
time (tracker.people.throttle). Replaces Flask-Limiter's per-process memory store.

Revision ID: 78a67f7ffad9
Revises: 991e3c1002a3
Create Date: 2026-12-01 20:51:29.948263

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '78a67f7ffad9'
down_revision = '991e3c1002a3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=45), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_failures'))
    )
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.create_index('ix_sign_in_failures_account_at', ['account', 'at'], unique=False)
        batch_op.create_index('ix_sign_in_failures_address_at', ['address', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_failures_at'), ['at'], unique=False)



def downgrade():
    with op.batch_alter_table('sign_in_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_failures_at'))
        batch_op.drop_index('ix_sign_in_failures_address_at')
        batch_op.drop_index('ix_sign_in_failures_account_at')

    op.drop_table('sign_in_failures')
