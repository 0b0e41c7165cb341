"""Browser journeys through the foundation pages: the first admin's login (password change, then two-step
enrolment by QR code), and a consultant's day (log in with a code, an office, a contact, a call, a prospect
that becomes a client, log out). Fixtures: tests/praclox_browser.py."""

from __future__ import annotations

import re

import pyotp
import pytest
from praclox_testsupport import TEST_PASSWORD, remember_secret

from praclox.extensions import db

pytestmark = pytest.mark.e2e


def test_the_first_admin_changes_the_password_then_enrols_the_second_factor(app, journey, page):
    from praclox.auth import services
    from praclox.auth.models import ROLE_VALUES

    with app.app_context():
        user, one_time = services.create_user(remember_secret("first.admin@praclox.nl"), "Beheerder", ROLE_VALUES,
                                              actor=None)
        db.session.commit()
    remember_secret(one_time)

    journey.login("first.admin@praclox.nl", one_time)
    page.wait_for_url("**/account/password")
    journey.shot("password-change")
    new_password = "our own long passphrase 2026"
    page.fill("#current", one_time)
    page.fill("#new", new_password)
    page.fill("#confirm", new_password)
    page.click("#submit")

    page.wait_for_url("**/account/two-factor")
    page.click("form[action='/account/two-factor/start'] button")
    page.wait_for_url("**/account/two-factor")
    qr = page.locator("img.qr-code")
    qr.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", qr.element_handle())
    secret = remember_secret(page.locator(".totp-secret").inner_text().strip())
    journey.shot("enrolment-qr")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("#submit")
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    for code in codes:
        remember_secret(code)
    journey.shot("recovery-codes")
    page.click("text=Ik heb ze bewaard")
    page.wait_for_url(re.compile(r".*/$"))
    assert page.locator("nav").get_by_text("Gebruikers").is_visible()
    journey.shot("dashboard-admin")

    journey.logout()
    journey.login("first.admin@praclox.nl", new_password, code=codes[0])
    page.wait_for_url(re.compile(r".*/$"))
    assert page.locator("nav .dropdown-toggle").inner_text().strip() == "Beheerder"


def test_a_consultant_logs_in_with_a_code_and_turns_a_prospect_into_a_client(app, journey, page, make_user):
    user = make_user("staff", "admin", name="Carla Consultant")  # admin: enrolled in a second factor
    journey.login(user.email, TEST_PASSWORD, code=pyotp.TOTP(user.totp_secret).now())
    page.wait_for_url(re.compile(r".*/$"))
    journey.shot("dashboard")

    page.locator("nav").get_by_text("Kantoren").click()
    page.wait_for_url("**/offices/")
    page.goto("/offices/new")
    page.select_option("#kind", "prospect")
    page.fill("#name", "Bakkerij De Korenschoof")
    page.fill("#visit_city", "Amersfoort")
    page.fill("#phone", "033 123 45 67")
    page.fill("#notes", "<script>alert('x')</script> notes stay text")
    journey.shot("office-form")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/offices/\d+$"))
    assert page.locator("h1").inner_text().startswith("Bakkerij De Korenschoof")
    assert "<script>alert('x')</script>" in page.locator("dd.text-pre-wrap").inner_text()
    office_url = page.url

    page.get_by_text("Contactpersoon toevoegen").click()
    page.fill("#first_name", remember_secret("Annemarie"))
    page.fill("#last_name", remember_secret("Korenwolf"))
    page.fill("#email", remember_secret("annemarie.korenwolf@korenschoof.example"))
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/contacts/\d+$"))
    journey.shot("contact")

    page.goto(office_url)
    page.select_option("#kind", "call")
    page.select_option("#contact_id", label="Annemarie Korenwolf")
    page.fill("#summary", "Gebeld over de nieuwe kassa; offerte volgt.")
    page.click("form[action$='/interactions'] #submit")
    page.wait_for_url(office_url)
    assert page.get_by_text("Gebeld over de nieuwe kassa; offerte volgt.").is_visible()

    page.click("form[action$='/convert'] button")
    page.wait_for_url(office_url)
    assert page.locator("h1 .badge").inner_text().strip() == "Klant"
    journey.shot("office-client")

    journey.logout()
    page.goto("/")
    page.wait_for_url("**/login**")


def test_a_user_ends_a_forgotten_session_from_another_browser(app, browser, live_server, journey, page, make_user):
    user = make_user("staff", name="Sander Sessies")
    other = browser.new_context(base_url=live_server.url, locale="nl-NL")
    try:
        forgotten = other.new_page()
        forgotten.goto("/login")
        forgotten.fill("#email", user.email)
        forgotten.fill("#password", TEST_PASSWORD)
        forgotten.click("#submit")
        forgotten.wait_for_url(re.compile(r".*/$"))

        journey.login(user.email, TEST_PASSWORD)
        page.wait_for_url(re.compile(r".*/$"))
        page.click("nav .dropdown-toggle")
        page.get_by_text("Actieve sessies").click()
        page.wait_for_url("**/account/sessions")
        assert page.locator("tbody tr").count() == 2
        journey.shot("sessions")
        page.click("tbody form button")  # the one session that is not this one
        page.wait_for_url("**/account/sessions")
        assert page.locator("tbody tr").count() == 1

        forgotten.reload()
        forgotten.wait_for_url("**/login**")
    finally:
        other.close()
