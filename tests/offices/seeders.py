"""Offices test data for the security walks and the every-domain subject test (see tests/seeders.py)."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from praclox.extensions import db
from tests.praclox_testsupport import remember_secret
from tests.seeders import Subject

WALK_CONTACT = {"first_name": "Walter", "last_name": "Walkerson", "email": "walter@walk.test"}


def walk_contact() -> object:
    """The contact ``seed_walk`` made: other domains link their walk records to it."""
    from praclox.offices.models import Contact

    return db.session.scalars(select(Contact).order_by(Contact.id)).first()


def seed_walk(app: Flask) -> None:
    """An office with a contact (with notes) and a logged call, converted to a client, with a tag."""
    from praclox.offices import services

    for value in WALK_CONTACT.values():
        remember_secret(value)
    with app.test_request_context():
        office = services.create_office({"name": "Walk Office", "visit_city": "Utrecht"}, actor=None)
        contact = services.create_contact(office, {**WALK_CONTACT, "notes": "walk notes"}, actor=None)
        services.log_interaction(office, kind="call", occurred_on=date(2026, 1, 5), summary="walked",
                                 contact=contact, actor=None)
        services.convert_to_client(office, actor=None)
        services.add_tag(services.one_office(office), services.create_tag("Walk sector", "sector", actor=None),
                         actor=None)
        db.session.commit()


def contact_id_of(person: Subject) -> int:
    from praclox.offices.models import Contact

    return db.session.scalar(select(Contact.id).where(Contact.email == person.email))


def seed_subject(app: Flask, person: Subject) -> list[str]:
    """A contact at an office with two history entries that mention them."""
    from praclox.offices import services

    with app.test_request_context():
        office = services.create_office({"name": "Kantoor De Linde", "visit_city": "Zeist"}, actor=None)
        contact = services.create_contact(office, {
            "first_name": person.first_name, "last_name": person.last_name, "job_title": "Controller",
            "email": person.email, "phone": person.phone,
            "notes": f"{person.first_name} prefers a call before ten"}, actor=None)
        services.log_interaction(office, kind="call", occurred_on=date(2026, 1, 5), contact=contact, actor=None,
                                 summary=f"Called {person.full_name} about the annual report")
        services.log_interaction(office, kind="visit", occurred_on=date(2026, 1, 6), contact=None, actor=None,
                                 summary=f"Visit; {person.last_name} was ill, spoke to the director")
        db.session.commit()
    return [person.first_name, person.last_name, person.email, person.phone, "Controller"]
