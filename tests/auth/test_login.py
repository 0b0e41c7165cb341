"""Logging in and out, sessions, passwords."""

from __future__ import annotations

import pytest

from praclox.auth.models import User
from praclox.extensions import db
from tests.conftest import TEST_PASSWORD, login


def test_every_page_but_login_needs_a_login(client):
    response = client.get("/offices/")
    assert response.status_code == 302 and "/login?next=%2Foffices%2F" in response.headers["Location"]
    assert client.get("/login").status_code == 200


def test_login_with_mixed_case_email_and_redirect_to_next(client, make_user):
    user = make_user("staff", email="anna.jansen@praclox.nl")
    response = client.post("/login?next=/offices/", data={"email": "Anna.Jansen@Praclox.NL", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/offices/"
    assert client.get("/offices/").status_code == 200
    assert user.email == "anna.jansen@praclox.nl"


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https:evil.example",
                                    "https://evil.example/", "javascript:alert(1)", "/%0d%0aLocation:x"])
def test_next_parameter_never_leaves_the_site(client, make_user, target):
    user = make_user("staff")
    response = client.post("/login", query_string={"next": target}, data={"email": user.email,
                                                                          "password": TEST_PASSWORD})
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location


def test_unknown_email_and_wrong_password_get_the_same_message(client, make_user):
    user = make_user("staff")
    wrong = client.post("/login", data={"email": user.email, "password": "not the password at all"})
    unknown = client.post("/login", data={"email": "nobody@praclox.nl", "password": "not the password at all"})
    assert wrong.status_code == unknown.status_code == 200
    message = "Onbekend e-mailadres of onjuist wachtwoord."
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_deactivated_users_session_stops_at_the_next_request(app, client, make_user):
    user = make_user("staff")
    login(client, user.email)
    assert client.get("/offices/").status_code == 200
    with app.app_context():
        from praclox.auth.services import deactivate

        deactivate(db.session.get(User, user.id), actor=None)
        db.session.commit()
    assert client.get("/offices/").status_code == 302
    assert login(client, user.email).status_code == 200  # and cannot log in again


def test_logout_is_post_only_and_ends_copies_of_the_cookie(app, make_user):
    user = make_user("staff")
    first, second = app.test_client(), app.test_client()
    login(first, user.email)
    login(second, user.email)
    assert first.get("/logout").status_code == 405
    first.post("/logout")
    assert first.get("/offices/").status_code == 302
    assert second.get("/offices/").status_code == 302  # every session of this user ended


def test_session_is_renewed_at_login(client, make_user):
    user = make_user("staff")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, user.email)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_password_change_requires_current_password_and_a_strong_new_one(app, client, make_user):
    user = make_user("staff")
    login(client, user.email)
    bad_current = client.post("/account/password", data={"current": "wrong", "new": "a long new passphrase 9",
                                                          "confirm": "a long new passphrase 9"})
    assert bad_current.status_code == 422
    for weak in ("short", "password1234", "aaaaaaaaaaaaaaaa"):
        response = client.post("/account/password", data={"current": TEST_PASSWORD, "new": weak, "confirm": weak})
        assert response.status_code == 422, weak
    ok = client.post("/account/password", data={"current": TEST_PASSWORD, "new": "a long new passphrase 9",
                                                "confirm": "a long new passphrase 9"})
    assert ok.status_code == 302
    assert client.get("/offices/").status_code == 200  # this session goes on
    assert login(app.test_client(), user.email).status_code == 200  # the old password no longer works
    assert login(app.test_client(), user.email, "a long new passphrase 9").status_code == 302


def test_one_time_password_forces_a_password_change_first(app, client):
    with app.app_context():
        from praclox.auth.services import create_user

        user, one_time = create_user("nieuw@praclox.nl", "Nieuwe Collega", ["staff"], actor=None)
        db.session.commit()
    assert login(client, "nieuw@praclox.nl", one_time).status_code == 302
    response = client.get("/offices/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/password")
    client.post("/account/password", data={"current": one_time, "new": "my own long passphrase",
                                           "confirm": "my own long passphrase"})
    assert client.get("/offices/").status_code == 200


def test_hash_is_upgraded_at_login_when_parameters_change(app, client, make_user):
    user = make_user("staff")
    with app.app_context():
        old_hash = db.session.get(User, user.id).password_hash
    app.config["ARGON2_TIME_COST"] = 2
    login(client, user.email)
    with app.app_context():
        new_hash = db.session.get(User, user.id).password_hash
    assert old_hash != new_hash and "t=2" in new_hash and "argon2id" in new_hash


def test_production_hash_parameters_meet_owasp_minimum(app):
    from praclox.auth.passwords import DEFAULT_MEMORY_COST_KIB, DEFAULT_TIME_COST

    assert DEFAULT_MEMORY_COST_KIB >= 19 * 1024 and DEFAULT_TIME_COST >= 2


def test_logout_without_csrf_token_is_refused(app, make_user):
    user = make_user("staff")
    client = app.test_client(csrf_token=False)
    page = client.get("/login").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                       "csrf_token": token}).status_code == 302
    assert client.post("/logout").status_code == 400
    assert client.get("/offices/").status_code == 200  # still logged in
