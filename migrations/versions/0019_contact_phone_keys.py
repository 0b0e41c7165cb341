"""contacts.phone_key and mobile_key (numbers in one normal form, for the contacts list's search) and an index
on contacts.job_title (the list sorts on it); existing numbers get their keys

Revision ID: 0019_contact_phone_keys
Revises: 0018_stats
Create Date: 2026-12-07 11:55:00

"""
from alembic import op
import sqlalchemy as sa

from praclox import phones


# revision identifiers, used by Alembic.
revision = '0019_contact_phone_keys'
down_revision = '0018_stats'
branch_labels = None
depends_on = None

contacts = sa.table('contacts', sa.column('id', sa.Integer), sa.column('phone', sa.String),
                    sa.column('mobile', sa.String), sa.column('phone_key', sa.String),
                    sa.column('mobile_key', sa.String))


def upgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_key', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('mobile_key', sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f('ix_contacts_phone_key'), ['phone_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_mobile_key'), ['mobile_key'], unique=False)
        batch_op.create_index('ix_contacts_job_title', ['job_title'], unique=False)
    bind = op.get_bind()
    rows = bind.execute(sa.select(contacts.c.id, contacts.c.phone, contacts.c.mobile).where(
        sa.or_(contacts.c.phone.is_not(None), contacts.c.mobile.is_not(None)))).all()
    for contact_id, phone, mobile in rows:
        bind.execute(contacts.update().where(contacts.c.id == contact_id).values(
            phone_key=phones.normalise(phone) or None, mobile_key=phones.normalise(mobile) or None))


def downgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_job_title')
        batch_op.drop_index(batch_op.f('ix_contacts_mobile_key'))
        batch_op.drop_index(batch_op.f('ix_contacts_phone_key'))
        batch_op.drop_column('mobile_key')
        batch_op.drop_column('phone_key')
