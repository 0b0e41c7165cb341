"""search index: keyed terms of offices, contacts and contact moments, and the key that built them

Revision ID: 0017_search_index
Revises: 0016_office_history
Create Date: 2026-12-07 11:50:00

The index starts empty: run ``praclox search reindex`` once after upgrading (new and changed records are
indexed as they are saved).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017_search_index'
down_revision = '0016_office_history'
branch_labels = None
depends_on = None

TERMS = {'office_search_terms': 'offices', 'contact_search_terms': 'contacts',
         'interaction_search_terms': 'interactions'}


def upgrade():
    for table, target in TERMS.items():
        op.create_table(table,
        sa.Column('term', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('weight', sa.SmallInteger(), nullable=False),
        sa.Column('record_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(['record_id'], [f'{target}.id'], name=op.f(f'fk_{table}_record_id_{target}'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('term', 'record_id', name=op.f(f'pk_{table}'))
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_record_id'), ['record_id'], unique=False)
    state = op.create_table('search_index_state',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('key_check', sa.String(length=32), nullable=True),
    sa.Column('built_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_index_state'))
    )
    op.bulk_insert(state, [{'id': 1}])


def downgrade():
    op.drop_table('search_index_state')
    for table in reversed(TERMS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_record_id'))
        op.drop_table(table)
