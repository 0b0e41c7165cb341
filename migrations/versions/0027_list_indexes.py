"""list indexes: follow-ups open/done in the list's order, open per office, done by date (partial, in place of
(done_at, due_on), which SQLite without statistics took for "done_at IS NULL"); contact moments by date and id

Revision ID: 0027_list_indexes
Revises: 0026_office_name_blocks
Create Date: 2026-12-07 15:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027_list_indexes'
down_revision = '0026_office_name_blocks'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_follow_ups_open_list', ['due_on', 'id'], unique=False,
                              postgresql_where=sa.text('done_at IS NULL'), sqlite_where=sa.text('done_at IS NULL'))
        batch_op.create_index('ix_follow_ups_done_list', ['due_on', 'id'], unique=False,
                              postgresql_where=sa.text('done_at IS NOT NULL'),
                              sqlite_where=sa.text('done_at IS NOT NULL'))
        batch_op.create_index('ix_follow_ups_office_open', ['office_id', 'due_on'], unique=False,
                              postgresql_where=sa.text('done_at IS NULL'), sqlite_where=sa.text('done_at IS NULL'))
        batch_op.create_index('ix_follow_ups_done_at', ['done_at', 'id'], unique=False,
                              postgresql_where=sa.text('done_at IS NOT NULL'),
                              sqlite_where=sa.text('done_at IS NOT NULL'))
        batch_op.drop_index('ix_follow_ups_done_due')
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_index('ix_interactions_date')
        batch_op.create_index('ix_interactions_date', ['occurred_on', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_index('ix_interactions_date')
        batch_op.create_index('ix_interactions_date', ['occurred_on'], unique=False)
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index('ix_follow_ups_done_due', ['done_at', 'due_on'], unique=False)
        batch_op.drop_index('ix_follow_ups_done_at')
        batch_op.drop_index('ix_follow_ups_office_open')
        batch_op.drop_index('ix_follow_ups_done_list')
        batch_op.drop_index('ix_follow_ups_open_list')
