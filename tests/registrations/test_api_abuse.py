"""The registrations API against abuse (issue 11, finding 5; ASVS 5.2.3, 11.1.4, 13.2.x).

- No field may carry a line break or another control character: the name goes into a mail, and
  ``"Jan,\\n\\nUw registratie is geblokkeerd …"`` was accepted and mailed from the company's address.
- Whatever is already stored (accepted before this rule) cannot start a line in a mail: judged on the raw bytes
  the SMTP server received, for every mail that carries a name.
- A rate limit per API key and per client address, counted in the database (all workers), with 429 and
  Retry-After. The operator tier proves it across gunicorn workers (tests/operator/test_operator_api_flood.py).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from praclox_testsupport import remember_secret
from sqlalchemy import func, select

from praclox.extensions import db
from praclox.registrations.models import Registration

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ISSUE_NAME = "Jan,\n\nUw registratie is geblokkeerd. Herstel via https://evil.example/herstel\n\n--\n"
BREAKERS = ["\n", "\r", "\r\n", "\t", "\x0b", "\x0c", "\x1b", "\x85", "\u2028", "\u2029", "\x00"]


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


def post(client, key, body, address="192.0.2.1"):
    return client.post("/api/registrations", json=body, headers={"Authorization": f"Bearer {key}"},
                       environ_base={"REMOTE_ADDR": address})


def registrations(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Registration.id)))


def test_the_issue_payload_is_refused_and_nothing_is_mailed(app, client, api_key, smtp_server):
    response = post(client, api_key, {"name": ISSUE_NAME, "email": "slachtoffer@example.nl"})
    response.close()
    assert response.status_code == 400 and response.json["field"] == "name"
    assert registrations(app) == 0 and smtp_server.delivered() == []


@pytest.mark.parametrize("breaker", BREAKERS, ids=repr)
@pytest.mark.parametrize("field", ["name", "email", "evidence"])
def test_every_field_refuses_line_breaks_and_control_characters(app, client, api_key, smtp_server, field,
                                                                breaker):
    body = {"name": "Jan Jansen", "email": "jan@example.nl", "evidence": "website form"}
    body[field] = body[field][:3] + breaker + body[field][3:]
    response = post(client, api_key, body)
    response.close()
    assert response.status_code == 400 and response.json["field"] == field
    assert registrations(app) == 0 and smtp_server.delivered() == []


def lines_of(raw: bytes) -> list[str]:
    return raw.decode("utf-8", "replace").split("\r\n")


def assert_no_line_starts_with(raw: bytes, marker: str) -> None:
    body = raw.split(b"\r\n\r\n", 1)[1]
    assert b"Content-Transfer-Encoding: base64" not in raw.split(b"\r\n\r\n", 1)[0], "judge the text, not base64"
    assert marker.encode() in body.replace(b"=\r\n", b""), "the name must be in the mail at all"
    for line in lines_of(body):
        assert not line.lstrip().startswith(marker), line
    for breaker in ("\u2028", "\u2029", "\x85", "\r", "\x0b", "\x0c"):
        assert breaker not in raw.decode("utf-8", "replace").replace("\r\n", ""), repr(breaker)


STORED_NAME = "Jan,\n\nINJECTED line\u2028INJECTED again\r\nINJECTED third"


def test_a_stored_name_with_line_breaks_cannot_start_a_line_in_the_registrants_mails(app, make_registration,
                                                                                    smtp_server):
    """Names accepted before the rule may still be in the database; the mail templates keep them on one line."""
    from praclox.client.services import send_link
    from praclox.registrations import mailing

    make_registration(email="jan@example.nl", name="Jan")
    with app.test_request_context():
        registration = db.session.scalar(select(Registration))
        registration.name = STORED_NAME  # as stored by the API before this fix
        db.session.commit()
        mailing.send_confirmation(registration)
        send_link(registration)  # the client area's login mail
        db.session.commit()
    assert len(smtp_server.delivered()) == 2
    for message in smtp_server.delivered():
        assert_no_line_starts_with(message.raw, "INJECTED")


def test_stored_names_cannot_start_a_line_in_any_mail_that_carries_a_name(app, make_user, smtp_server):
    """The class: every mail built in Python or from a template that carries a user-given name."""
    from praclox.auth import notices, reset, unlock
    from praclox.auth.models import User

    user = make_user("staff", name="Staff Person")
    with app.test_request_context():
        person = db.session.get(User, user.id)
        person.name = STORED_NAME
        db.session.commit()
        notices.send_notice(person, "password_changed")
        reset.request_reset(person.email)
        unlock.tell_user_of_attempts(person)
        db.session.commit()
    assert len(smtp_server.delivered()) == 3
    for message in smtp_server.delivered():
        assert_no_line_starts_with(message.raw, "INJECTED")


def test_the_reminder_digest_and_the_consent_request_keep_stored_names_on_one_line(
        app, make_user, make_office, smtp_server):
    from praclox.applicants import consent
    from praclox.applicants.models import Applicant, Vacancy
    from praclox.auth.models import User
    from praclox.clock import today
    from praclox.dates import reminders
    from praclox.dates.models import PersonalDate
    from praclox.offices.models import Contact

    user = make_user("staff")
    office_id = make_office("Kantoor BV", contacts=({"first_name": "Anna", "last_name": "Vries"},))
    with app.test_request_context():
        db.session.get(User, user.id).name = STORED_NAME
        contact = db.session.scalar(select(Contact).where(Contact.office_id == office_id))
        contact.first_name = "INJECTED\nINJECTED"
        day = today()
        db.session.add(PersonalDate(contact_id=contact.id, kind="birthday", month=day.month, day=day.day,
                                    year=1980))
        reminders.set_frequency(user.id, "daily")
        vacancy = Vacancy(title="Tester\nINJECTED vacancy", is_open=True)
        db.session.add(vacancy)
        db.session.flush()
        applicant = Applicant(name=STORED_NAME, email=remember_secret("sollicitant@example.nl"),
                              vacancy_id=vacancy.id, applied_on=day, last_activity_on=day)
        db.session.add(applicant)
        db.session.commit()
        reminders.send_digests(day)
        consent.send_request(applicant, actor=None)
        db.session.commit()
    assert len(smtp_server.delivered()) == 2
    for message in smtp_server.delivered():
        assert_no_line_starts_with(message.raw, "INJECTED")


@pytest.fixture
def limited(app):
    app.config.update(API_RATE_PER_KEY=5, API_RATE_PER_ADDRESS=8)
    return app


def test_a_key_gets_429_with_retry_after_past_its_limit_and_again_after_the_window(limited, client, api_key):
    with time_machine.travel(START, tick=False) as traveller:
        answers = [post(client, api_key, {"name": "Jan", "email": f"a{n}@example.nl"}, address=f"192.0.2.{n}")
                   for n in range(7)]
        assert [a.status_code for a in answers] == [202] * 5 + [429] * 2
        assert answers[-1].headers["Retry-After"] == "60" and answers[-1].json["error"] == "rate_limited"
        traveller.shift(timedelta(seconds=30))
        refused = post(client, api_key, {"name": "Jan", "email": "b@example.nl"})
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "30"
        traveller.shift(timedelta(seconds=31))
        assert post(client, api_key, {"name": "Jan", "email": "c@example.nl"}).status_code == 202
    assert registrations(limited) == 6


def test_an_address_gets_429_across_keys_and_for_guessed_keys(limited, client, api_key):
    from praclox.registrations import services

    with limited.app_context():
        _key, other = services.create_api_key("Second site", actor=None)
        db.session.commit()
    with time_machine.travel(START, tick=False):
        for n in range(4):
            assert post(client, api_key, {"name": "Jan", "email": f"a{n}@example.nl"}).status_code == 202
            assert post(client, other, {"name": "Jan", "email": f"b{n}@example.nl"}).status_code == 202
        assert post(client, other, {"name": "Jan", "email": "c@example.nl"}).status_code == 429
        assert post(client, other, {"name": "Jan", "email": "c@example.nl"}, address="198.51.100.1").status_code == 202
        guesser = "203.0.113.5"
        for n in range(8):
            assert post(client, f"pk_guess{n}", {"name": "Jan", "email": "d@example.nl"}, guesser).status_code == 401
        answer = post(client, api_key, {"name": "Jan", "email": "d@example.nl"}, guesser)
        assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 0


def test_the_limits_default_to_sixty_a_minute(app):
    assert app.config["API_RATE_PER_KEY"] == 60 and app.config["API_RATE_PER_ADDRESS"] == 60


def test_the_staff_form_refuses_the_issue_name_with_422_and_saves_nothing(app, staff_client, smtp_server):
    response = staff_client.post("/registrations/new", data={"name": ISSUE_NAME, "email": "jan@example.nl",
                                                             "status": "pending", "newsletter": "y"})
    response.close()
    assert response.status_code == 422
    assert "tekens die niet zijn toegestaan" in response.get_data(as_text=True)
    assert registrations(app) == 0 and smtp_server.delivered() == []
