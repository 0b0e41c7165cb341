"""Smaller ASVS level-2 points, each with its number: response details, proxies, objects reached through
their parents, access-control failures in the log, notices of changed sign-in details."""

from __future__ import annotations

import logging

import pytest
from praclox_testsupport import TEST_PASSWORD

from praclox.auth.passwords import password_problem


def test_14_4_1_html_pages_name_their_charset(client):
    assert client.get("/login").headers["Content-Type"] == "text/html; charset=utf-8"


def test_14_5_3_no_cross_origin_sharing_is_offered(client):
    response = client.get("/login", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_14_5_4_forwarded_headers_are_ignored_without_the_proxy_setting(client):
    response = client.get("/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"})
    assert "Strict-Transport-Security" not in response.headers
    assert "evil.example" not in response.get_data(as_text=True)


def test_12_5_1_static_files_cannot_reach_outside_the_static_folder(client):
    for path in ("/static/../setup.cfg", "/static/%2e%2e/setup.cfg", "/static/..%2fsetup.cfg",
                 "/static/../instance/secret_key", "/static/../.git/config"):
        response = client.get(path)
        response.close()
        assert response.status_code == 404, path


def test_4_2_1_a_contact_is_reached_only_through_its_own_office(staff_client, make_office):
    first = make_office("Eerste BV", contacts=({"first_name": "Ina", "last_name": "Eerstelinge"},))
    second = make_office("Tweede BV")
    assert staff_client.get(f"/offices/{first}/contacts/1").status_code == 200
    assert staff_client.get(f"/offices/{second}/contacts/1").status_code == 404
    assert staff_client.post(f"/offices/{second}/contacts/1/delete").status_code == 404


def test_7_2_2_access_control_failures_are_logged_without_personal_data(staff_client, caplog):
    with caplog.at_level(logging.WARNING, logger="praclox.errors"):
        assert staff_client.get("/admin/users").status_code == 403
    line = next(r.getMessage() for r in caplog.records if "access denied" in r.getMessage())
    assert "/admin/users" in line and f"user {staff_client.user.id}" in line
    assert staff_client.user.email not in line


def test_7_2_1_authentication_decisions_are_logged_without_the_address(client, make_user, caplog):
    user = make_user("staff")
    with caplog.at_level(logging.INFO, logger="praclox.auth"):
        client.post("/login", data={"email": user.email, "password": "wrong wrong wrong"})
        client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    text = caplog.text
    assert "login failed at the password step" in text and f"login of user {user.id}" in text
    assert user.email not in text


def test_8_2_3_logout_asks_the_browser_to_drop_its_copies(staff_client):
    response = staff_client.post("/logout")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


@pytest.mark.parametrize(("length", "accepted"), [(64, True), (128, True), (129, False)])
def test_2_1_2_long_passwords_up_to_128_characters(ctx, length, accepted):
    password = ("lange zin met woorden " * 10)[:length]
    assert (password_problem(password) is None) is accepted


def test_2_1_3_a_password_is_not_truncated(client, make_user):
    user = make_user("staff")
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD + "x"})
    assert response.status_code == 200  # refused: the extra character counts


def test_2_1_6_changing_the_password_needs_the_current_one(staff_client):
    response = staff_client.post("/account/password", data={
        "current": "not my password at all", "new": "a new long passphrase 9", "confirm": "a new long passphrase 9"})
    assert response.status_code == 422


class TestNotices:
    """2.2.3 / 2.5.5: a change to how a user signs in is told to them by e-mail."""

    @pytest.fixture
    def app_config(self, mail_app_config):
        return mail_app_config

    def test_a_password_change_is_told_by_mail(self, staff_client, smtp_server):
        staff_client.post("/account/password", data={
            "current": TEST_PASSWORD, "new": "a new long passphrase 9", "confirm": "a new long passphrase 9"})
        assert len(smtp_server.delivered()) == 1
        message = smtp_server.delivered()[0]
        assert message["To"] == staff_client.user.email
        assert "Je wachtwoord is gewijzigd." in message.get_content()
        assert "a new long passphrase 9" not in message.get_content()

    def test_switching_two_step_login_on_is_told_by_mail(self, app, staff_client, smtp_server):
        import re

        import pyotp

        staff_client.post("/account/two-factor/start")
        page = staff_client.get("/account/two-factor").get_data(as_text=True)
        secret = re.search(r'class="totp-secret">([A-Z2-7]+)<', page).group(1)
        staff_client.post("/account/two-factor/confirm", data={"code": pyotp.TOTP(secret).now()})
        assert len(smtp_server.delivered()) == 1
        assert "Inloggen in twee stappen is aangezet" in smtp_server.delivered()[0].get_content()
        assert secret not in smtp_server.delivered()[0].get_content()


def test_5_1_3_a_nul_character_in_a_query_parameter_is_refused_everywhere(staff_client):
    for url in ("/offices/?q=%00", "/offices/?q=a%00b", "/login?next=/%00"):
        assert staff_client.get(url).status_code == 400, url
    assert staff_client.get("/offices/?q=jansen").status_code == 200
