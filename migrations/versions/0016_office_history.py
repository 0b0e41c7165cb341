"""office_conversions (a prospect became a client, in the office's history), contacts.notes (encrypted),
interactions.edited_at (a logged contact moment was changed)

Revision ID: 0016_office_history
Revises: 0015_follow_ups_timeline
Create Date: 2026-12-07 11:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016_office_history'
down_revision = '0015_follow_ups_timeline'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('office_conversions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('converted_at', sa.DateTime(), nullable=False),
    sa.Column('converted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['converted_by_id'], ['users.id'], name=op.f('fk_office_conversions_converted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_office_conversions_office_id_offices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office_conversions'))
    )
    with op.batch_alter_table('office_conversions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_conversions_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_conversions_converted_at'), ['converted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_office_conversions_converted_by_id'), ['converted_by_id'], unique=False)
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notes', sa.Text(), nullable=True))
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.drop_column('edited_at')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('notes')
    with op.batch_alter_table('office_conversions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_conversions_converted_by_id'))
        batch_op.drop_index(batch_op.f('ix_office_conversions_converted_at'))
        batch_op.drop_index(batch_op.f('ix_office_conversions_office_id'))
    op.drop_table('office_conversions')
