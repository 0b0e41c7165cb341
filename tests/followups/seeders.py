"""Follow-ups test data for the security walks and the every-domain subject test (see tests/seeders.py)."""

from __future__ import annotations

from datetime import date

from flask import Flask

from praclox.extensions import db
from tests.offices.seeders import contact_id_of, walk_contact
from tests.seeders import Subject

AFTER = ("offices",)


def _owner() -> object:
    from praclox.auth import services as auth_services

    owner, _password = auth_services.create_user("follow.owner@walk.test", "Follow Owner", ["staff"], actor=None)
    return owner


def seed_walk(app: Flask) -> None:
    """A follow-up about the walk contact (id 1), open, so complete and reopen both have work; and one of a
    deactivated colleague, so the admin's hand-over page lists something."""
    from praclox.auth import services as auth_services
    from praclox.followups import services

    with app.test_request_context():
        contact = walk_contact()
        owner = _owner()
        services.create(contact.office, {"title": "Walk follow-up", "due_on": date(2026, 1, 9),
                                         "owner_id": owner.id, "contact_id": contact.id}, actor=None)
        gone, _password = auth_services.create_user("follow.gone@walk.test", "Follow Gone", ["staff"], actor=None)
        services.create(contact.office, {"title": "Walk orphan", "due_on": date(2026, 1, 10),
                                         "owner_id": gone.id}, actor=None)
        gone.active = False
        db.session.commit()


def seed_subject(app: Flask, person: Subject) -> list[str]:
    """A follow-up about the contact whose title names them: the link and the name are personal."""
    from praclox.followups import services
    from praclox.offices.models import Contact

    with app.test_request_context():
        contact = db.session.get(Contact, contact_id_of(person))
        owner = _owner()
        services.create(contact.office, {
            "title": f"Call {person.full_name} back", "description": f"{person.first_name} asked about VAT",
            "due_on": date(2026, 1, 12), "owner_id": owner.id, "contact_id": contact.id}, actor=None)
        db.session.commit()
    return []
