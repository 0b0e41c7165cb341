"""interactions: the use analysis's (date, kind) index widened with the office, in place of the narrower one

The per-office counts (contact moments per account manager and per tag) and the office list's "contacted since"
filter read it alone; (occurred_on, kind) is a prefix of it, so it goes. ix_interactions_date (occurred_on)
stays: SQLite keeps the id after the date in it, which gives "newest first, then by id" (dashboard, timeline)
without a sort.

Revision ID: 0025_interactions_covering_index
Revises: 0024_audit_rows_merges
Create Date: 2026-12-07 15:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0025_interactions_covering_index'
down_revision = '0024_audit_rows_merges'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.create_index('ix_interactions_date_kind_office', ['occurred_on', 'kind', 'office_id'], unique=False)
        batch_op.drop_index('ix_interactions_date_kind')


def downgrade():
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.create_index('ix_interactions_date_kind', ['occurred_on', 'kind'], unique=False)
        batch_op.drop_index('ix_interactions_date_kind_office')
