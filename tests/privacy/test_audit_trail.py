"""The audit trail for the privacy officer: what is recorded, filters, CSV and the retention purge."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import time_machine
from sqlalchemy import select

from praclox.audit.models import AuditEntry
from praclox.extensions import db
from tests.conftest import login


def _entries(app, **where):
    with app.app_context():
        return db.session.scalars(select(AuditEntry).filter_by(**where)).all()


def test_login_failed_login_role_change_and_exports_are_recorded(app, client, make_user, login_as):
    user = make_user("staff")
    login(client, user.email, "wrong password for sure")
    login(client, user.email)
    admin = login_as("admin")
    admin.post(f"/admin/users/{user.id}", data={"email": user.email, "name": user.name, "roles": ["staff", "recruiter"],
                                                   "active": "y"})
    admin.get("/privacy-officer/register.csv")
    assert _entries(app, action="login_failed", record_id=user.id)
    assert _entries(app, action="login", record_id=user.id)
    assert _entries(app, action="role_change", record_id=user.id)
    assert _entries(app, action="export", record_type="processing_register")


def test_filters_by_user_action_record_and_period(app, login_as, make_office):
    with time_machine.travel(datetime(2026, 1, 10, 12, tzinfo=UTC)):
        staff = login_as("staff")
        office_id = make_office("Oud Kantoor")
    with time_machine.travel(datetime(2026, 2, 10, 12, tzinfo=UTC)):
        assert staff.get("/offices/").status_code == 302  # a month later the session of January has ended
        login(staff, staff.user.email)
        staff.post(f"/offices/{office_id}/edit", data={"name": "Nieuw Kantoor", "kind": "prospect"})
    officer = login_as("privacy_officer")
    page = officer.get(f"/privacy-officer/audit?user={staff.user.id}&action=update&record_type=offices"
                       f"&record_id={office_id}&start=2026-02-01&end=2026-02-28").get_data(as_text=True)
    assert "<td>gewijzigd</td>" in page and "<td>aangemaakt</td>" not in page
    january = officer.get("/privacy-officer/audit?record_type=offices&start=2026-01-01&end=2026-01-31")
    assert "<td>aangemaakt</td>" in january.get_data(as_text=True)
    assert "<td>gewijzigd</td>" not in january.get_data(as_text=True)


def test_bad_filters_get_a_clear_error_not_a_crash(app, login_as):
    officer = login_as("privacy_officer")
    for query in ("user=abc", "record_id=-1", "action=steal", "start=2026-13-01", "start=2026-02-01&end=2026-01-01",
                  "record_type=" + "x" * 65):
        response = officer.get(f"/privacy-officer/audit?{query}")
        assert response.status_code == 422 and "Sommige filters zijn ongeldig" in response.get_data(as_text=True), query
    # a NUL byte in any query string is refused before the view runs (praclox/security.py)
    assert officer.get("/privacy-officer/audit?record_type=%00%3Cscript%3E").status_code == 400
    assert officer.get("/privacy-officer/audit?record_type=%3Cscript%3E").status_code == 200
    assert officer.get("/privacy-officer/audit.csv?user=abc").status_code == 422


def test_csv_export_holds_the_filtered_entries_without_values_and_is_itself_audited(app, login_as, make_office):
    make_office("Csv Kantoor", contacts=({"first_name": "Ina", "last_name": "Csvtest", "email": "ina@x.nl"},))
    officer = login_as("privacy_officer")
    response = officer.get("/privacy-officer/audit.csv?record_type=contacts")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["nummer", "tijdstip (Europe/Amsterdam)", "gebruikersnummer", "gebruiker", "handeling",
                       "soort record", "recordnummer", "velden"]
    assert len(rows) == 2 and rows[1][4:6] == ["aangemaakt", "Contactpersonen"]
    assert "Csvtest" not in response.get_data(as_text=True) and "ina@x.nl" not in response.get_data(as_text=True)
    assert _entries(app, action="export", record_type="audit_entries")


def test_purge_job_removes_entries_older_than_the_retention_setting(app, runner):
    from praclox.audit.services import record
    from praclox.scheduler import run_job

    with app.app_context():
        for moment in (datetime(2023, 12, 1, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC),
                       datetime(2025, 12, 1, tzinfo=UTC)):
            record("update", None, record_type="offices", record_id=1, actor=None).at = moment
        db.session.commit()
    with time_machine.travel(datetime(2026, 1, 15, 3, tzinfo=UTC)):
        dry = runner.invoke(args=["privacy", "purge-audit", "--dry-run"])
        assert "Would remove 1 " in dry.output
        run = run_job(app, "audit_purge")
        assert run.outcome == "ok" and '"removed": 1' in run.counts
        with app.app_context():
            from praclox.settings import services

            services.set_value("privacy.audit_retention_months", "12", actor=None)
            db.session.commit()
        assert '"removed": 1' in run_job(app, "audit_purge").counts
        assert '"removed": 0' in run_job(app, "audit_purge").counts  # idempotent
    with app.app_context():
        left = db.session.scalars(select(AuditEntry.at).where(AuditEntry.record_type == "offices")).all()
    assert [m.year for m in left] == [2025]
