"""offices.email_key, website_key and phone_key (the normal forms the duplicate check compares) and indexes on
them, on offices.kvk_number: one office's likely twins are index look-ups instead of a
scan of every office's address for a suffix; existing offices get their keys. And (term, weight, record) on the
offices' and contacts' search terms: a word's records ranked by weight and newest, read from the index alone

Revision ID: 0028_office_twin_keys
Revises: 0027_list_indexes
Create Date: 2026-12-07 18:20:00

"""
from alembic import op
import sqlalchemy as sa

from praclox.offices.twins import twin_key


# revision identifiers, used by Alembic.
revision = '0028_office_twin_keys'
down_revision = '0027_list_indexes'
branch_labels = None
depends_on = None

KEYS = ('email', 'website', 'phone')
offices = sa.table('offices', sa.column('id', sa.Integer), *(sa.column(c, sa.String) for c in KEYS),
                   *(sa.column(f'{c}_key', sa.String) for c in KEYS))


def upgrade():
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_key', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('website_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('phone_key', sa.String(length=30), nullable=True))
        for column in ('email_key', 'website_key', 'phone_key', 'kvk_number'):
            batch_op.create_index(batch_op.f(f'ix_offices_{column}'), [column], unique=False)
    for table in ('office_search_terms', 'contact_search_terms'):
        op.create_index(f'ix_{table}_rank', table, ['term', 'weight', 'record_id'], unique=False)
    bind = op.get_bind()
    rows = bind.execute(sa.select(offices.c.id, *(offices.c[c] for c in KEYS)).where(
        sa.or_(*(offices.c[c].is_not(None) for c in KEYS)))).all()
    for row in rows:
        bind.execute(offices.update().where(offices.c.id == row.id).values(
            {f'{c}_key': twin_key(c, getattr(row, c)) for c in KEYS}))


def downgrade():
    for table in ('office_search_terms', 'contact_search_terms'):
        op.drop_index(f'ix_{table}_rank', table_name=table)
    with op.batch_alter_table('offices', schema=None) as batch_op:
        for column in ('kvk_number', 'phone_key', 'website_key', 'email_key'):
            batch_op.drop_index(batch_op.f(f'ix_offices_{column}'))
        batch_op.drop_column('phone_key')
        batch_op.drop_column('website_key')
        batch_op.drop_column('email_key')
