"""Browser journey through the personal dates: a consultant enrols a second factor, logs in with it, adds an
office, a contact and a round birthday, sees it on the dashboard and in the month view, then makes a calendar
feed and fetches it without any cookie. Fixtures: tests/praclox_browser.py."""

from __future__ import annotations

import re
import urllib.request
from datetime import timedelta

import pyotp
import pytest
from praclox_testsupport import TEST_PASSWORD, remember_secret

from praclox.clock import today

pytestmark = pytest.mark.e2e


def _birthday_in_ten_days() -> tuple[int, int, int]:
    """Day, month and birth year of someone turning 50 about ten days from the app's today (never 29 Feb)."""
    upcoming = today() + timedelta(days=10)
    if (upcoming.month, upcoming.day) == (2, 29):
        upcoming += timedelta(days=1)
    return upcoming.day, upcoming.month, upcoming.year - 50


def _enrol_and_log_in_again(journey, page, email: str) -> None:
    page.goto("/account/two-factor")
    page.click("form[action='/account/two-factor/start'] button")
    page.wait_for_url("**/account/two-factor")
    secret = remember_secret(page.locator(".totp-secret").inner_text().strip())
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("#submit")
    for code in page.locator(".recovery-codes li").all_inner_texts():
        remember_secret(code)
    page.click("text=Ik heb ze bewaard")
    page.wait_for_url(re.compile(r".*/$"))
    journey.logout()
    # the code just used may not be used twice: wait for the next one when needed
    totp = pyotp.TOTP(secret)
    used = totp.now()
    code = used
    while code == used:
        page.wait_for_timeout(500)
        code = totp.now()
    journey.login(email, TEST_PASSWORD, code=code)
    page.wait_for_url(re.compile(r".*/$"))


def test_a_consultant_adds_a_round_birthday_and_finds_it_on_the_dashboard_month_view_and_feed(
        app, journey, page, make_user):
    user = make_user("staff", name="Dirk Datums")
    journey.login(user.email, TEST_PASSWORD)
    page.wait_for_url(re.compile(r".*/$"))
    _enrol_and_log_in_again(journey, page, user.email)
    journey.shot("dashboard-empty")

    page.goto("/offices/new")
    page.select_option("#kind", "client")
    page.fill("#name", "Drukkerij Het Jubileum")
    page.fill("#visit_city", "Zwolle")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/offices/\d+$"))
    page.get_by_text("Contactpersoon toevoegen").click()
    page.fill("#first_name", remember_secret("Geertruida"))
    page.fill("#last_name", remember_secret("Vijftigers"))
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/contacts/\d+$"))

    day, month, year = _birthday_in_ten_days()
    page.get_by_text("Datum toevoegen").click()
    page.select_option("#kind", "birthday")
    page.select_option("#day", str(day))
    page.select_option("#month", str(month))
    page.fill("#year", str(year))
    journey.shot("date-form")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/contacts/\d+$"))
    assert page.get_by_text("Vijftigers").first.is_visible()

    page.goto("/")
    panel_text = page.locator("main").inner_text()
    assert "Geertruida Vijftigers" in panel_text and "wordt 50" in panel_text
    journey.shot("dashboard-birthday")

    upcoming = today() + timedelta(days=10)
    page.goto(f"/dates/?year={upcoming.year}&month={upcoming.month}")
    assert "Vijftigers" in page.locator("main").inner_text()
    journey.shot("month-view")

    page.goto("/dates/account")
    page.fill("#name", "Telefoon")
    page.check("form[action$='/account/feeds'] input[value='birthday']")
    page.click("form[action$='/account/feeds'] #submit")
    feed_url = page.locator("#new-feed-url").input_value()
    remember_secret(feed_url.rsplit("/", 1)[-1].removesuffix(".ics"))
    journey.shot("feed-created")
    assert feed_url.startswith(journey.server.url + "/feeds/") and feed_url.endswith(".ics")

    page.goto("/dates/account")  # shown once: a fresh page does not show it again
    assert page.locator("#new-feed-url").count() == 0

    with urllib.request.urlopen(feed_url, timeout=10) as response:  # noqa: S310 - the local test server
        assert response.status == 200
        body = response.read().decode()
    assert "BEGIN:VEVENT" in body and "Vijftigers" in body
