"""After the purge, not one byte of the applicant is left: no row, no file, no free page, no WAL frame."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from praclox.applicants import documents, purge, services
from praclox.applicants.consent import give_link
from praclox.applicants.models import Applicant, ConsentLink, Document
from praclox.audit.services import record as audit
from praclox.extensions import db
from tests.applicants.conftest import pdf_bytes
from tests.files.support import stored_names, stored_token

DECIDED = date(2026, 1, 5)


def _all_table_text() -> str:
    dump = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(text(f'SELECT * FROM "{table.name}"')):  # noqa: S608
            dump.append(repr(tuple(row)))
    return "\n".join(dump)


def test_purged_applicant_leaves_no_byte_in_tables_files_database_or_wal(app, make_applicant):
    marker = "Quortlefax" + secrets.token_hex(6)
    email = f"{marker.lower()}@example.nl"
    applicant_id = make_applicant(f"Zebediah {marker}", status="rejected", decided_on=DECIDED, email=email,
                                  phone="+31 6 12345678", notes=f"Interview notes about {marker}")
    with app.test_request_context():
        applicant = db.session.get(Applicant, applicant_id)
        documents.store_document(applicant, filename=f"{marker}-cv.pdf", data=pdf_bytes(f"CV of {marker}"),
                                 kind="cv", actor=None)
        services.record_consent(applicant, given_on=DECIDED, method="phone", evidence=f"{marker} said yes",
                                actor=None)
        consent = applicant.consents[0]
        services.withdraw_consent(consent, DECIDED + timedelta(days=1), actor=None)
        give_link(applicant)
        audit("view", applicant, actor=None)
        db.session.commit()
        stored = db.session.scalar(select(Document.stored_name))
        ciphertexts = [
            db.session.scalar(text("SELECT notes FROM applicants")),
            stored_token(app, stored)[60:120].decode("ascii"),
        ]
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the byte-level check reads the SQLite file and its WAL")
        db_path = Path(db.engine.url.database)
        assert marker in _all_table_text()
        # the check below can fail: before the purge the name is on disk, in the database or its WAL
        on_disk = db_path.read_bytes() + Path(f"{db_path}-wal").read_bytes()
        assert marker.encode() in on_disk

    with app.test_request_context():
        counts = purge.purge_due(DECIDED + timedelta(days=28))
        assert counts["purged"] == 1
        dumped = _all_table_text()
        db.session.remove()
        db.engine.dispose()
    for needle in (marker, email, *ciphertexts):
        assert needle not in dumped
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ConsentLink)) == 0
        db.session.remove()
        db.engine.dispose()

    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    instance = Path(app.instance_path)
    assert not (instance / "documents").exists() and stored_names(app) == set()
    needles = [n.encode() for n in (marker, email, *ciphertexts)] + [marker.encode("utf-16-le")]
    files = [p for p in instance.rglob("*") if p.is_file()]
    assert db_path in files
    for path in files:
        content = path.read_bytes()
        for needle in needles:
            assert needle not in content, (path.name, needle[:20])


def test_the_downloaded_document_is_the_uploaded_one_and_is_encrypted_on_disk(app, make_applicant):
    applicant_id = make_applicant()
    data = pdf_bytes("Plain CV text 12345")
    with app.test_request_context():
        document = documents.store_document(db.session.get(Applicant, applicant_id), filename="cv.pdf",
                                            data=data, kind="cv", actor=None)
        db.session.commit()
        stored = document.stored_name
        assert documents.read_document(document) == data
    on_disk = stored_token(app, stored)
    assert b"Plain CV text" not in on_disk and b"%PDF" not in on_disk
    assert "cv" not in stored
    assert not (Path(app.instance_path) / "documents").exists()  # in the database, which every host reaches
