"""The lockout attack of issue 11 (finding 3), over HTTP against the server process behind its proxy setting:
five wrong passwords for the administrator from five addresses no longer keep the administrator out, and an
address that keeps guessing stays slowed. The holder's notice, with the unlock link, is read from the raw bytes
the SMTP relay received."""

from __future__ import annotations

import re

from operator_http import Browser, login_over_http

ADMIN = "lock.admin@praclox.example"


def guess(server, source, password="not the password at all"):
    b = Browser(server.base_url)
    headers = {"X-Forwarded-For": source}
    token = b.form(b.get("/login", headers=headers))["csrf_token"]
    return b.post("/login", {"csrf_token": token, "email": ADMIN, "password": password}, headers=headers)


def test_five_guesses_from_five_addresses_leave_the_admin_a_way_in_and_slow_the_guesser(
        instance, server, smtp_relay):
    instance.create_user(ADMIN, "admin", name="Lock Beheerder")
    login_over_http(server, instance, ADMIN)  # enrols the second factor once
    for n in range(5):
        assert guess(server, f"198.51.100.{n}").status == 200
    owner = login_over_http(server, instance, ADMIN)  # from the proxy's own address, not one of the five
    assert owner.get("/").status == 200
    for _ in range(4):  # one address keeps going: five failures of its own
        guess(server, "198.51.100.0")
    refused = guess(server, "198.51.100.0", password=instance.passwords[ADMIN])
    assert refused.status == 429
    assert login_over_http(server, instance, ADMIN).get("/").status == 200
    notice = smtp_relay.wait_for(ADMIN)[-1].raw
    assert re.search(rb"https://crm\.example\.test/unlock/[A-Za-z0-9_.-]+", notice)
