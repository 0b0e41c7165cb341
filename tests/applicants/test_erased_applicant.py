"""An erased person who applies again: the recruiter sees the warning on the applicant's page."""

from __future__ import annotations

from sqlalchemy import func, select

from praclox.extensions import db

WARNING = "op eigen verzoek zijn verwijderd"


def _erase(app, login_as, email: str) -> None:
    response = login_as("privacy_officer").post("/privacy-officer/subjects/erase", data={
        "name": "", "email": email, "phone": "", "person": email.lower(), "confirm": "y"})
    assert response.status_code == 302


def _applicant_id(app, email: str) -> int:
    from praclox.applicants.models import Applicant

    with app.app_context():
        return db.session.scalar(select(Applicant.id).where(func.lower(Applicant.email) == email))


def test_an_erased_applicant_who_applies_again_shows_the_warning_once(app, login_as, make_applicant, make_vacancy):
    first = make_applicant("Eva Eerder", status="rejected", email="eva.eerder@voorbeeld.nl")
    _erase(app, login_as, "eva.eerder@voorbeeld.nl")
    from praclox.applicants.models import Applicant

    with app.app_context():
        assert db.session.get(Applicant, first) is None  # erased with a tombstone
    recruiter = login_as("recruiter")
    vacancy_id = make_vacancy("Office manager")
    response = recruiter.post("/applicants/new", data={
        "name": "Eva Eerder", "email": "Eva.Eerder@Voorbeeld.nl", "vacancy_id": str(vacancy_id),
        "applied_on": "2026-02-01"}, follow_redirects=True)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count(WARNING) == 1
    again = _applicant_id(app, "eva.eerder@voorbeeld.nl")
    assert WARNING in recruiter.get(f"/applicants/{again}").get_data(as_text=True)
    other = make_applicant("Someone Else", email="someone.else@voorbeeld.nl")
    assert WARNING not in recruiter.get(f"/applicants/{other}").get_data(as_text=True)
