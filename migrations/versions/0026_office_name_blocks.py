"""offices.name_block: the first letters of the name as the duplicate check compares names, indexed, so one
office's likely twins are one look-up; existing offices get theirs

Revision ID: 0026_office_name_blocks
Revises: 0025_interactions_covering_index
Create Date: 2026-12-07 15:00:00

"""
from alembic import op
import sqlalchemy as sa

from praclox.offices.twins import name_block


# revision identifiers, used by Alembic.
revision = '0026_office_name_blocks'
down_revision = '0025_interactions_covering_index'
branch_labels = None
depends_on = None

offices = sa.table('offices', sa.column('id', sa.Integer), sa.column('name', sa.String),
                   sa.column('name_block', sa.String))


def upgrade():
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_block', sa.String(length=8), nullable=True))
        batch_op.create_index(batch_op.f('ix_offices_name_block'), ['name_block'], unique=False)
    bind = op.get_bind()
    for office_id, name in bind.execute(sa.select(offices.c.id, offices.c.name)).all():
        block = name_block(name)
        if block:
            bind.execute(offices.update().where(offices.c.id == office_id).values(name_block=block))


def downgrade():
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offices_name_block'))
        batch_op.drop_column('name_block')
