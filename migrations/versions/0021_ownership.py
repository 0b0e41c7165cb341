"""ownership and segments: an account manager per office; tags (admin list and free tags) on offices

SQLite rebuilds ``offices`` to add the foreign key; the rebuild keeps AUTOINCREMENT (see 0012).

Revision ID: 0021_ownership
Revises: 0020_stats_indexes
Create Date: 2026-12-07 11:11:03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021_ownership'
down_revision = '0020_stats_indexes'
branch_labels = None
depends_on = None

#: offices' ids are never reused on SQLite (0012): a rebuilt table must keep that
KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}


def upgrade():
    op.create_table('tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('tag_group', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("tag_group IN ('sector', 'size', 'region', 'other', 'free')", name=op.f('ck_tags_tag_group_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tags')),
    sa.UniqueConstraint('name', name=op.f('uq_tags_name'))
    )
    op.create_table('office_tags',
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_office_tags_office_id_offices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tags.id'], name=op.f('fk_office_tags_tag_id_tags'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('office_id', 'tag_id', name=op.f('pk_office_tags'))
    )
    with op.batch_alter_table('office_tags', schema=None) as batch_op:
        batch_op.create_index('ix_office_tags_tag_office', ['tag_id', 'office_id'], unique=False)

    with op.batch_alter_table('offices', schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column('account_manager_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_offices_account_manager_id'), ['account_manager_id'], unique=False)
        batch_op.create_index('ix_offices_city_name', ['visit_city', 'name'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_offices_account_manager_id_users'), 'users', ['account_manager_id'], ['id'], ondelete='SET NULL')



def downgrade():
    with op.batch_alter_table('offices', schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_offices_account_manager_id_users'), type_='foreignkey')
        batch_op.drop_index('ix_offices_city_name')
        batch_op.drop_index(batch_op.f('ix_offices_account_manager_id'))
        batch_op.drop_column('account_manager_id')

    with op.batch_alter_table('office_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_office_tags_tag_office')

    op.drop_table('office_tags')
    op.drop_table('tags')
