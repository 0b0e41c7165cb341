"""Deleting a document and placing or lifting a legal hold ask for the password again after 10 minutes."""

from __future__ import annotations

import time

import time_machine
from sqlalchemy import select

from praclox.extensions import db
from tests.applicants.conftest import pdf_bytes
from tests.auth.auth_helpers import login_client


def _document(app, applicant_id: int) -> int:
    from praclox.applicants import documents
    from praclox.applicants.models import Applicant

    with app.test_request_context():
        document = documents.store_document(db.session.get(Applicant, applicant_id), filename="cv.pdf",
                                            data=pdf_bytes(), kind="cv", actor=None)
        db.session.commit()
        return document.id


def test_a_stale_session_must_confirm_the_password_before_a_document_is_deleted(app, make_user, make_applicant):
    from praclox.applicants.models import Document

    applicant_id = make_applicant()
    document_id = _document(app, applicant_id)
    user = make_user("recruiter")
    url = f"/applicants/{applicant_id}/documents/{document_id}/delete"
    referer = {"Referer": f"http://localhost/applicants/{applicant_id}"}
    with time_machine.travel(time.time() - 3600, tick=True) as traveller:
        client = login_client(app, user)
        traveller.shift(11 * 60)
        stale = client.post(url, data={}, headers=referer)
        assert stale.status_code == 302 and stale.headers["Location"].startswith("/account/confirm")
        with app.app_context():
            assert db.session.get(Document, document_id) is not None  # nothing deleted
    fresh = login_client(app, user).post(url, data={}, headers=referer)
    assert fresh.status_code == 302 and f"/applicants/{applicant_id}" in fresh.headers["Location"]
    with app.app_context():
        assert db.session.scalars(select(Document)).all() == []


def test_a_stale_admin_session_must_confirm_the_password_before_a_legal_hold(app, make_user, make_applicant):
    from praclox.applicants.models import Applicant

    applicant_id = make_applicant(status="rejected", decided_on=None)
    admin = make_user("admin")
    with time_machine.travel(time.time() - 3600, tick=True) as traveller:
        client = login_client(app, admin)
        traveller.shift(11 * 60)
        stale = client.post(f"/applicants/{applicant_id}/hold", data={"reason": "Court case"},
                            headers={"Referer": f"http://localhost/applicants/{applicant_id}"})
        assert stale.headers["Location"].startswith("/account/confirm")
    with app.app_context():
        assert db.session.get(Applicant, applicant_id).legal_hold is False
    login_client(app, admin).post(f"/applicants/{applicant_id}/hold", data={"reason": "Court case"})
    with app.app_context():
        assert db.session.get(Applicant, applicant_id).legal_hold is True
