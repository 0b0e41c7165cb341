"""Attachments on an office's and a contact's page: uploaded, listed, downloaded as they were, deleted with
their stored file; refused, with a clear error and nothing stored, when the content is not what it must be."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from sqlalchemy import func, select

from praclox.attachments.models import Attachment
from praclox.audit.models import AuditEntry
from praclox.extensions import db
from praclox.offices.models import Contact
from tests.applicants.conftest import docx_bytes, odt_bytes, pdf_bytes
from tests.applicants.test_document_limits import gibibyte_of_zeros, small, zip_of
from tests.files.support import stored_names, stored_token

MIB = 1024 * 1024
#: the pages are in Dutch; the error for content that is none of the types
NOT_A_DOCUMENT = "geen PDF-, DOCX-, ODT-, XLSX- of ODS-document"
SANNE = {"first_name": "Sanne", "last_name": "Smit", "email": "sanne@jansen.nl"}


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", "<workbook><sheets/></workbook>")
    return buffer.getvalue()


def png_bytes() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


KINDS = {
    "offerte.pdf": (pdf_bytes("Offerte"), "application/pdf"),
    "contract.docx": (docx_bytes("Contract"),
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "notulen.odt": (odt_bytes("Notulen"), "application/vnd.oasis.opendocument.text"),
    "begroting.xlsx": (xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "begroting.ods": (odt_bytes("Cijfers", "application/vnd.oasis.opendocument.spreadsheet"),
                      "application/vnd.oasis.opendocument.spreadsheet"),
    "gevel.png": (png_bytes(), "image/png"),
    "gevel.JPG": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64), "image/jpeg"),
    "logo.gif": (b"GIF89a\x01\x00\x01\x00" + bytes(16), "image/gif"),
    "foto.webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(24), "image/webp"),
}


def post_file(client, url: str, filename: str, data: bytes, kind: str = "contract"):
    # the body is built here, in memory: the test client would spool a large one to a file it never closes
    boundary = "praclox-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def attachments(app) -> list[Attachment]:
    with app.app_context():
        rows = db.session.scalars(select(Attachment).order_by(Attachment.id)).all()
        db.session.expunge_all()
        return rows


def audited(app, action: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.record_type == "attachments", AuditEntry.action == action))


@pytest.fixture
def office_id(make_office):
    return make_office("Jansen Accountants", contacts=(SANNE,))


def contact_of(app, office_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(Contact.id).where(Contact.office_id == office_id))


@pytest.mark.parametrize("filename", list(KINDS))
def test_every_kind_of_document_uploads_on_the_office_page_and_downloads_as_it_was(app, login_as, office_id,
                                                                                    filename):
    staff = login_as("staff")
    data, mimetype = KINDS[filename]
    page = staff.get(f"/offices/{office_id}").get_data(as_text=True)
    assert f'action="/offices/{office_id}/attachments/new"' in page and 'enctype="multipart/form-data"' in page
    response = post_file(staff, f"/offices/{office_id}/attachments/new", filename, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    (attachment,) = attachments(app)
    assert filename in staff.get(f"/offices/{office_id}").get_data(as_text=True)
    download = staff.get(f"/offices/{office_id}/attachments/{attachment.id}")
    assert download.status_code == 200 and download.data == data
    assert download.headers["Content-Type"].startswith(mimetype)
    assert download.headers["Content-Disposition"].startswith("attachment;")
    token = stored_token(app, attachment.stored_name)
    assert data not in token and b"Offerte" not in token  # encrypted in the store
    assert (audited(app, "create"), audited(app, "view")) == (1, 1)


@pytest.mark.parametrize(("filename", "data", "message"), [
    ("offerte.pdf", b"<html><script>alert(1)</script></html>", NOT_A_DOCUMENT),
    ("offerte.html", b"<html></html>", NOT_A_DOCUMENT),
    ("script.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', NOT_A_DOCUMENT),
    ("contract.docx", pdf_bytes(), "past niet bij de naam"),
    ("begroting.xlsx", odt_bytes(), "past niet bij de naam"),
    ("leeg.pdf", b"", "Het bestand is leeg"),
    ("groot.pdf", b"%PDF-1.4\n" + bytes(10 * MIB), "groter dan 10 MB"),
    ("begroting.xlsx", zip_of([small("[Content_Types].xml", b"<Types/>"), small("xl/workbook.xml", b"<workbook/>"),
                               gibibyte_of_zeros("xl/media/image1.png")]), "meer dan 100 MB"),
])
def test_a_file_that_is_not_what_it_must_be_is_refused_clearly_and_nothing_is_stored(
        app, login_as, office_id, filename, data, message):
    staff = login_as("staff")
    response = post_file(staff, f"/offices/{office_id}/attachments/new", filename, data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert attachments(app) == [] and stored_names(app) == set() and audited(app, "create") == 0


@pytest.mark.parametrize("form", [{"kind": "passport"}, {"kind": "contract"}])
def test_a_form_without_a_known_kind_or_without_a_file_is_refused(app, login_as, office_id, form):
    staff = login_as("staff")
    data = dict(form)
    if form["kind"] == "passport":
        data["file"] = (io.BytesIO(pdf_bytes()), "offerte.pdf")
    response = staff.post(f"/offices/{office_id}/attachments/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert attachments(app) == [] and stored_names(app) == set()


def test_a_contact_attachment_shows_on_the_contact_and_the_office_and_goes_with_the_contact(
        app, login_as, office_id, make_office):
    staff = login_as("staff")
    contact_id = contact_of(app, office_id)
    url = f"/offices/{office_id}/contacts/{contact_id}/attachments/new"
    assert post_file(staff, url, "Contract Smit.pdf", pdf_bytes("Getekend")).status_code == 302
    (attachment,) = attachments(app)
    assert attachment.contact_id == contact_id
    assert "Contract Smit.pdf" in staff.get(f"/offices/{office_id}/contacts/{contact_id}").get_data(as_text=True)
    assert "Contract Smit.pdf" in staff.get(f"/offices/{office_id}").get_data(as_text=True)
    other = make_office("Bakker Makelaardij")
    assert post_file(staff, f"/offices/{other}/contacts/{contact_id}/attachments/new", "x.pdf",
                     pdf_bytes()).status_code == 404
    assert staff.get(f"/offices/{other}/attachments/{attachment.id}").status_code == 404
    assert login_as("recruiter").get(f"/offices/{office_id}/attachments/{attachment.id}").status_code == 403

    with app.test_request_context():
        from praclox.offices import services

        services.delete_contact(db.session.get(Contact, contact_id), actor=None)
        db.session.commit()
    assert attachments(app) == [] and stored_names(app) == set()


def test_deleting_an_attachment_removes_its_stored_file_and_is_audited(app, login_as, office_id):
    staff = login_as("staff")
    post_file(staff, f"/offices/{office_id}/attachments/new", "offerte.pdf", pdf_bytes())
    (attachment,) = attachments(app)
    assert f'action="/offices/{office_id}/attachments/{attachment.id}/delete"' in staff.get(
        f"/offices/{office_id}").get_data(as_text=True)
    response = staff.post(f"/offices/{office_id}/attachments/{attachment.id}/delete")
    assert response.status_code == 302
    assert attachments(app) == [] and stored_names(app) == set() and audited(app, "delete") == 1


def test_deleting_an_office_takes_its_attachments_and_their_files(app, login_as, office_id):
    staff = login_as("staff")
    contact_id = contact_of(app, office_id)
    post_file(staff, f"/offices/{office_id}/attachments/new", "offerte.pdf", pdf_bytes())
    post_file(staff, f"/offices/{office_id}/contacts/{contact_id}/attachments/new", "contract.pdf", pdf_bytes())
    assert len(stored_names(app)) == 2
    with app.test_request_context():
        from praclox.offices import services
        from praclox.offices.models import Office

        services.delete_office(db.session.get(Office, office_id), actor=None)
        db.session.commit()
    assert attachments(app) == [] and stored_names(app) == set()
