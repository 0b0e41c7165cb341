"""follow-ups in calendar feeds (a per-feed choice); indexes for the follow-up list and the activity timeline

Revision ID: 0015_follow_ups_timeline
Revises: 0014_outbox
Create Date: 2026-12-07 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015_follow_ups_timeline'
down_revision = '0014_outbox'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('date_feeds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('include_follow_ups', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_follow_ups_done_due', ['done_at', 'due_on'], unique=False)
        batch_op.create_index('ix_follow_ups_done_by', ['done_by_id', 'done_at'], unique=False)
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_index('ix_interactions_logged_by_id')
        batch_op.create_index('ix_interactions_date', ['occurred_on'], unique=False)
        batch_op.create_index('ix_interactions_user_date', ['logged_by_id', 'occurred_on'], unique=False)
    with op.batch_alter_table('date_congratulations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_date_congratulations_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('date_congratulations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_date_congratulations_created_at'))
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_index('ix_interactions_user_date')
        batch_op.drop_index('ix_interactions_date')
        batch_op.create_index('ix_interactions_logged_by_id', ['logged_by_id'], unique=False)
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index('ix_follow_ups_done_by')
        batch_op.drop_index('ix_follow_ups_done_due')
    with op.batch_alter_table('date_feeds', schema=None) as batch_op:
        batch_op.drop_column('include_follow_ups')
