"""api_requests: per-key and per-address request counts for the registrations API rate limit

Revision ID: 0011_api_requests
Revises: 0010_default_rejection_reasons
Create Date: 2026-11-27 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_api_requests'
down_revision = '0010_default_rejection_reasons'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bucket', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_requests'))
    )
    with op.batch_alter_table('api_requests', schema=None) as batch_op:
        batch_op.create_index('ix_api_requests_bucket_at', ['bucket', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_api_requests_at'), ['at'], unique=False)


def downgrade():
    with op.batch_alter_table('api_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_requests_at'))
        batch_op.drop_index('ix_api_requests_bucket_at')
    op.drop_table('api_requests')
