"""endpoint_uses: page opens per endpoint per day for the use analysis; wishes.done_on for time to done

Revision ID: 0018_stats
Revises: 0017_search_index
Create Date: 2026-12-07 11:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_stats'
down_revision = '0017_search_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('endpoint_uses',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('endpoint', sa.String(length=120), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint('count > 0', name=op.f('ck_endpoint_uses_count_positive')),
    sa.PrimaryKeyConstraint('day', 'endpoint', name=op.f('pk_endpoint_uses'))
    )
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('done_on', sa.Date(), nullable=True))
    # wishes done before this release: the last change is the best day known for "done"
    wishes = sa.table('wishes', sa.column('status', sa.String), sa.column('updated_at', sa.DateTime),
                      sa.column('done_on', sa.Date))
    sqlite = op.get_bind().dialect.name == 'sqlite'
    day = sa.func.date(wishes.c.updated_at) if sqlite else sa.cast(wishes.c.updated_at, sa.Date)
    op.execute(wishes.update().where(wishes.c.status == 'done').values(done_on=day))


def downgrade():
    with op.batch_alter_table('wishes', schema=None) as batch_op:
        batch_op.drop_column('done_on')
    op.drop_table('endpoint_uses')
