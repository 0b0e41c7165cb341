"""privacy review items: what an erasure could not decide, for the privacy officer

Revision ID: 0008_review_items
Revises: 0007_security
Create Date: 2026-11-27 11:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0008_review_items'
down_revision = '0007_security'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'privacy_review_items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('tombstone_id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('record_type', sa.String(length=64), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('columns', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.Column('resolved_by_id', sa.Integer(), nullable=True),
        sa.Column('resolution', sa.String(length=16), nullable=True),
        sa.CheckConstraint("resolution IS NULL OR resolution IN ('corrected', 'kept')",
                           name=op.f('ck_privacy_review_items_resolution_known')),
        sa.ForeignKeyConstraint(['request_id'], ['privacy_requests.id'],
                                name=op.f('fk_privacy_review_items_request_id_privacy_requests'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'],
                                name=op.f('fk_privacy_review_items_resolved_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['tombstone_id'], ['privacy_tombstones.id'],
                                name=op.f('fk_privacy_review_items_tombstone_id_privacy_tombstones'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_review_items')),
    )
    with op.batch_alter_table('privacy_review_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_privacy_review_items_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_privacy_review_items_tombstone_id'), ['tombstone_id'], unique=False)


def downgrade():
    with op.batch_alter_table('privacy_review_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_privacy_review_items_tombstone_id'))
        batch_op.drop_index(batch_op.f('ix_privacy_review_items_request_id'))
    op.drop_table('privacy_review_items')
