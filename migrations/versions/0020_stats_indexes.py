"""two indexes on interactions for the use analysis: moments per month by kind, and per logging hour

Revision ID: 0020_stats_indexes
Revises: 0019_contact_phone_keys
Create Date: 2026-12-07 12:15:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020_stats_indexes'
down_revision = '0019_contact_phone_keys'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.create_index('ix_interactions_date_kind', ['occurred_on', 'kind'], unique=False)
        batch_op.create_index('ix_interactions_created', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_index('ix_interactions_created')
        batch_op.drop_index('ix_interactions_date_kind')
