"""The request register: deadlines, the once-only extension, bad input, the dashboard."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from praclox.clock import add_months
from praclox.extensions import db
from praclox.privacy import requests
from praclox.privacy.models import PrivacyRequest


def test_due_date_is_one_month_after_receipt_clamped_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


@time_machine.travel("2026-03-10 10:00 +01:00", tick=False)
def test_registering_a_request_sets_the_deadline_and_audits_it(app, login_as):
    client = login_as("privacy_officer")
    response = client.post("/privacy-officer/requests/new", data={
        "requester_name": "Anna Verzoek", "requester_contact": "anna@example.nl", "kind": "access",
        "received_on": "2026-03-09"})
    assert response.status_code == 302
    with app.app_context():
        item = db.session.query(PrivacyRequest).one()
        assert item.due_on == date(2026, 4, 9) and item.status == "open" and item.handled_by_id == client.user.id
        from praclox.audit.models import AuditEntry

        assert db.session.query(AuditEntry).filter_by(record_type="privacy_requests", action="create").count() == 1


@pytest.mark.parametrize(("data", "message"), [
    ({"requester_name": "", "requester_contact": ""}, "een verzoek hoort bij iemand"),
    ({"due_on": "2026-03-01"}, "niet vóór de ontvangstdatum"),
    ({"due_on": "2026-05-01"}, "hoogstens een maand"),
    ({"received_on": "2026-04-01"}, "niet in de toekomst"),
    ({"received_on": "gisteren"}, "Ongeldige datum"),
    ({"kind": "deletion"}, "Ongeldige keuze"),
    ({"requester_name": "x" * 201}, "Maximaal 200 tekens"),
    ({"requester_name": "Anna\x00"}, "niet zijn toegestaan"),
])
@time_machine.travel("2026-03-10 10:00 +01:00", tick=False)
def test_bad_request_input_gets_a_clear_error_and_saves_nothing(app, login_as, data, message):
    client = login_as("privacy_officer")
    form = {"requester_name": "Anna", "requester_contact": "", "kind": "erasure", "received_on": "2026-03-09", **data}
    response = client.post("/privacy-officer/requests/new", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(PrivacyRequest).count() == 0


def test_html_in_a_requester_name_is_shown_as_text(app, login_as):
    client = login_as("privacy_officer")
    client.post("/privacy-officer/requests/new", data={
        "requester_name": "<script>alert(1)</script>", "kind": "objection", "received_on": "2026-01-02"})
    page = client.get("/privacy-officer/requests").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def _request(app, **kw) -> int:
    with app.test_request_context():
        item = requests.create_request(requester_name="Bram", requester_contact=None, kind="access",
                                       received_on=kw.pop("received_on", date(2026, 1, 5)), **kw, actor=None)
        db.session.commit()
        return item.id


@time_machine.travel("2026-01-20 09:00 +01:00", tick=False)
def test_extension_adds_two_months_once_and_needs_a_reason(app, login_as):
    request_id = _request(app)
    client = login_as("privacy_officer")
    url = f"/privacy-officer/requests/{request_id}/extend"
    assert client.post(url, data={"reason": ""}).status_code == 422
    assert client.post(url, data={"reason": "Many records in archives"}).status_code == 302
    second = client.post(url, data={"reason": "Still busy"})
    assert second.status_code == 422 and "al een keer verlengd" in second.get_data(as_text=True)
    with app.app_context():
        item = db.session.get(PrivacyRequest, request_id)
        assert item.due_on == date(2026, 4, 5) and item.extended and item.extension_reason == "Many records in archives"


@time_machine.travel("2026-01-20 09:00 +01:00", tick=False)
def test_closing_records_the_day_the_outcome_and_who_handled_it(app, login_as):
    request_id = _request(app)
    client = login_as("privacy_officer")
    client.post(f"/privacy-officer/requests/{request_id}/close",
                data={"status": "completed", "outcome": "Rectified the phone number"})
    with app.app_context():
        item = db.session.get(PrivacyRequest, request_id)
        assert (item.status, item.completed_on, item.handled_by_id) == ("completed", date(2026, 1, 20), client.user.id)
    again = client.post(f"/privacy-officer/requests/{request_id}/close", data={"status": "rejected"})
    assert again.status_code == 422


def test_overdue_and_due_this_week_requests_show_on_the_privacy_officers_dashboard(app, login_as):
    with time_machine.travel("2026-01-02 09:00 +01:00", tick=False):
        overdue = _request(app, received_on=date(2025, 12, 1))
        soon = _request(app, received_on=date(2025, 12, 6))
        later = _request(app, received_on=date(2026, 1, 2))
        client = login_as("privacy_officer")
        page = client.get("/").get_data(as_text=True)
    assert f"#{overdue}</a> over de termijn" in page
    assert f"#{soon}</a> uiterlijk" in page
    assert f"#{later}</a>" not in page
    staff_page = login_as("staff").get("/").get_data(as_text=True)
    assert "Verzoeken van betrokkenen" not in staff_page


def test_demo_data_brings_requests_with_deadlines_to_show(app, runner):
    result = runner.invoke(args=["demo-data", "--offices", "2", "--seed", "1"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.query(PrivacyRequest).count() == 3
        found = requests.deadlines()
        assert len(found["overdue"]) == 1 and len(found["due_soon"]) == 1


@time_machine.travel("2026-01-20 09:00 +01:00", tick=False)
def test_a_rectification_is_closed_only_with_a_note_of_what_was_rectified(app, login_as):
    with app.test_request_context():
        item = requests.create_request(requester_name="Cor", requester_contact=None, kind="rectification",
                                       received_on=date(2026, 1, 5), actor=None)
        db.session.commit()
        request_id = item.id
    client = login_as("privacy_officer")
    url = f"/privacy-officer/requests/{request_id}/close"
    empty = client.post(url, data={"status": "completed", "outcome": ""})
    assert empty.status_code == 422 and "Noteer welke velden zijn verbeterd" in empty.get_data(as_text=True)
    assert client.post(url, data={"status": "completed", "outcome": "contacts.phone"}).status_code == 302
