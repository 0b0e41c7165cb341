"""The registrations domain answers access and erasure requests and declares every personal column."""

from __future__ import annotations

from sqlalchemy import select

from praclox.audit.models import AuditEntry
from praclox.audit.services import record
from praclox.extensions import db
from praclox.privacy.registry import SubjectQuery, all_fields, domains
from praclox.registrations.models import Registration


def test_registrations_declare_their_personal_columns(app):
    with app.app_context():
        assert "registrations" in domains()
        declared = {f.column for f in all_fields() if f.table == "registrations"}
    personal = {"name", "email", "office_id", "contact_id", "newsletter", "newsletter_opt_in_at",
                "newsletter_evidence", "newsletter_confirmed_at", "client_access", "last_login_at", "status"}
    assert personal <= declared
    assert declared <= set(Registration.__table__.columns.keys())


def test_find_export_and_erase_a_registrant(app, make_registration):
    from praclox.registrations.services import Submitted, register

    with app.test_request_context():  # as the website's API call does
        registration_id = register(Submitted("Anna de Vries", "anna@example.nl", True, "key 'Website'"),
                                   source="api")[0].id
        db.session.commit()
    make_registration(email="other@example.nl", name="Other")
    with app.test_request_context():
        record("update", db.session.get(Registration, registration_id), fields=["name"], actor=None)
        db.session.commit()
        module = domains()["registrations"]
        hits = module.find(SubjectQuery(email="ANNA@example.nl"))
        assert [h.record_id for h in hits] == [registration_id] and hits[0].person_key == "anna@example.nl"
        assert [h.record_id for h in module.find(SubjectQuery(name="anna de vries"))] == [registration_id]
        assert module.find(SubjectQuery(phone="0612345678")) == []
        exported = module.export(hits)["registrations"][0]
        assert exported["email"] == "anna@example.nl" and exported["newsletter_evidence"] == "api: key 'Website'"
        assert module.erase(hits, actor=None) == {"registrations": 1}
        db.session.commit()
        assert [r.email for r in db.session.scalars(select(Registration))] == ["other@example.nl"]
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.record_type == "registrations",
                                                          AuditEntry.record_id == registration_id)) is None
