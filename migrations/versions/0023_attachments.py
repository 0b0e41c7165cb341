"""attachments: proposals, contracts and minutes on offices and contacts, in the file store

Revision ID: 0023_attachments
Revises: 0022_file_store
Create Date: 2026-12-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0023_attachments'
down_revision = '0022_file_store'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('original_name', sa.Text(), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('file_type', sa.String(length=8), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('proposal', 'contract', 'minutes', 'other')", name=op.f('ck_attachments_kind_known')),
    sa.CheckConstraint("file_type IN ('pdf', 'docx', 'odt', 'xlsx', 'ods', 'png', 'jpeg', 'gif', 'webp')", name=op.f('ck_attachments_type_known')),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_attachments_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name=op.f('fk_attachments_office_id_offices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['stored_name'], ['stored_files.name'], name=op.f('fk_attachments_stored_name_stored_files'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachments_stored_name'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_office_id'), ['office_id'], unique=False)


def downgrade():
    # the attachments' files are rows of the store: they go once the table that names them is gone
    bind = op.get_bind()
    names = [{'name': name} for (name,) in bind.execute(sa.text('SELECT stored_name FROM attachments'))]
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_office_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_contact_id'))
    op.drop_table('attachments')
    if names:
        bind.execute(sa.text('DELETE FROM stored_files WHERE name = :name'), names)
