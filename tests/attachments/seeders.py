"""Attachments test data for the security walks and the every-domain subject test (see tests/seeders.py)."""

from __future__ import annotations

from flask import Flask

from praclox.extensions import db
from tests.offices.seeders import contact_id_of, walk_contact
from tests.seeders import Subject

AFTER = ("offices",)


def pdf(text: str) -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n%%EOF\n"


def seed_walk(app: Flask) -> None:
    """An attachment of the walk office (id 1) and one about its contact (id 2)."""
    from praclox.attachments import services

    with app.test_request_context():
        contact = walk_contact()
        services.upload(contact.office, None, filename="proposal.pdf", data=pdf("walk proposal"), kind="proposal",
                        actor=None)
        services.upload(contact.office, contact, filename="contract.pdf", data=pdf("walk contract"),
                        kind="contract", actor=None)
        db.session.commit()


def seed_subject(app: Flask, person: Subject) -> list[str]:
    """A contract about the contact, its file name naming them: exported with its content, erased with its
    stored file (tests/attachments/test_erasure.py reads the disk for its encrypted bytes)."""
    from praclox.attachments import services
    from praclox.offices.models import Contact

    with app.test_request_context():
        contact = db.session.get(Contact, contact_id_of(person))
        services.upload(contact.office, contact, filename=f"Contract {person.last_name}.pdf",
                        data=pdf(f"Signed by {person.full_name}"), kind="contract", actor=None)
        db.session.commit()
    return []
