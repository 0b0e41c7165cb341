"""Factories for applicants, vacancies, reasons and real PDF / DOCX / ODT bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask

from praclox.extensions import db


def pdf_bytes(text: str = "Curriculum vitae") -> bytes:
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length " + str(len(body)).encode() + b">>stream\n" + body + b"\nendstream endobj\n%%EOF\n")


def docx_bytes(text: str = "Motivation letter") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", f"<w:document><w:t>{text}</w:t></w:document>")
    return buffer.getvalue()


def odt_bytes(text: str = "Brief", mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", f"<office:document-content>{text}</office:document-content>",
                         compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


@pytest.fixture
def make_vacancy(app: Flask) -> Callable[..., int]:
    from praclox.applicants import services

    def factory(title: str = "Python developer", is_open: bool = True) -> int:
        with app.test_request_context():
            vacancy = services.create_vacancy(title, is_open, actor=None)
            db.session.commit()
            return vacancy.id

    return factory


@pytest.fixture
def make_reason(app: Flask) -> Callable[..., int]:
    from praclox.applicants import services

    def factory(label: str = "Other candidate fitted better") -> int:
        with app.test_request_context():
            reason = services.create_reason(label, actor=None)
            db.session.commit()
            return reason.id

    return factory


@pytest.fixture
def make_applicant(app: Flask, make_vacancy: Callable[..., int]) -> Callable[..., int]:
    """Create an applicant; ``status`` rejected/withdrawn/hired with ``decided_on`` moves it there directly."""
    from praclox.applicants import services
    from praclox.applicants.models import Applicant, RejectionReason

    vacancy_ids: list[int] = []

    def factory(name: str = "Sanne de Boer", *, status: str = "new", decided_on: date | None = None,
                applied_on: date | None = None, email: str | None = "sanne@example.nl", **fields: Any) -> int:
        if not vacancy_ids:
            vacancy_ids.append(make_vacancy())
        with app.test_request_context():
            applicant = services.create_applicant({
                "name": name, "email": email, "vacancy_id": vacancy_ids[0],
                "applied_on": applied_on or decided_on, **fields,
            }, actor=None)
            if status != "new":
                if status == "rejected":
                    reason = db.session.query(RejectionReason).first() or services.create_reason("No match", actor=None)
                else:
                    reason = None
                path = {"hired": ["conversation", "offer", "hired"], "offer": ["conversation", "offer"],
                        "conversation": ["conversation"]}.get(status, [status])
                for step in path:
                    services.change_status(applicant, step, decided_on=decided_on, reason=reason, actor=None)
            db.session.commit()
            assert db.session.get(Applicant, applicant.id).status == status
            return applicant.id

    return factory
