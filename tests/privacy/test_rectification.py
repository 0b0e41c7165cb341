"""Rectification (issue 10 point 3): from a hit, a privacy officer without a staff role opens the record and
corrects it through the domain's own service; the audit trail names the fields, never the values."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import Flask
from praclox_testsupport import remember_secret
from sqlalchemy import select

from praclox.audit.models import AuditEntry
from praclox.extensions import db

OLD_EMAIL, NEW_EMAIL = remember_secret("p.verkeerd@voorbeeld.nl"), remember_secret("p.goed@voorbeeld.nl")


def _contact(app: Flask, make_office: Any) -> tuple[int, int]:
    from praclox.offices.models import Contact

    office_id = make_office("Kantoor Recht", contacts=({"first_name": "Pieternel", "last_name": "Rechtzetter",
                                                        "email": OLD_EMAIL, "phone": "030-7654321",
                                                        "job_title": "Inkoper"},))
    with app.app_context():
        return office_id, db.session.scalar(select(Contact.id))


def _form(**changes: str) -> dict[str, str]:
    return {"first_name": "Pieternel", "last_name": "Rechtzetter", "job_title": "Inkoper", "email": OLD_EMAIL,
            "phone": "030-7654321", "mobile": "", **changes}


def test_a_privacy_officer_opens_a_hit_and_corrects_it_and_staff_see_the_correction(app, login_as, make_office):
    office_id, contact_id = _contact(app, make_office)
    officer = login_as("privacy_officer")
    assert officer.get(f"/offices/{office_id}/contacts/{contact_id}").status_code == 403  # no staff role
    results = officer.post("/privacy-officer/subjects", data={"name": "Rechtzetter", "email": "", "phone": ""})
    link = f'href="/privacy-officer/records/contacts/{contact_id}"'
    assert link in results.get_data(as_text=True)  # the hit is a link
    page = officer.get(f"/privacy-officer/records/contacts/{contact_id}")
    assert page.status_code == 200 and f'value="{OLD_EMAIL}"' in page.get_data(as_text=True)
    saved = officer.post(f"/privacy-officer/records/contacts/{contact_id}", data=_form(email=NEW_EMAIL))
    assert saved.status_code == 302
    staff_page = login_as("staff").get(f"/offices/{office_id}/contacts/{contact_id}").get_data(as_text=True)
    assert NEW_EMAIL in staff_page and OLD_EMAIL not in staff_page
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.record_type == "contacts",
                                                              AuditEntry.action.in_(("update", "rectify")))).all()
        assert sorted((e.action, e.fields, e.actor_id) for e in entries) == [
            ("rectify", "email", officer.user.id), ("update", "email", officer.user.id)]
        rows = db.session.execute(select(AuditEntry.__table__)).all()
        assert not any("goed" in str(value) or "verkeerd" in str(value) for row in rows for value in row)


def test_a_wish_is_corrected_through_its_own_service_and_keeps_its_status(app, login_as, make_office):
    from praclox.wishes import services
    from praclox.wishes.models import Wish

    office_id = make_office("Kantoor Wens")
    with app.test_request_context():
        from praclox.offices.models import Office

        wish = services.create_wish(db.session.get(Office, office_id), {
            "title": "Rapport voor Gerrit Gerritsma", "status": "planned", "priority": "high",
            "requested_on": date(2026, 1, 8)}, actor=None)
        db.session.commit()
        wish_id = wish.id
    officer = login_as("privacy_officer")
    response = officer.post(f"/privacy-officer/records/wishes/{wish_id}",
                            data={"title": "Rapport voor [verwijderd]", "description": ""})
    assert response.status_code == 302
    with app.app_context():
        wish = db.session.get(Wish, wish_id)
        assert (wish.title, wish.status, wish.priority) == ("Rapport voor [verwijderd]", "planned", "high")


@pytest.mark.parametrize(("changes", "message"), [
    ({"email": "not-an-address"}, "geldig e-mailadres"),
    ({"first_name": ""}, "verplicht"),
    ({"last_name": "x" * 101}, "Maximaal 100 tekens"),
    ({"job_title": "In\x00koper"}, "niet zijn toegestaan"),
    ({"phone": "<script>"}, "geldig telefoonnummer"),
])
def test_bad_input_in_a_correction_gets_a_clear_error_and_changes_nothing(app, login_as, make_office, changes,
                                                                          message):
    from praclox.offices.models import Contact

    _office_id, contact_id = _contact(app, make_office)
    response = login_as("privacy_officer").post(f"/privacy-officer/records/contacts/{contact_id}",
                                                data=_form(**changes))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.first_name, contact.last_name, contact.email, contact.job_title) == (
            "Pieternel", "Rechtzetter", OLD_EMAIL, "Inkoper")
        assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action == "rectify")).all()


def test_a_service_rule_refuses_a_correction_with_a_clear_error(app, login_as, make_office):
    from praclox.offices import services
    from praclox.offices.models import Interaction, Office

    office_id = make_office("Kantoor Historie")
    with app.test_request_context():
        item = services.log_interaction(db.session.get(Office, office_id), kind="call", occurred_on=date(2026, 1, 5),
                                        summary="Gebeld", contact=None, actor=None)
        db.session.commit()
        item_id = item.id
    response = login_as("privacy_officer").post(f"/privacy-officer/records/interactions/{item_id}",
                                                data={"summary": "   "})
    assert response.status_code == 422 and "weigeren deze waarde" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Interaction, item_id).summary == "Gebeld"


def test_unknown_kinds_and_ids_are_404_and_a_staff_account_is_shown_without_a_form(app, login_as, make_user):
    officer = login_as("privacy_officer")
    assert officer.get("/privacy-officer/records/nothing/1").status_code == 404
    assert officer.get("/privacy-officer/records/contacts/999999").status_code == 404
    page = officer.get(f"/privacy-officer/records/users/{officer.user.id}")
    assert page.status_code == 200 and "dat doet een beheerder" in page.get_data(as_text=True)
    assert officer.post(f"/privacy-officer/records/users/{officer.user.id}", data={"name": "x"}).status_code == 200
