"""Erasing a person is a sensitive action: the password must have been given again recently."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from praclox_testsupport import TEST_PASSWORD, current_code
from test_subjects import _person_form

from praclox.extensions import db
from praclox.privacy.models import Tombstone
from tests.offices.seeders import seed_subject as seed_offices
from tests.seeders import new_subject

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)



def test_erasing_after_the_window_asks_for_the_password_again_and_changes_nothing(app, login_as):
    from praclox.offices.models import Contact

    person = new_subject()
    with time_machine.travel(START, tick=False) as traveller:
        seed_offices(app, person)
        client = login_as("privacy_officer")
        traveller.shift(timedelta(minutes=10, seconds=1))
        for step in (_person_form(person), _person_form(person, confirm="y")):
            response = client.post("/privacy-officer/subjects/erase", data=step)
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/account/confirm?next=")
        with app.app_context():
            assert db.session.query(Contact).count() == 1 and db.session.query(Tombstone).count() == 0

        wrong = client.post(response.headers["Location"], data={"password": "not the password at all"})
        assert wrong.status_code == 422
        right = client.post(response.headers["Location"],  # a privacy officer's code too: a second factor
                            data={"password": TEST_PASSWORD, "code": current_code(app, client.user.email)})
        assert right.status_code == 302 and right.headers["Location"] == "/privacy-officer/subjects"

        done = client.post("/privacy-officer/subjects/erase", data=_person_form(person, confirm="y"))
        assert done.status_code == 302 and done.headers["Location"] == "/privacy-officer/subjects"
        with app.app_context():
            assert db.session.query(Contact).count() == 0 and db.session.query(Tombstone).count() == 1


def test_erasing_right_after_logging_in_needs_no_second_password(app, login_as):
    person = new_subject()
    seed_offices(app, person)
    client = login_as("privacy_officer")
    confirm = client.post("/privacy-officer/subjects/erase", data=_person_form(person))
    assert confirm.status_code == 200 and "Deze persoon overal verwijderen?" in confirm.get_data(as_text=True)
