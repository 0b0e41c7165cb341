"""The recruiter's pages: applicants, status with reasons, documents, consent, legal hold; and bad input."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from praclox.applicants.models import Applicant, Document, StatusChange
from praclox.audit.models import AuditEntry
from praclox.clock import today
from praclox.extensions import db
from tests.applicants.conftest import docx_bytes, odt_bytes, pdf_bytes
from tests.files.support import stored_names


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_pages_render_for_a_recruiter(app, login_as, make_applicant, make_reason):
    recruiter = login_as("recruiter")
    make_reason()
    applicant_id = make_applicant()
    for url in ("/applicants/", "/applicants/new", f"/applicants/{applicant_id}",
                f"/applicants/{applicant_id}/edit", "/applicants/vacancies", "/applicants/vacancies/1/edit",
                "/applicants/?q=sanne&status=new&vacancy=1"):
        response = recruiter.get(url)
        assert response.status_code == 200, (url, response.data[:500])


def test_staff_and_privacy_officer_never_see_applicants(app, login_as, make_applicant):
    applicant_id = make_applicant()
    for role in ("staff", "privacy_officer"):
        client = login_as(role)
        for url in ("/applicants/", f"/applicants/{applicant_id}", "/applicants/vacancies"):
            assert client.get(url).status_code == 403
        assert b"Sanne" not in client.get("/").data


def test_anonymous_is_sent_to_login(client, make_applicant):
    applicant_id = make_applicant()
    response = client.get(f"/applicants/{applicant_id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_recruiter_creates_an_applicant_and_viewing_is_audited(app, login_as, make_vacancy):
    recruiter = login_as("recruiter")
    vacancy_id = make_vacancy()
    response = recruiter.post("/applicants/new", data={
        "name": "Daan Visser", "email": "daan@example.nl", "phone": "06 12345678", "vacancy_id": vacancy_id,
        "applied_on": today().isoformat(), "source": "website", "notes": "Strong in SQL",
    })
    assert response.status_code == 302
    with app.app_context():
        applicant = db.session.scalar(select(Applicant))
        assert applicant.notes == "Strong in SQL"
        raw = db.session.execute(text("SELECT notes FROM applicants")).scalar()
        assert "Strong" not in raw
    recruiter.get(response.headers["Location"])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "view", AuditEntry.record_type == "applicants")) == 1


@pytest.mark.parametrize("data", [
    {"name": "x" * 201},
    {"name": "Bad\x00Name"},
    {"name": "Anna", "email": "not-an-address"},
    {"name": "Anna", "vacancy_id": "abc"},
    {"name": "Anna", "vacancy_id": "99999"},
    {"name": "Anna", "applied_on": "2026-13-45"},
    {"name": "Anna", "applied_on": (date.today() + timedelta(days=400)).isoformat()},  # noqa: DTZ011
    {"name": "Anna", "phone": "<script>alert(1)</script>"},
])
def test_bad_applicant_input_is_refused_and_nothing_is_saved(app, login_as, make_vacancy, data):
    recruiter = login_as("recruiter")
    vacancy_id = make_vacancy()
    form = {"name": "Anna", "vacancy_id": vacancy_id, "applied_on": today().isoformat(), **data}
    response = recruiter.post("/applicants/new", data=form)
    assert response.status_code == 422
    assert _count(app, Applicant) == 0


def test_html_in_a_name_is_shown_escaped(app, login_as, make_applicant):
    recruiter = login_as("recruiter")
    applicant_id = make_applicant("<script>alert(1)</script>")
    page = recruiter.get(f"/applicants/{applicant_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_rejection_needs_a_reason_and_is_recorded_in_the_history(app, login_as, make_applicant, make_reason):
    recruiter = login_as("recruiter")
    reason_id = make_reason()
    applicant_id = make_applicant()
    url = f"/applicants/{applicant_id}/status"
    no_reason = recruiter.post(url, data={"to_status": "rejected", "decided_on": today().isoformat()})
    assert no_reason.status_code == 422 and "Kies een reden" in no_reason.get_data(as_text=True)
    future = recruiter.post(url, data={"to_status": "rejected", "reason_id": reason_id,
                                       "decided_on": (today() + timedelta(days=1)).isoformat()})
    assert future.status_code == 422
    assert recruiter.post(url, data={"to_status": "hired"}).status_code == 422  # not from "new"
    ok = recruiter.post(url, data={"to_status": "rejected", "reason_id": reason_id,
                                   "decided_on": today().isoformat()})
    assert ok.status_code == 302
    with app.app_context():
        applicant = db.session.get(Applicant, applicant_id)
        assert (applicant.status, applicant.decided_on) == ("rejected", today())
        change = db.session.scalar(select(StatusChange).where(StatusChange.to_status == "rejected"))
        assert change.reason_id == reason_id and change.by_id == recruiter.user.id


@pytest.mark.parametrize(("filename", "data", "expected"), [
    ("cv.pdf", pdf_bytes(), 302),
    ("letter.docx", docx_bytes(), 302),
    ("brief.odt", odt_bytes(), 302),
    ("cv.pdf", docx_bytes(), 422),  # a DOCX named .pdf
    ("cv.docx", b"MZ\x90\x00 an executable", 422),
    ("sheet.odt", odt_bytes(mimetype="application/vnd.oasis.opendocument.spreadsheet"), 422),
    ("empty.pdf", b"", 422),
    ("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), 422),
])
def test_documents_are_checked_by_content(app, login_as, make_applicant, filename, data, expected):
    recruiter = login_as("recruiter")
    applicant_id = make_applicant()
    # the body is built here, in memory: the test client would spool a large one to a file it never closes
    boundary = "praclox-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncv\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    response = recruiter.post(f"/applicants/{applicant_id}/documents", data=body,
                              content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == expected, response.get_data(as_text=True)[:300]
    assert _count(app, Document) == (1 if expected == 302 else 0)
    assert len(stored_names(app)) == (1 if expected == 302 else 0)


def test_download_is_an_attachment_with_the_original_bytes_and_is_audited(app, login_as, make_applicant):
    recruiter = login_as("recruiter")
    applicant_id = make_applicant()
    data = docx_bytes("Hello")
    recruiter.post(f"/applicants/{applicant_id}/documents", data={
        "kind": "letter", "file": (io.BytesIO(data), "Brief Sanne.docx")}, content_type="multipart/form-data")
    with app.app_context():
        document_id = db.session.scalar(select(Document.id))
    response = recruiter.get(f"/applicants/{applicant_id}/documents/{document_id}")
    assert response.status_code == 200 and response.data == data
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Brief" in response.headers["Content-Disposition"]
    assert login_as("staff").get(f"/applicants/{applicant_id}/documents/{document_id}").status_code == 403
    assert recruiter.get(f"/applicants/{applicant_id + 1}/documents/{document_id}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "view", AuditEntry.record_type == "applicant_documents")) == 1


def test_only_an_admin_places_a_legal_hold(app, login_as, make_applicant):
    applicant_id = make_applicant()
    url = f"/applicants/{applicant_id}/hold"
    assert login_as("recruiter").post(url, data={"reason": "Court case"}).status_code == 403
    assert login_as("admin").post(url, data={"reason": "Court case"}).status_code == 302
    with app.app_context():
        applicant = db.session.get(Applicant, applicant_id)
        assert applicant.legal_hold and applicant.legal_hold_reason == "Court case"


def test_recruiter_records_and_withdraws_consent(app, login_as, make_applicant):
    recruiter = login_as("recruiter")
    applicant_id = make_applicant()
    bad = recruiter.post(f"/applicants/{applicant_id}/consent", data={
        "given_on": today().isoformat(), "method": "telepathy", "evidence": "x"})
    assert bad.status_code == 422
    ok = recruiter.post(f"/applicants/{applicant_id}/consent", data={
        "given_on": today().isoformat(), "method": "phone", "evidence": "Called on Monday, agreed"})
    assert ok.status_code == 302
    page = recruiter.get(f"/applicants/{applicant_id}").get_data(as_text=True)
    assert "Called on Monday" in page
    assert recruiter.post(f"/applicants/{applicant_id}/consent/1/withdraw").status_code == 302
    with app.app_context():
        from praclox.applicants.models import Consent

        assert db.session.get(Consent, 1).withdrawn_on == today()


def test_admin_manages_rejection_reasons_and_recruiters_cannot(app, login_as):
    admin = login_as("admin")
    assert admin.post("/applicants/reasons", data={"label": "Salary expectations"}).status_code == 302
    assert admin.post("/applicants/reasons", data={"label": "salary expectations"}).status_code == 422
    assert admin.post("/applicants/reasons/1/toggle").status_code == 302
    assert login_as("recruiter").get("/applicants/reasons").status_code == 403


def test_vacancies_are_created_and_closed(app, login_as):
    recruiter = login_as("recruiter")
    assert recruiter.post("/applicants/vacancies", data={"title": "Tester", "is_open": "y"}).status_code == 302
    assert recruiter.post("/applicants/vacancies", data={"title": ""}).status_code == 422
    assert recruiter.post("/applicants/vacancies/1/edit", data={"title": "Tester"}).status_code == 302
    from praclox.applicants.models import Vacancy

    with app.app_context():
        assert db.session.get(Vacancy, 1).is_open is False


def test_deleting_a_document_removes_its_file(app, login_as, make_applicant):
    recruiter = login_as("recruiter")
    applicant_id = make_applicant()
    recruiter.post(f"/applicants/{applicant_id}/documents", data={
        "kind": "cv", "file": (io.BytesIO(pdf_bytes()), "cv.pdf")}, content_type="multipart/form-data")
    assert len(stored_names(app)) == 1
    assert recruiter.post(f"/applicants/{applicant_id}/documents/1/delete").status_code == 302
    assert stored_names(app) == set() and _count(app, Document) == 0


@pytest.mark.parametrize(("url", "data"), [
    ("consent", {"given_on": "2026-01-01", "method": "phone", "evidence": "a\x00b"}),
    ("consent", {"given_on": "2026-01-01", "method": "phone", "evidence": "x" * 2001}),
    ("consent", {"given_on": "not a date", "method": "phone", "evidence": "ok"}),
    ("consent", {"given_on": "2999-01-01", "method": "phone", "evidence": "ok"}),
    ("status", {"to_status": "promoted"}),
    ("status", {"to_status": "rejected", "reason_id": "abc"}),
    ("status", {"to_status": "withdrawn", "decided_on": "2001-01-01"}),  # before the application
    ("documents", {"kind": "passport"}),
])
def test_bad_input_on_the_detail_forms_changes_nothing(app, login_as, make_applicant, url, data):
    from praclox.applicants.models import Consent

    recruiter = login_as("recruiter")
    applicant_id = make_applicant()
    response = recruiter.post(f"/applicants/{applicant_id}/{url}", data=data)
    assert response.status_code == 422
    assert _count(app, Consent) == 0 and _count(app, Document) == 0
    with app.app_context():
        assert db.session.get(Applicant, applicant_id).status == "new"


@pytest.mark.parametrize("data", [{"reason": "x" * 501}, {"reason": "bad\x00reason"}])
def test_bad_legal_hold_reason_is_refused(app, login_as, make_applicant, data):
    applicant_id = make_applicant()
    assert login_as("admin").post(f"/applicants/{applicant_id}/hold", data=data).status_code == 422
    with app.app_context():
        assert db.session.get(Applicant, applicant_id).legal_hold is False


@pytest.mark.parametrize("title", ["", "x" * 201, "nul\x00byte"])
def test_bad_vacancy_title_is_refused(app, login_as, title):
    from praclox.applicants.models import Vacancy

    assert login_as("recruiter").post("/applicants/vacancies", data={"title": title}).status_code == 422
    assert _count(app, Vacancy) == 0
