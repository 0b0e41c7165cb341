"""Password reset by an e-mailed single-use link valid 30 minutes; the password rules and argon2id with at
least the OWASP parameters (ASVS V2.1, V2.4, V2.5)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from argon2 import Type, extract_parameters
from auth_helpers import login_client, post_login
from praclox_testsupport import TEST_PASSWORD, remember_secret

from praclox import create_app
from praclox.auth.passwords import hash_password, password_problem

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NEW = "a fresh and long passphrase 31"


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


def ask_link(client, smtp_server, email) -> str:
    before = len(smtp_server.messages)
    response = client.post("/password-reset", data={"email": email})
    assert response.status_code == 302
    assert len(smtp_server.messages) == before  # mailed once the answer has gone out
    response.close()
    assert len(smtp_server.messages) == before + 1
    body = smtp_server.messages[-1].get_content()
    link = re.search(r"http://crm\.test(/reset/[A-Za-z0-9_-]+)", body).group(1)
    remember_secret(link.rsplit("/", 1)[1])
    return link


def test_a_reset_link_sets_a_new_password_once_and_ends_every_session(app, client, make_user, smtp_server):
    user = make_user("staff")
    other_session = login_client(app, user)
    link = ask_link(client, smtp_server, user.email)
    assert smtp_server.messages[-1]["To"] == user.email
    assert client.get(link).status_code == 200
    assert client.post(link, data={"new": NEW, "confirm": NEW}).status_code == 302
    assert other_session.get("/").status_code == 302
    assert post_login(app.test_client(), user.email, NEW).status_code == 302
    assert client.get(link).status_code == 404
    assert client.post(link, data={"new": NEW + "x", "confirm": NEW + "x"}).status_code == 404


def test_a_reset_link_expires_after_thirty_minutes(client, make_user, smtp_server):
    user = make_user("staff")
    with time_machine.travel(START, tick=False) as traveller:
        link = ask_link(client, smtp_server, user.email)
        traveller.shift(timedelta(minutes=29))
        assert client.get(link).status_code == 200
        traveller.shift(timedelta(minutes=1, seconds=1))
        assert client.get(link).status_code == 404


def test_a_newer_link_replaces_the_older_one(client, make_user, smtp_server):
    user = make_user("staff")
    old = ask_link(client, smtp_server, user.email)
    new = ask_link(client, smtp_server, user.email)
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, make_user, smtp_server):
    user = make_user("staff")
    known = client.post("/password-reset", data={"email": user.email}, follow_redirects=True)
    unknown = client.post("/password-reset", data={"email": "nobody-at-all@praclox.nl"}, follow_redirects=True)
    assert len(smtp_server.messages) == 1
    flash = re.compile(r'role="alert">\s*([^<]+?)\s*<')
    assert flash.findall(known.get_data(as_text=True)) == flash.findall(unknown.get_data(as_text=True))


def test_a_weak_new_password_is_refused_and_the_link_stays_usable(client, make_user, smtp_server):
    user = make_user("staff")
    link = ask_link(client, smtp_server, user.email)
    response = client.post(link, data={"new": "password1234", "confirm": "password1234"})
    assert response.status_code == 422
    assert client.get(link).status_code == 200


def test_reset_mails_are_capped_per_account_and_requests_throttled_per_address(app, client, make_user,
                                                                                 smtp_server):
    user = make_user("staff")
    with time_machine.travel(START, tick=False) as traveller:
        for n in range(6):  # six requests from six addresses: three mails, the last link mailed stays valid
            client.post("/password-reset", data={"email": user.email},
                        environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}).close()
        assert len(smtp_server.messages) == 3
        last = re.search(r"/reset/[A-Za-z0-9_-]+", smtp_server.messages[-1].get_content()).group(0)
        remember_secret(last.rsplit("/", 1)[1])
        assert client.get(last).status_code == 200
        source = {"REMOTE_ADDR": "203.0.113.9"}
        for n in range(20):
            client.post("/password-reset", data={"email": f"flood{n}@praclox.nl"}, environ_base=source).close()
        assert client.post("/password-reset", data={"email": user.email}, environ_base=source).status_code == 429
        traveller.shift(timedelta(minutes=16))
        assert client.post("/password-reset", data={"email": user.email}).status_code == 302


def test_reset_requests_are_not_login_failures(client, make_user, smtp_server):
    user = make_user("staff")
    for _ in range(6):
        client.post("/password-reset", data={"email": user.email}).close()
    assert post_login(client, user.email).status_code == 302


def test_failed_logins_do_not_block_the_reset(client, make_user, smtp_server):
    user = make_user("admin")
    for n in range(30):  # enough from enough addresses to close the account to password logins
        post_login(client, user.email, "not the password at all", environ_base={"REMOTE_ADDR": f"198.51.100.{n}"})
    assert post_login(client, user.email, environ_base={"REMOTE_ADDR": "192.0.2.44"}).status_code == 429
    link = ask_link(client, smtp_server, user.email)
    assert client.post(link, data={"new": NEW, "confirm": NEW}).status_code == 302
    assert post_login(client, user.email, NEW, environ_base={"REMOTE_ADDR": "192.0.2.44"}).status_code == 302


def test_known_and_unknown_addresses_are_answered_before_any_mail_or_token_work(app, client, make_user,
                                                                                smtp_server):
    from sqlalchemy import func, select

    from praclox.auth.models import PasswordResetToken
    from praclox.extensions import db

    user = make_user("staff")
    known = client.post("/password-reset", data={"email": user.email})
    with app.app_context():
        assert db.session.scalar(select(func.count(PasswordResetToken.id))) == 0
    assert smtp_server.messages == []
    known.close()
    assert len(smtp_server.messages) == 1


def test_the_token_is_stored_only_as_a_hash(app, client, make_user, smtp_server):
    from sqlalchemy import select

    from praclox.auth.models import PasswordResetToken
    from praclox.extensions import db

    user = make_user("staff")
    token = ask_link(client, smtp_server, user.email).rsplit("/", 1)[1]
    with app.app_context():
        stored = db.session.scalar(select(PasswordResetToken.token_hash))
    assert token not in stored and len(stored) == 64


def test_production_hashing_is_argon2id_with_at_least_the_owasp_parameters(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://"})
    with app.app_context():
        params = extract_parameters(hash_password("a long enough passphrase 1"))
    assert params.type is Type.ID
    # OWASP: argon2id with m=19 MiB, t=2, p=1 at least (or a stronger trade-off of memory and time)
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2 and params.parallelism >= 1
    assert params.salt_len >= 16 and params.hash_len >= 32


@pytest.mark.parametrize("password", [
    "short pass1",  # 11 characters
    "1qaz2wsx3edc",  # common (in the bundled list)
    "aaaaaaaaaaaaaaaa",  # too few distinct characters
    # common words after normalising: case, digits and signs around them, digits for letters, Dutch words
    "wachtwoord1234", "Wachtwoord2026!", "W4chtw00rd!!", "Welkom123456", "Password123456!", "Feyenoord1908",
])
def test_weak_passwords_are_refused(ctx, password):
    assert password_problem(password) is not None


def test_a_long_passphrase_with_spaces_and_unicode_is_accepted(ctx):
    assert password_problem("één fiets op de brug ☂ 2026") is None
    assert password_problem("x" * 12 + "yz12") is None


def test_the_password_page_refuses_a_common_dutch_word_with_digits(staff_client, app):
    from praclox.auth.models import User
    from praclox.extensions import db

    with app.app_context():
        before = db.session.get(User, staff_client.user.id).password_hash
    response = staff_client.post("/account/password", data={
        "current": TEST_PASSWORD, "new": "wachtwoord1234", "confirm": "wachtwoord1234"})
    assert response.status_code == 422 and "komt te vaak voor" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, staff_client.user.id).password_hash == before
