"""The tier's own parts work the way an operator's installation does (these fixtures carry every other test)."""

from __future__ import annotations


def test_an_admin_logs_in_over_http_with_the_second_factor_and_the_server_logs_to_its_own_output(
    instance, server, login
):
    instance.create_user("tier.admin@praclox.example", "admin", name="Tier Beheerder")
    first = login(server, instance, "tier.admin@praclox.example")
    assert first.cookies.get("__Host-praclox")
    assert first.get("/").status == 200
    assert "tier.admin@praclox.example" in instance.factors  # enrolled on the way
    again = login(server, instance, "tier.admin@praclox.example")  # the second login asks for a code
    home = again.get("/")
    assert home.status == 200 and "Tier Beheerder" in home.text
    assert "GET /login" in server.output() or "/login" in server.output()


def test_a_password_reset_mail_arrives_at_the_relay_as_raw_bytes(instance, server, browser, smtp_relay):
    instance.create_user("tier.staff@praclox.example", "staff", name="Tier Medewerker")
    b = browser(server)
    answer = b.submit("/password-reset", email="tier.staff@praclox.example")
    assert answer.status in (200, 302)
    mail = smtp_relay.wait_for("tier.staff@praclox.example")[0]
    assert b"Subject:" in mail.raw and b"https://crm.example.test/reset/" in mail.raw


def test_pages_over_http_say_no_store_and_logout_clears_the_browser(instance, server, login):
    instance.create_user("tier.cache@praclox.example", "staff", name="Tier Cache")
    b = login(server, instance, "tier.cache@praclox.example")
    for path in ("/", "/offices/", "/account/sessions", "/privacy", "/login"):
        answer = b.get(path)
        assert answer.status in (200, 302), path
        assert "no-store" in answer.headers.get("cache-control", ""), path
    logout = b.post("/logout", {"csrf_token": b.form("/", "/logout")["csrf_token"]})
    assert logout.status == 302
    assert logout.headers.get("clear-site-data") == '"cache", "storage"'
    assert b.get("/offices/").status == 302  # the session is gone
