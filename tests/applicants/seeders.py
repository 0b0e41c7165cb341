"""Applicants test data for the security walks and the every-domain subject test (see tests/seeders.py)."""

from __future__ import annotations

from datetime import date

from flask import Flask

from praclox.extensions import db
from tests.applicants.conftest import pdf_bytes
from tests.seeders import Subject


def seed_walk(app: Flask) -> None:
    """A vacancy, a rejection reason, an applicant in conversation with a PDF and a consent (all id 1)."""
    from praclox.applicants import documents, services

    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
    with app.test_request_context():
        vacancy = services.create_vacancy("Walk vacancy", actor=None)
        services.create_reason("Walk reason", actor=None)
        applicant = services.create_applicant({"name": "Wanda Walker", "email": "wanda@walk.test",
                                               "vacancy_id": vacancy.id, "applied_on": date(2026, 1, 5)}, actor=None)
        services.change_status(applicant, "conversation", actor=None)
        documents.store_document(applicant, filename="cv.pdf", data=pdf, kind="cv", actor=None)
        services.record_consent(applicant, given_on=date(2026, 1, 6), method="email", evidence="walk mail", actor=None)
        db.session.commit()


def seed_subject(app: Flask, person: Subject) -> list[str]:
    """The same person applied for a vacancy: notes, a status history, a small PDF and a consent."""
    from praclox.applicants import documents, services

    tag = person.first_name[4:]
    with app.test_request_context():
        vacancy = services.create_vacancy("Assistant accountant", actor=None)
        applicant = services.create_applicant({
            "name": person.full_name, "email": person.email, "phone": person.phone, "vacancy_id": vacancy.id,
            "applied_on": date(2026, 1, 3), "notes": f"Strong interview, mentions {tag}boat"}, actor=None)
        services.change_status(applicant, "conversation", actor=None)
        documents.store_document(applicant, filename="cv.pdf", data=pdf_bytes(f"Curriculum {tag}vitae"),
                                 kind="cv", actor=None)
        services.record_consent(applicant, given_on=date(2026, 1, 4), method="email",
                                evidence=f"Mail from {tag}consent", actor=None)
        db.session.commit()
    return [f"Strong interview, mentions {tag}boat", f"Curriculum {tag}vitae", f"Mail from {tag}consent"]
