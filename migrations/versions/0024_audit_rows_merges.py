"""audit_entries: how many rows an export or import held, and the record a merge folded in

Revision ID: 0024_audit_rows_merges
Revises: 0023_attachments
Create Date: 2026-12-07 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024_audit_rows_merges'
down_revision = '0023_attachments'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('row_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('merged_id', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_column('merged_id')
        batch_op.drop_column('row_count')
