"""Uploads are checked on the name that is stored, and zip-based documents may not unpack without bound
(issue 11, finding 9; ASVS 12.1.2, 12.2.1).

The older content tests used short names, so the check on the full name and the 200-character cut never
disagreed; here the names are walked around the limit for every type and every dangerous inner extension. The
archive test never builds the gigabyte: one deflate block of a mebibyte of zeros, ended by a full flush, is
byte-for-byte the same every time, so the member is that block repeated 1024 times (about 1 MB on the wire).
"""

from __future__ import annotations

import struct
import zlib

import pytest
from sqlalchemy import select

from praclox.applicants.models import Document
from praclox.extensions import db
from tests.applicants.conftest import docx_bytes, odt_bytes, pdf_bytes
from tests.files.support import stored_names

MIB = 1024 * 1024


def upload(client, applicant_id, filename, data):
    boundary = "praclox-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncv\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return client.post(f"/applicants/{applicant_id}/documents", data=body,
                       content_type=f"multipart/form-data; boundary={boundary}")


def documents(app):
    with app.app_context():
        return db.session.scalars(select(Document)).all()


def stored_files(app):
    return sorted(stored_names(app))


def _deflated(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def zip_of(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip from (name, raw deflate stream, crc32, inflated size) members, written by hand."""
    out, central = bytearray(), bytearray()
    for name, raw, crc, size in members:
        encoded = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(raw), size, len(encoded), 0)
        out += encoded + raw
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(raw), size,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return bytes(out + central + end)


def small(name: str, text: bytes) -> tuple[str, bytes, int, int]:
    return name, _deflated(text), zlib.crc32(text), len(text)


def gibibyte_of_zeros(name: str, declared: int | None = None) -> tuple[str, bytes, int, int]:
    chunk = bytes(MIB)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    c.compress(chunk)
    block = c.flush(zlib.Z_FULL_FLUSH)
    c.compress(chunk)
    assert c.flush(zlib.Z_FULL_FLUSH) == block  # the premise: every flushed block is the same bytes
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(chunk, crc)
    return name, block * 1024 + c.flush(), crc, 1024 * MIB if declared is None else declared


def docx_with(*extra: tuple[str, bytes, int, int]) -> bytes:
    return zip_of([small("[Content_Types].xml", b'<?xml version="1.0"?><Types/>'),
                   small("word/document.xml", b"<w:document><w:t>Brief</w:t></w:document>"), *extra])


@pytest.fixture(scope="module")
def bomb():
    data = docx_with(gibibyte_of_zeros("word/media/image1.png"))
    assert len(data) < 1.1 * MIB
    return data


def test_a_one_megabyte_docx_that_inflates_to_a_gibibyte_is_refused(app, login_as, make_applicant, bomb):
    recruiter = login_as("recruiter")
    response = upload(recruiter, make_applicant(), "brief.docx", bomb)
    assert response.status_code == 422
    assert "100 MB" in response.get_data(as_text=True)
    assert documents(app) == [] and stored_files(app) == []


def test_a_docx_that_lies_about_its_inflated_size_is_refused(app, login_as, make_applicant):
    liar = docx_with(gibibyte_of_zeros("word/media/image1.png", declared=MIB))
    assert upload(login_as("recruiter"), make_applicant(), "brief.docx", liar).status_code == 422
    assert documents(app) == [] and stored_files(app) == []


def test_a_document_with_too_many_entries_is_refused(app, login_as, make_applicant):
    crowded = docx_with(*(small(f"word/part{n}.xml", b"<x/>") for n in range(1001)))
    assert upload(login_as("recruiter"), make_applicant(), "brief.docx", crowded).status_code == 422
    assert documents(app) == []


def test_an_ordinary_docx_under_the_limits_is_kept(app, login_as, make_applicant):
    letter = docx_with(small("word/media/image1.png", bytes(5 * MIB)))
    assert upload(login_as("recruiter"), make_applicant(), "brief.docx", letter).status_code == 302
    assert len(documents(app)) == 1


def test_html_named_pdf_past_the_length_limit_never_downloads_as_html(app, login_as, make_applicant):
    """The attack of issue 11: the check saw .pdf, the cut name ended in .html."""
    recruiter = login_as("recruiter")
    applicant_id = make_applicant()
    name = "A" * 195 + ".html.pdf"
    data = b"%PDF-1.4\n<html><script>alert(document.domain)</script></html>\n%%EOF\n"
    response = upload(recruiter, applicant_id, name, data)
    assert response.status_code == 302
    (document,) = documents(app)
    download = recruiter.get(f"/applicants/{applicant_id}/documents/{document.id}")
    disposition = download.headers["Content-Disposition"]
    assert download.headers["Content-Type"] == "application/pdf"
    assert disposition.rstrip('"').endswith(".pdf") and ".html\"" not in disposition and len(
        document.original_name) <= 200


@pytest.mark.parametrize("kind", ["pdf", "docx", "odt"])
@pytest.mark.parametrize("inner", ["html", "htm", "svg", "exe", "js"])
@pytest.mark.parametrize("length", [195, 199, 200, 201, 205, 260])
def test_the_stored_name_always_ends_in_the_type_the_content_is(kind, inner, length):
    """The class: whatever the length and the inner extension, the kept name ends in the checked type."""
    from praclox.applicants import documents as docs

    name = "A" * (length - len(inner) - len(kind) - 2) + f".{inner}.{kind}"
    data = {"pdf": pdf_bytes, "docx": docx_bytes, "odt": odt_bytes}[kind]()
    kept = docs.stored_name(name)
    assert len(kept) <= docs.MAX_NAME
    assert docs.check_upload(kept, data) == kind and kept.endswith(f".{kind}")


def test_a_name_whose_extension_cannot_be_kept_is_refused_rather_than_stored_wrongly():
    from praclox.applicants import documents as docs

    kept = docs.stored_name("A" * 190 + ".pdf." + "x" * 20)  # no type's extension at the end: refused
    with pytest.raises(docs.DocumentRejected):
        docs.check_upload(kept, pdf_bytes())
