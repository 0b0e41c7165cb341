"""stored_files: one encrypted file store in the database; applicants' documents move into it

Before, each document was a file in one host's instance/documents; a second app host could not read it. The
store's rows hold the same Fernet tokens the files held (copied as they are: no key is needed, and a later
``praclox keys rotate`` re-encrypts them like any stored file). A document row whose file is missing could
never be downloaded; it is removed, and the count is logged. The files themselves stay until the
``documents-sweep`` job (or ``praclox retention sweep-documents``) removes those the store holds: only after
this migration has committed.

Downgrade writes the applicants' documents back into instance/documents and drops the store.

Revision ID: 0022_file_store
Revises: 0021_ownership
Create Date: 2026-12-07 11:40:00

"""
import logging
import os
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from flask import current_app

revision = '0022_file_store'
down_revision = '0021_ownership'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

stored_files = sa.table(
    'stored_files', sa.column('name', sa.String), sa.column('content', sa.LargeBinary),
    sa.column('stored_at', sa.DateTime))
documents = sa.table(
    'applicant_documents', sa.column('id', sa.Integer), sa.column('stored_name', sa.String),
    sa.column('uploaded_at', sa.DateTime))


def _folder() -> Path:
    return Path(current_app.instance_path) / 'documents'


def _move_documents_in(bind) -> None:
    folder, moved, missing = _folder(), 0, []
    rows = bind.execute(sa.select(documents.c.id, documents.c.stored_name, documents.c.uploaded_at)
                        .order_by(documents.c.id)).all()
    for row in rows:
        try:
            token = (folder / row.stored_name).read_bytes()
        except FileNotFoundError:
            missing.append(row.id)
            continue
        bind.execute(stored_files.insert().values(name=row.stored_name, content=token, stored_at=row.uploaded_at))
        moved += 1
    if missing:
        bind.execute(documents.delete().where(documents.c.id.in_(missing)))
        log.warning("%d applicant document row(s) named a file that was missing; removed", len(missing))
    log.info("moved %d applicant document(s) into the file store", moved)


def upgrade():
    op.create_table('stored_files',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('stored_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_stored_files'))
    )
    _move_documents_in(op.get_bind())
    with op.batch_alter_table('applicant_documents', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_applicant_documents_stored_name_stored_files'), 'stored_files',
                                    ['stored_name'], ['name'], ondelete='RESTRICT')


def downgrade():
    bind = op.get_bind()
    folder = _folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name, token in bind.execute(
            sa.select(stored_files.c.name, stored_files.c.content)
            .where(stored_files.c.name.in_(sa.select(documents.c.stored_name)))).all():
        descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, 'wb') as handle:
            handle.write(token)
    with op.batch_alter_table('applicant_documents', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_applicant_documents_stored_name_stored_files'), type_='foreignkey')
    op.drop_table('stored_files')
