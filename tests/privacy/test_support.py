"""Time-limited support access: granted by an admin, read only, audited, ending by itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from praclox.audit.models import AuditEntry
from praclox.extensions import db
from praclox.privacy.models import SupportGrant

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _grant(admin, user_id: int, hours: str = "2", **extra):
    return admin.post("/admin/support/", data={"user_id": str(user_id), "scope": "offices", "hours": hours,
                                                "reason": "Ticket 4711: list page is slow", **extra})


def test_a_support_user_sees_nothing_without_a_grant(app, login_as, make_office):
    office_id = make_office()
    support = login_as("support")
    assert support.get("/offices/").status_code == 403
    assert support.get(f"/offices/{office_id}").status_code == 403
    assert "Je hebt op dit moment geen toegang" in support.get("/").get_data(as_text=True)


def test_a_grant_expires_in_the_middle_of_a_session(app, login_as, make_office):
    office_id = make_office()
    with time_machine.travel(START, tick=False) as traveller:
        admin = login_as("admin")
        support = login_as("support")
        assert _grant(admin, support.user.id).status_code == 302
        assert support.get("/offices/").status_code == 200
        assert support.get(f"/offices/{office_id}").status_code == 200
        assert support.post(f"/offices/{office_id}/edit", data={"name": "Hacked"}).status_code == 403
        assert support.get("/admin/users").status_code == 403
        for _ in range(7):  # the support worker keeps working (each request within the idle limit)
            traveller.shift(timedelta(minutes=17))
            assert support.get(f"/offices/{office_id}").status_code == 200
        traveller.shift(timedelta(minutes=2))
        assert support.get(f"/offices/{office_id}").status_code == 403  # same session, grant over
        from praclox.scheduler import run_job

        assert '"revoked": 1' in run_job(app, "support_expire").counts
        assert '"revoked": 0' in run_job(app, "support_expire").counts
    with app.app_context():
        item = db.session.scalars(select(SupportGrant)).one()
        assert item.revoked_at == START + timedelta(hours=2)


def test_every_grant_and_every_page_opened_is_audited_and_on_the_privacy_officers_overview(
        app, login_as, make_office):
    office_id = make_office()
    admin = login_as("admin")
    support = login_as("support")
    _grant(admin, support.user.id)
    support.get(f"/offices/{office_id}")
    with app.app_context():
        assert db.session.scalars(select(AuditEntry).filter_by(action="create", record_type="support_grants")).one()
        views = db.session.scalars(select(AuditEntry).filter_by(action="view", actor_id=support.user.id)).all()
        assert ("page:offices.detail", office_id) in {(v.record_type, v.record_id) for v in views}
    officer = login_as("privacy_officer")
    page = officer.get("/privacy-officer/support").get_data(as_text=True)
    assert "Ticket 4711: list page is slow" in page and "offices.detail" in page and support.user.name in page
    assert "Supporttoegang nu actief: 1" in officer.get("/").get_data(as_text=True)


def test_an_admin_can_revoke_a_grant_early(app, login_as):
    admin = login_as("admin")
    support = login_as("support")
    _grant(admin, support.user.id)
    with app.app_context():
        grant_id = db.session.scalar(select(SupportGrant.id))
    assert admin.post(f"/admin/support/{grant_id}/revoke").status_code == 302
    assert support.get("/offices/").status_code == 403


@pytest.mark.parametrize(("hours", "extra", "message"), [
    ("0", {}, "Tussen 1 en 72 uur"),
    ("73", {}, "Tussen 1 en 72 uur"),
    ("two", {}, "Ongeldig getal"),
    ("", {}, "Vul een heel aantal uren in"),
    ("2", {"reason": ""}, "Dit veld is verplicht"),
    ("2", {"reason": "x" * 501}, "Maximaal 500 tekens"),
    ("2", {"reason": "bad\x00"}, "niet zijn toegestaan"),
    ("2", {"scope": "applicants"}, "Ongeldige keuze"),
])
def test_bad_grant_input_gets_a_clear_error_and_grants_nothing(app, login_as, hours, extra, message):
    admin = login_as("admin")
    support = login_as("support")
    response = _grant(admin, support.user.id, hours, **extra)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(SupportGrant).count() == 0


def test_only_a_support_user_can_be_given_support_access(app, login_as, make_user):
    admin = login_as("admin")
    staff = make_user("staff")
    response = _grant(admin, staff.id)
    assert response.status_code == 422
    with app.app_context():
        assert db.session.query(SupportGrant).count() == 0


def test_html_in_a_grant_reason_is_shown_as_text(app, login_as):
    admin = login_as("admin")
    support = login_as("support")
    _grant(admin, support.user.id, reason="<b>urgent</b>")
    page = admin.get("/admin/support/").get_data(as_text=True)
    assert "<b>urgent</b>" not in page and "&lt;b&gt;urgent&lt;/b&gt;" in page
