"""A fresh install ships rejection reasons (a data migration), so a recruiter can reject at once; the reject
form links to the list (administrators) or says who keeps it (recruiters)."""

from __future__ import annotations

from datetime import date

from flask_migrate import upgrade
from praclox_testsupport import TEST_PASSWORD, enrol_second_factor

from praclox import create_app
from praclox.extensions import db
from tests.conftest import login, make_config


def test_a_fresh_install_has_reasons_and_a_recruiter_rejects_with_one(tmp_path):
    from praclox.applicants import services
    from praclox.applicants.models import Applicant, RejectionReason
    from praclox.auth import services as users

    app = create_app(make_config(tmp_path, None))  # the migrations on their own SQLite file
    try:
        with app.app_context():
            upgrade()
            reasons = db.session.scalars(db.select(RejectionReason).order_by(RejectionReason.id)).all()
            assert len(reasons) >= 3 and all(r.active for r in reasons)
            reason_id = reasons[0].id
            users.create_user("werver@praclox.nl", "Wendy Werver", ["recruiter"], TEST_PASSWORD, actor=None)
            admin, _ = users.create_user("beheer@praclox.nl", "Bert Beheer", ["admin"], TEST_PASSWORD, actor=None)
            db.session.commit()
            admin_id = admin.id
        enrol_second_factor(app, admin_id)  # an administrator works with a second factor
        with app.test_request_context():
            vacancy = services.create_vacancy("Ontwikkelaar", actor=None)
            applicant = services.create_applicant({"name": "Sam Sollicitant", "email": "sam@voorbeeld.nl",
                                                   "vacancy_id": vacancy.id, "applied_on": date(2026, 11, 2)},
                                                  actor=None)
            db.session.commit()
            applicant_id = applicant.id
        recruiter = app.test_client()
        login(recruiter, "werver@praclox.nl")
        page = recruiter.get(f"/applicants/{applicant_id}").get_data(as_text=True)
        assert "Een beheerder houdt de lijst met afwijsredenen bij" in page
        response = recruiter.post(f"/applicants/{applicant_id}/status", data={
            "to_status": "rejected", "decided_on": "2026-11-20", "reason_id": str(reason_id)})
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        with app.app_context():
            assert db.session.get(Applicant, applicant_id).status == "rejected"
        admin = app.test_client()
        login(admin, "beheer@praclox.nl")
        assert 'href="/applicants/reasons"' in admin.get(f"/applicants/{applicant_id}").get_data(as_text=True)
    finally:
        with app.app_context():
            db.engine.dispose()
