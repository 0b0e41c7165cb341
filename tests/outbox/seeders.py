"""Outbox test data for the every-domain subject test (see tests/seeders.py): a queued mail to the person."""

from __future__ import annotations

from flask import Flask

from praclox import mail
from praclox.extensions import db
from tests.seeders import Subject


def seed_subject(app: Flask, person: Subject) -> list[str]:
    """A mail waiting in the outbox for the person's address (the relay was down, say)."""
    text = f"Beste {person.full_name} Outbox, uw link volgt."
    with app.test_request_context():
        mail.queue_mail(person.email, "Praclox", text, kind="test.subject")
        db.session.commit()
    return [f"{person.full_name} Outbox"]
