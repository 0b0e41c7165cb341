"""The second factor: enrolment by QR, codes once only, recovery codes, required for admin and privacy
officer, encrypted at rest (ASVS V2.7, V2.8, V6.2)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pyotp
import pytest
from auth_helpers import code_for, enrol, login_client, post_login
from praclox_testsupport import TEST_PASSWORD, remember_secret
from sqlalchemy import select, text

from praclox import create_app
from praclox.auth import totp
from praclox.auth.models import RecoveryCode, TotpFactor, User
from praclox.extensions import db


def enrol_through_the_pages(client) -> tuple[str, list[str]]:
    """Set up two-step login as a user would: start, read the key, confirm a code; returns secret and codes."""
    assert client.post("/account/two-factor/start").status_code == 302
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = remember_secret(re.search(r'class="totp-secret">([A-Z2-7]+)<', page).group(1))
    qr = client.get("/account/two-factor/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    confirmed = client.post("/account/two-factor/confirm", data={"code": code_for(secret)})
    assert confirmed.status_code == 200
    codes = re.findall(r"<li>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</li>", confirmed.get_data(as_text=True))
    for code in codes:
        remember_secret(code)
    return secret, codes


def test_the_production_default_requires_it_for_admin_and_privacy_officer(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": "sqlite://"})
    with app.app_context():
        assert set(totp.required_roles()) == {"admin", "privacy_officer"}


@pytest.mark.parametrize("role", ["admin", "privacy_officer"])
def test_admin_and_privacy_officer_are_sent_to_enrolment_until_done(app, make_user, role):
    user = make_user(role, second_factor=False)
    client = login_client(app, user)
    for url in ("/", "/admin/users", "/offices/"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor", url
    enrol_through_the_pages(client)
    assert client.get("/").status_code == 200


def test_staff_are_offered_it_but_not_forced(app, make_user):
    client = login_client(app, make_user("staff"))
    assert client.get("/").status_code == 200
    assert "Inloggen in twee stappen instellen" in client.get("/account/two-factor").get_data(as_text=True)


def test_a_setting_requires_it_for_everyone(app, make_user):
    from praclox.settings import services as settings

    with app.test_request_context():
        settings.set_value(totp.FOR_ALL, True, actor=None)
        db.session.commit()
    client = login_client(app, make_user("staff", second_factor=False))
    assert client.get("/offices/").headers["Location"] == "/account/two-factor"


def test_the_first_admin_changes_the_one_time_password_then_enrols(app):
    from praclox.auth import services

    with app.app_context():
        user, one_time = services.create_user(remember_secret("first-admin@praclox.nl"), "Eerste Beheerder",
                                              ["admin", "staff"], actor=None)
        db.session.commit()
    remember_secret(one_time)
    client = app.test_client()
    assert post_login(client, "first-admin@praclox.nl", one_time).status_code == 302
    assert client.get("/").headers["Location"] == "/account/password"
    changed = client.post("/account/password", data={
        "current": one_time, "new": "my own long passphrase 2026", "confirm": "my own long passphrase 2026"})
    assert changed.status_code == 302
    assert client.get("/").headers["Location"] == "/account/two-factor"
    enrol_through_the_pages(client)
    assert client.get("/").status_code == 200


def test_after_enrolment_login_needs_a_code_and_each_code_works_once(app, make_user):
    user = make_user("staff")
    client = login_client(app, user)
    secret, codes = enrol_through_the_pages(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    client.post("/logout")

    fresh = app.test_client()
    response = post_login(fresh, user.email)
    assert response.headers["Location"] == "/login/verify"
    assert fresh.get("/").status_code == 302  # not logged in yet
    code = code_for(secret, 1)
    assert fresh.post("/login/verify", data={"code": code}).status_code == 302
    assert fresh.get("/").status_code == 200

    replay = app.test_client()
    post_login(replay, user.email)
    refused = replay.post("/login/verify", data={"code": code})
    assert refused.status_code == 422
    assert replay.get("/").status_code == 302


def test_a_recovery_code_works_once(app, make_user):
    user = make_user("staff")
    client = login_client(app, user)
    _secret, codes = enrol_through_the_pages(client)
    first = app.test_client()
    post_login(first, user.email)
    assert first.post("/login/verify", data={"code": codes[3].upper()}).status_code == 302
    second = app.test_client()
    post_login(second, user.email)
    assert second.post("/login/verify", data={"code": codes[3]}).status_code == 422
    assert "Ongebruikte herstelcodes: 9." in first.get("/account/two-factor").get_data(as_text=True)


def test_the_secret_is_encrypted_at_rest_and_recovery_codes_are_hashed(app, make_user):
    user = make_user("staff")
    client = login_client(app, user)
    secret, codes = enrol_through_the_pages(client)
    with app.app_context():
        raw_secret = db.session.execute(text("SELECT secret FROM totp_factors")).scalar_one()
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert secret not in raw_secret and raw_secret.startswith("gAAAA")  # a Fernet token
    assert len(hashes) == 10 and all(h.startswith("$argon2id$") for h in hashes)
    assert not any(c.replace("-", "") in h for c in codes for h in hashes)


def test_the_qr_code_is_gone_once_enrolment_is_confirmed_and_get_never_starts_one(app, make_user):
    user = make_user("staff")
    client = login_client(app, user)
    assert client.get("/account/two-factor/qr.svg").status_code == 404
    client.get("/account/two-factor")
    with app.app_context():
        assert db.session.scalar(select(TotpFactor)) is None
    enrol_through_the_pages(client)
    assert client.get("/account/two-factor/qr.svg").status_code == 404


def test_a_code_is_checked_against_neighbouring_steps_only(ctx, make_user):
    user = make_user("staff")
    person = db.session.get(User, user.id)
    factor = totp.start_enrolment(person)
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC).timestamp()
    generator = pyotp.TOTP(factor.secret)
    assert not totp.check_code(factor, generator.at(moment - 90), at=moment)
    assert totp.check_code(factor, generator.at(moment - 30), at=moment)
    assert totp.check_code(factor, generator.at(moment), at=moment)
    assert not totp.check_code(factor, generator.at(moment - 30), at=moment)  # an older step after a newer
    assert not totp.check_code(factor, "12345", at=moment)
    assert not totp.check_code(factor, "abcdef", at=moment)


def test_a_role_that_requires_it_cannot_switch_it_off_but_staff_can(app, make_user):
    admin = make_user("admin")
    secret = enrol(app, admin)
    admin_client = app.test_client()
    post_login(admin_client, admin.email)
    admin_client.post("/login/verify", data={"code": code_for(secret)})
    admin_client.post("/account/two-factor/remove")
    with app.app_context():
        assert totp.is_enrolled(db.session.get(User, admin.id))

    staff = make_user("staff")
    client = login_client(app, staff)
    enrol_through_the_pages(client)
    assert client.post("/account/two-factor/remove").status_code == 302
    with app.app_context():
        assert not totp.is_enrolled(db.session.get(User, staff.id))


def test_reauthentication_asks_for_the_code_when_enrolled(app, make_user):
    import time_machine

    user = make_user("admin")
    secret = enrol(app, user)
    with time_machine.travel(time.time() - 3600, tick=True) as traveller:
        client = app.test_client()
        post_login(client, user.email)
        assert client.post("/login/verify", data={"code": code_for(secret)}).status_code == 302
        traveller.shift(15 * 60)
        target = client.get(f"/admin/users/{user.id}")
        assert target.headers["Location"].startswith("/account/confirm")
        without_code = client.post(target.headers["Location"], data={"password": TEST_PASSWORD})
        assert without_code.status_code == 422
        with_code = client.post(target.headers["Location"],
                                data={"password": TEST_PASSWORD, "code": code_for(secret)})
        assert with_code.status_code == 302
        assert client.get(f"/admin/users/{user.id}").status_code == 200


def test_cli_resets_a_lost_second_factor(app, runner, make_user):
    user = make_user("staff")
    enrol(app, user)
    result = runner.invoke(args=["user", "reset-two-factor", user.email])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert not totp.is_enrolled(db.session.get(User, user.id))


def test_an_admin_removes_a_lost_second_factor_and_the_users_sessions_end(app, make_user):
    admin, user = make_user("admin"), make_user("staff")
    admin_secret = enrol(app, admin)
    user_secret = enrol(app, user)
    user_client = app.test_client()
    post_login(user_client, user.email)
    user_client.post("/login/verify", data={"code": code_for(user_secret)})
    assert user_client.get("/").status_code == 200
    admin_client = app.test_client()
    post_login(admin_client, admin.email)
    admin_client.post("/login/verify", data={"code": code_for(admin_secret)})
    listing = admin_client.get("/admin/users").get_data(as_text=True)
    assert listing.count(">aan<") == 2  # both have two-step login on
    response = admin_client.post(f"/admin/users/{user.id}/two-factor/reset")
    assert response.status_code == 302
    with app.app_context():
        assert not totp.is_enrolled(db.session.get(User, user.id))
        assert totp.is_enrolled(db.session.get(User, admin.id))
    assert user_client.get("/").status_code == 302  # the user's session has ended
    assert admin_client.post("/admin/users/999999/two-factor/reset").status_code == 404


def test_removing_someone_elses_second_factor_needs_recent_authentication(app, make_user):
    import time_machine

    admin, user = make_user("admin"), make_user("staff")
    admin_secret = enrol(app, admin)
    enrol(app, user)
    with time_machine.travel(time.time() - 3600, tick=True) as traveller:
        client = app.test_client()
        post_login(client, admin.email)
        client.post("/login/verify", data={"code": code_for(admin_secret)})
        traveller.shift(11 * 60)
        response = client.post(f"/admin/users/{user.id}/two-factor/reset",
                               headers={"Referer": f"http://localhost/admin/users/{user.id}"})
        assert response.headers["Location"].startswith("/account/confirm")
    with app.app_context():
        assert totp.is_enrolled(db.session.get(User, user.id))
