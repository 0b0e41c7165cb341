"""Privacy-request test data for the security walks and the every-domain subject test (see tests/seeders.py)."""

from __future__ import annotations

from datetime import date

from flask import Flask

from praclox.extensions import db
from tests.seeders import Subject

#: the review item names the walk contact
AFTER = ("offices",)


def seed_walk(app: Flask) -> None:
    """An access request and an erasure request in the register, and an erasure (of nobody seeded) that left
    the walk contact's record to decide about: review item 1."""
    from praclox.privacy import requests
    from praclox.privacy.models import ReviewItem, Tombstone
    from tests.offices.seeders import walk_contact

    with app.test_request_context():
        for kind in ("access", "erasure"):
            requests.create_request(requester_name="Walter Walkerson", requester_contact="walter@walk.test",
                                    kind=kind, received_on=date(2026, 1, 2), actor=None)
        tombstone = Tombstone(counts="{}")
        db.session.add(tombstone)
        db.session.flush()
        db.session.add(ReviewItem(tombstone_id=tombstone.id, record_type="contacts",
                                  record_id=walk_contact().id, columns="job_title"))
        db.session.commit()


def seed_subject(app: Flask, person: Subject) -> list[str]:
    """The erasure request the person sent."""
    from praclox.privacy import requests

    with app.test_request_context():
        requests.create_request(requester_name=person.full_name, requester_contact=person.email, kind="erasure",
                                received_on=date(2026, 1, 2), actor=None)
        db.session.commit()
    return [person.full_name, person.email]
