"""The applicants domain answers the privacy toolkit: declared fields, find, export, erase."""

from __future__ import annotations

import base64

from sqlalchemy import func, select

from praclox.applicants import documents
from praclox.applicants.models import Applicant, Tombstone
from praclox.extensions import db
from praclox.privacy.registry import SubjectQuery, all_fields, domains
from tests.applicants.conftest import pdf_bytes
from tests.files.support import stored_names


def test_every_personal_column_is_declared_for_recruiters_and_admins(app):
    with app.app_context():
        declared = {(f.table, f.column) for f in all_fields() if f.table.startswith("applicant")}
        for column in ("name", "email", "phone", "notes", "source", "applied_on"):
            assert ("applicants", column) in declared
        assert ("applicant_documents", "original_name") in declared
        assert ("applicant_consents", "evidence") in declared
        assert all(f.visible_to == ("recruiter", "admin") for f in domains()["applicants"].FIELDS)
        encrypted = {(f.table, f.column) for f in domains()["applicants"].FIELDS if f.encrypted}
        assert ("applicants", "notes") in encrypted


def test_find_export_and_erase_an_applicant(app, make_applicant):
    applicant_id = make_applicant("Fleur Jansen", email="fleur@example.nl", notes="Good interview")
    make_applicant("Someone Else", email="else@example.nl")
    data = pdf_bytes("Fleur's CV")
    with app.test_request_context():
        documents.store_document(db.session.get(Applicant, applicant_id), filename="cv.pdf", data=data, kind="cv",
                                 actor=None)
        db.session.commit()
        module = domains()["applicants"]
        hits = module.find(SubjectQuery(email="FLEUR@example.nl"))
        assert [h.record_id for h in hits] == [applicant_id]
        assert [h.record_id for h in module.find(SubjectQuery(name="jans"))] == [applicant_id]
        tables = module.export(hits)
        exported = tables["applicants"][0]
        assert exported["notes"] == "Good interview" and exported["name"] == "Fleur Jansen"
        assert base64.b64decode(tables["applicant_documents"][0]["content"]) == data
        counts = module.erase(hits, actor=None)
        db.session.commit()
        assert counts["applicants"] == 1
        assert db.session.get(Applicant, applicant_id) is None
        assert db.session.scalar(select(Tombstone.rule)) == "erasure_request"
        assert db.session.scalar(select(func.count()).select_from(Applicant)) == 1
    assert stored_names(app) == set()


def test_erased_document_files_go_with_the_commit_and_stay_after_a_rollback(app, make_applicant):
    applicant_id = make_applicant()
    with app.test_request_context():
        documents.store_document(db.session.get(Applicant, applicant_id), filename="cv.pdf", data=pdf_bytes(),
                                 kind="cv", actor=None)
        db.session.commit()
        module = domains()["applicants"]
        module.erase(module.find(SubjectQuery(name="Sanne")), actor=None)
        assert len(stored_names(app)) == 1  # another connection still sees it: not committed
        db.session.rollback()
        assert len(stored_names(app)) == 1
        assert db.session.get(Applicant, applicant_id) is not None
        module.erase(module.find(SubjectQuery(name="Sanne")), actor=None)
        db.session.commit()
    assert stored_names(app) == set()
