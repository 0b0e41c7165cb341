"""Brute force: failures counted in the database per account and per address, a growing lockout that the
account holder learns of by e-mail, and one generic answer for unknown and known addresses (ASVS V2.2)."""

from __future__ import annotations

import re
import statistics
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from auth_helpers import code_for, enrol, post_login
from praclox_testsupport import TEST_PASSWORD, remember_secret
from sqlalchemy import select

from praclox.auth.models import LoginAttempt
from praclox.extensions import db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WRONG = "this is not the password"


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


def fail(client, email, times, **kw):
    return [post_login(client, email, WRONG, **kw) for _ in range(times)]


def test_five_failures_from_one_address_slow_it_even_for_the_right_password_and_the_holder_gets_one_mail(
        client, make_user, smtp_server):
    user = make_user("staff")
    with time_machine.travel(START, tick=False):
        answers = fail(client, user.email, 5)
        assert smtp_server.delivered() == []  # mailed once the answer is out: its timing tells no known address
        for answer in answers:
            answer.close()
        response = post_login(client, user.email)
    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.get_data(as_text=True)
    assert len(smtp_server.delivered()) == 1
    message = smtp_server.delivered()[0]
    assert message["To"] == user.email and "http://crm.test/unlock/" in message.get_content()
    with time_machine.travel(START + timedelta(seconds=30), tick=False):
        fail(client, user.email, 1)[0].close()
    assert len(smtp_server.delivered()) == 1  # one notice per lock, not per attempt


def test_the_lock_grows_with_each_further_failure_and_then_ends(client, make_user):
    user = make_user("staff")
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, user.email, 5)  # locked for 1 minute
        traveller.shift(timedelta(seconds=61))
        fail(client, user.email, 1)  # the 6th failure: locked for 2 minutes
        traveller.shift(timedelta(seconds=90))
        assert post_login(client, user.email).status_code == 429
        traveller.shift(timedelta(seconds=31))
        assert post_login(client, user.email).status_code == 302


def test_failures_older_than_the_window_do_not_count(client, make_user):
    user = make_user("staff")
    with time_machine.travel(START, tick=False) as traveller:
        fail(client, user.email, 4)
        traveller.shift(timedelta(minutes=15, seconds=1))
        fail(client, user.email, 4)
        assert post_login(client, user.email).status_code == 302


def test_a_successful_login_resets_the_account_count(client, app, make_user):
    user = make_user("staff")
    with time_machine.travel(START, tick=False):
        fail(client, user.email, 4)
        assert post_login(client, user.email).status_code == 302
        other = app.test_client()
        fail(other, user.email, 4)
        assert post_login(app.test_client(), user.email).status_code == 302


def test_an_unknown_address_is_locked_the_same_way_and_gets_no_mail(client, smtp_server):
    with time_machine.travel(START, tick=False):
        answers = fail(client, "nobody-here@praclox.nl", 5)
        locked = post_login(client, "nobody-here@praclox.nl")
    assert {a.status_code for a in answers} == {200} and locked.status_code == 429
    assert smtp_server.delivered() == []


def test_many_failures_from_one_address_lock_that_address_for_every_account(app, make_user):
    user = make_user("staff")
    attacker = app.test_client()
    with time_machine.travel(START, tick=False):
        for n in range(20):
            post_login(attacker, f"guess{n}@praclox.nl", WRONG, environ_base={"REMOTE_ADDR": "198.51.100.7"})
        blocked = post_login(attacker, user.email, environ_base={"REMOTE_ADDR": "198.51.100.7"})
        elsewhere = post_login(app.test_client(), user.email, environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert blocked.status_code == 429
    assert elsewhere.status_code == 302


def addr(n):
    return {"REMOTE_ADDR": f"198.51.100.{n}"}


OWNER = {"REMOTE_ADDR": "192.0.2.10"}


def test_five_wrong_passwords_from_five_addresses_do_not_keep_the_holder_out(app, make_user):
    """The attack of issue 11: the admin's account was locked for everyone by five guesses from five addresses."""
    admin = make_user("admin")
    with time_machine.travel(START, tick=False):
        for n in range(5):
            assert post_login(app.test_client(), admin.email, WRONG, environ_base=addr(n)).status_code == 200
        assert post_login(app.test_client(), admin.email, environ_base=OWNER).status_code == 302


def test_an_attacking_address_stays_slowed_while_the_holder_logs_in_from_elsewhere(app, make_user):
    admin = make_user("admin")
    attacker = app.test_client()
    with time_machine.travel(START, tick=False) as traveller:
        fail(attacker, admin.email, 5, environ_base=addr(1))
        assert post_login(attacker, admin.email, environ_base=addr(1)).status_code == 429
        assert post_login(app.test_client(), admin.email, environ_base=OWNER).status_code == 302
        # the holder's success does not lift the attacker's slow-down, which grows with each further failure
        assert post_login(attacker, admin.email, WRONG, environ_base=addr(1)).status_code == 429
        traveller.shift(timedelta(seconds=61))
        fail(attacker, admin.email, 1, environ_base=addr(1))  # the 6th failure: two minutes
        traveller.shift(timedelta(seconds=90))
        assert post_login(attacker, admin.email, environ_base=addr(1)).status_code == 429
        assert post_login(app.test_client(), admin.email, environ_base=OWNER).status_code == 302


def test_a_flood_from_many_addresses_closes_the_account_but_the_mailed_link_lets_the_holder_in(
        app, make_user, smtp_server):
    admin = make_user("admin")
    with time_machine.travel(START, tick=False):
        for n in range(25):  # the ceiling: about a hundred guesses an hour at most
            post_login(app.test_client(), admin.email, WRONG, environ_base=addr(n)).close()
        owner = app.test_client()
        assert post_login(owner, admin.email, environ_base=OWNER).status_code == 429
        assert len(smtp_server.delivered()) == 2  # at the fifth failure and at the ceiling
        body = smtp_server.delivered()[-1].get_content()
        link = re.search(r"http://crm\.test(/unlock/[A-Za-z0-9_.-]+)", body).group(1)
        remember_secret(link.rsplit("/", 1)[1])
        assert owner.get(link).status_code == 200  # a mail scanner opening the link unlocks nothing
        assert post_login(owner, admin.email, environ_base=OWNER).status_code == 429
        assert owner.post(link).status_code == 302  # the button (CSRF: security/test_state_changes.py)
        # the unlock holds for this browser only
        assert post_login(app.test_client(), admin.email, environ_base=OWNER).status_code == 429
        assert post_login(owner, admin.email, environ_base=OWNER).status_code == 302


def test_an_unlock_link_is_refused_when_forged_or_after_a_password_change(app, client, make_user):
    from praclox.auth import unlock

    user = make_user("staff")
    with app.test_request_context():
        token = unlock.make_token(db.session.get(type(user), user.id))
    remember_secret(token)
    assert client.get(f"/unlock/{token}").status_code == 200
    assert client.get(f"/unlock/{token[:-2]}xx").status_code == 404
    with app.app_context():
        db.session.get(type(user), user.id).session_version += 1
        db.session.commit()
    assert client.get(f"/unlock/{token}").status_code == 404


def test_wrong_second_factor_codes_count_towards_the_lock(app, client, make_user):
    user = make_user("staff")
    secret = enrol(app, user)
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            assert post_login(client, user.email).status_code == 302  # the password step
            client.post("/login/verify", data={"code": "000000"})
        response = post_login(client, user.email)
    assert response.status_code == 429
    assert secret  # the real code was never tried


def test_unknown_address_and_wrong_password_get_the_same_answer(client, make_user):
    user = make_user("staff")
    unknown = post_login(client, "not-a-user@praclox.nl", WRONG)
    wrong = post_login(client, user.email, WRONG)
    assert unknown.status_code == wrong.status_code == 200
    message = "Onbekend e-mailadres of onjuist wachtwoord."
    assert message in unknown.get_data(as_text=True) and message in wrong.get_data(as_text=True)


def test_an_inactive_account_gets_the_same_answer_as_a_wrong_password(client, make_user):
    user = make_user("staff", active=False)
    response = post_login(client, user.email)
    assert "Onbekend e-mailadres of onjuist wachtwoord." in response.get_data(as_text=True)


def test_unknown_address_and_wrong_password_take_about_the_same_time(app, make_user):
    from praclox.settings import services as settings

    with app.test_request_context():
        settings.set_value("auth.lockout_address_failures", 200, actor=None)
        settings.set_value("auth.lockout_account_failures", 20, actor=None)
        db.session.commit()
    assert "ARGON2_TIME_COST" not in app.config  # the production cost, so that hashing dominates as in production
    user = make_user("staff")
    client = app.test_client()

    def timed(email):
        started = time.perf_counter()
        post_login(client, email, WRONG)
        return time.perf_counter() - started

    timed(user.email), timed("warm-up@praclox.nl")
    known, unknown = [], []
    for n in range(9):  # interleaved, so that a busy machine slows both alike
        known.append(timed(user.email))
        unknown.append(timed(f"x{n}@praclox.nl"))
    ratio = statistics.median(unknown) / statistics.median(known)
    # measured: equal work gives about 1.0; without the dummy hash an unknown address answers 6 times faster
    assert 0.5 < ratio < 2.0, (known, unknown)


def test_the_attempts_table_holds_no_address_in_the_clear(app, client, make_user):
    user = make_user("staff")
    fail(client, user.email, 2)
    with app.app_context():
        rows = db.session.scalars(select(LoginAttempt)).all()
    assert len(rows) == 2
    for row in rows:
        assert "@" not in row.account_key and "127.0.0.1" not in row.address_key
        assert len(row.account_key) == len(row.address_key) == 64


def test_a_lock_reached_through_the_code_step_refuses_the_code_step_too(app, client, make_user):
    user = make_user("staff")
    secret = enrol(app, user)
    with time_machine.travel(START, tick=False):
        assert post_login(client, user.email).status_code == 302
        fail(app.test_client(), user.email, 5)
        response = client.post("/login/verify", data={"code": code_for(secret)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302
    assert TEST_PASSWORD


def test_wrong_current_passwords_on_the_change_form_count_like_failed_logins(app, make_user):
    """A stolen session could guess the current password without limit; now it is ended at the limit."""
    from auth_helpers import login_client

    user = make_user("staff")
    new = "a brand new passphrase for 2026"
    with time_machine.travel(START, tick=False) as traveller:
        session = login_client(app, user)
        traveller.shift(timedelta(seconds=1))
        for _ in range(5):
            response = session.post("/account/password", data={"current": WRONG, "new": new, "confirm": new})
            assert response.status_code == 422
        response = session.post("/account/password", data={"current": TEST_PASSWORD, "new": new, "confirm": new})
        assert response.status_code == 302 and response.headers["Location"].endswith("/login")
        assert session.get("/").status_code == 302  # the guessing session is over
        assert post_login(app.test_client(), user.email).status_code == 429  # same address, same limit
        assert post_login(app.test_client(), user.email, environ_base=OWNER).status_code == 302
    with app.app_context():
        from praclox.auth.passwords import verify_password

        assert verify_password(db.session.get(type(user), user.id).password_hash, TEST_PASSWORD)
