"""Audit entries name who acted: the signed-in user a view hands its service, or "system" for a job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from praclox.audit.models import AuditEntry
from praclox.extensions import db
from praclox.privacy.models import SupportGrant

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_trail_names_the_admin_for_a_grant_and_system_for_the_job_that_ends_it(app, login_as):
    from praclox.scheduler import run_job

    with time_machine.travel(START, tick=False) as traveller:
        admin = login_as("admin")
        support = login_as("support")
        assert admin.post("/admin/support/", data={"user_id": str(support.user.id), "scope": "offices", "hours": "2",
                                                   "reason": "Ticket 4711"}).status_code == 302
        traveller.shift(timedelta(hours=3))
        assert '"revoked": 1' in run_job(app, "support_expire").counts
        officer = login_as("privacy_officer")
        page = officer.get("/privacy-officer/audit?record_type=support_grants").get_data(as_text=True)
    assert f"<td>{admin.user.name}</td><td>aangemaakt</td>" in page
    assert "<td>systeem</td><td>gewijzigd</td>" in page
    with app.app_context():
        grant_id = db.session.scalars(select(SupportGrant.id)).one()
        actors = dict(db.session.execute(select(AuditEntry.action, AuditEntry.actor_id).where(
            AuditEntry.record_type == "support_grants", AuditEntry.record_id == grant_id)).all())
    assert actors == {"create": admin.user.id, "update": None}


def test_an_edit_on_the_web_is_audited_under_the_staff_member_who_made_it(app, login_as, make_office):
    office_id = make_office("Kantoor Oud")
    staff = login_as("staff")
    assert staff.post(f"/offices/{office_id}/edit", data={"name": "Kantoor Nieuw", "kind": "prospect"}
                      ).status_code == 302
    with app.app_context():
        entries = db.session.execute(select(AuditEntry.action, AuditEntry.actor_id).where(
            AuditEntry.record_type == "offices", AuditEntry.record_id == office_id)).all()
    # the office was made by a test fixture (no user: system), then edited by the staff member on the web
    assert sorted(entries, key=lambda e: e.action) == [("create", None), ("update", staff.user.id)]
