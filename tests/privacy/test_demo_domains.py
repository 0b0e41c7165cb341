"""`praclox demo-data` fills every merged domain, so the privacy officer's demo finds a person everywhere."""

from __future__ import annotations

from sqlalchemy import func, select

from praclox.extensions import db


def test_demo_data_registers_contacts_and_adds_wishes_that_a_subject_search_finds(app, runner):
    from praclox.offices.models import Contact
    from praclox.privacy.registry import SubjectQuery
    from praclox.privacy.subjects import search
    from praclox.registrations.models import Registration
    from praclox.wishes.models import Wish

    result = runner.invoke(args=["demo-data", "--offices", "15", "--seed", "5"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        registrations = db.session.scalars(select(Registration)).all()
        assert registrations and all(r.contact_id and r.office_id for r in registrations)
        assert {r.status for r in registrations} >= {"active"}
        assert db.session.scalar(select(func.count()).select_from(Wish).where(Wish.requested_by_id.is_not(None)))
        registered = db.session.get(Contact, registrations[0].contact_id)
        found = search(SubjectQuery(phone=registered.phone) if registered.phone else SubjectQuery(
            name=registered.full_name))
        person = next(p for p in found if p.key == registered.email.lower())
        assert {"offices", "registrations"} <= set(person.domains)
