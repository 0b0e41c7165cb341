"""The upgrade moves the documents an older version kept as files in instance/documents into the file store:
each still downloads as it was uploaded, a row whose file was missing is gone, and the sweep then removes
the copied files, never before the upgrade committed. Downgrade writes them back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from praclox import create_app, crypto
from praclox.applicants import documents
from praclox.applicants.models import Document
from praclox.extensions import db
from praclox.files.sweep import sweep_orphans
from tests.applicants.conftest import docx_bytes, pdf_bytes
from tests.conftest import make_config

BEFORE = "0021_ownership"


@pytest.fixture
def old_install(tmp_path, pg_database):
    if pg_database:
        pytest.skip("the data move is the same SQL on both; the schema on PostgreSQL is test_migrations.py's")
    app = create_app(make_config(tmp_path, None))
    with app.app_context():
        upgrade(revision=BEFORE)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _insert(table: str, **values) -> int:
    """A row as the old version wrote it: into the table as the old schema has it (reflected), not through
    today's models and services, whose audit entries and columns that schema does not know yet."""
    old = sa.Table(table, sa.MetaData(), autoload_with=db.session.connection())
    return db.session.execute(old.insert().values(**values)).inserted_primary_key[0]


def _document_as_the_old_version_kept_it(app, applicant_id: int, name: str, data: bytes, file_type: str) -> str:
    """The row, and the encrypted file under a random name in instance/documents (0600), as before."""
    count = db.session.scalar(text("SELECT count(*) FROM applicant_documents"))
    stored = f"{count:02d}" + "ab" * 15
    folder = Path(app.instance_path) / "documents"
    folder.mkdir(mode=0o700, exist_ok=True)
    (folder / stored).write_bytes(crypto.encrypt(data))
    _insert("applicant_documents", applicant_id=applicant_id, kind="cv", original_name=crypto.encrypt_text(name),
            stored_name=stored, file_type=file_type, size=len(data), uploaded_at=datetime.now(UTC))
    return stored


def test_the_upgrade_moves_every_document_into_the_store_and_the_sweep_removes_the_old_files(old_install):
    app = old_install
    cv, letter = pdf_bytes("CV of Sanne"), docx_bytes("Dear sir")
    with app.test_request_context():
        now = datetime.now(UTC)
        vacancy = _insert("vacancies", title="Developer", is_open=True, created_at=now, updated_at=now)
        applicant = _insert("applicants", vacancy_id=vacancy, name="Sanne", email="s@example.nl",
                            applied_on=now.date(), status="new", last_activity_on=now.date(), legal_hold=False,
                            created_at=now, updated_at=now)
        kept = [_document_as_the_old_version_kept_it(app, applicant, "cv.pdf", cv, "pdf"),
                _document_as_the_old_version_kept_it(app, applicant, "brief.docx", letter, "docx")]
        lost = _document_as_the_old_version_kept_it(app, applicant, "lost.pdf", cv, "pdf")
        db.session.commit()
    folder = Path(app.instance_path) / "documents"
    (folder / lost).unlink()  # a file an operator lost before the upgrade

    with app.app_context():
        upgrade()
        assert db.session.scalar(text("SELECT count(*) FROM stored_files")) == 2
        by_name = {d.original_name: d for d in db.session.scalars(select(Document))}
        assert sorted(by_name) == ["brief.docx", "cv.pdf"]  # the row without a file could never be read
        assert documents.read_document(by_name["cv.pdf"]) == cv
        assert documents.read_document(by_name["brief.docx"]) == letter
        db.session.rollback()
        # the upgrade copied; the old files stay until the sweep, which reads the committed store
        assert sorted(p.name for p in folder.iterdir()) == sorted(kept)
        counts = sweep_orphans(grace=timedelta(hours=1))
        assert counts["moved"] == 2 and not folder.exists()

        downgrade(revision=BEFORE)
        assert sorted(p.name for p in folder.iterdir()) == sorted(kept)
        assert crypto.decrypt((folder / kept[0]).read_bytes()) == cv
        assert all((folder / name).stat().st_mode & 0o777 == 0o600 for name in kept)
        assert db.session.scalar(select(func.count()).select_from(Document)) == 2
