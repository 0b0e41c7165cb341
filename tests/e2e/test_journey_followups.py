"""Browser journey through follow-ups (issue 13's quality bar): a staff member logs a call and ticks a follow-up
for tomorrow; the next day (the clock moves forward a day, and they log in again) it is on their dashboard under
today; they mark it done there and find it, with the call, on the activity timeline.
Fixtures: tests/praclox_browser.py."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from praclox_testsupport import TEST_PASSWORD

from praclox.clock import today, zone

pytestmark = pytest.mark.e2e

TASK = "Offerte btw-begeleiding sturen"


def test_a_follow_up_ticked_on_a_call_is_on_tomorrows_dashboard_and_once_done_on_the_timeline(
        app, journey, page, make_user, make_office):
    staff = make_user("staff", name="Sanne Staf")
    office_id = make_office("Bakker Belastingadvies", contacts=({"first_name": "Henk", "last_name": "Bakker"},))
    tomorrow = today() + timedelta(days=1)

    journey.login(staff.email, TEST_PASSWORD)
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(f"/offices/{office_id}")
    assert page.input_value("#follow_up_on") == (today() + timedelta(days=7)).isoformat()  # next week by default
    page.select_option("#kind", "call")
    page.select_option("#contact_id", label="Henk Bakker")
    page.fill("#summary", "Belde over de btw-aangifte; wil een offerte.")
    page.check("#follow_up")
    page.fill("#follow_up_on", tomorrow.isoformat())
    page.fill("#follow_up_title", TASK)
    journey.shot("log-call-with-follow-up")
    page.click("form[action$='/interactions'] #submit")
    page.wait_for_url(re.compile(rf".*/offices/{office_id}$"))
    assert "follow-up gepland" in page.locator(".alert-success").inner_text()
    assert page.locator("#follow-ups", has_text=TASK).is_visible()
    page.goto("/")
    assert TASK in page.locator(".follow-ups-week").inner_text()  # tomorrow: this week, not yet today
    journey.logout()

    # the next morning (the live server shares this clock; the page rests on a blank document meanwhile)
    page.goto("about:blank")
    with time_machine.travel(datetime.now(zone()) + timedelta(days=1)):
        journey.login(staff.email, TEST_PASSWORD)
        page.wait_for_url(re.compile(r".*/$"))
        due_today = page.locator(".follow-ups-today li", has_text=TASK)
        assert due_today.is_visible() and "Henk Bakker" in due_today.inner_text()
        journey.shot("dashboard-next-day")
        due_today.locator("form[action$='/complete'] button").click()
        page.wait_for_url(re.compile(r".*/$"))
        assert TASK not in page.locator(".follow-ups-panel").inner_text()

        page.click("nav a[href='/timeline/']")
        page.wait_for_url("**/timeline/")
        done = page.locator("li.timeline-follow_up_done", has_text=TASK)
        assert done.is_visible() and "Sanne Staf" in done.inner_text() and "Bakker Belastingadvies" in done.inner_text()
        assert page.locator("li.timeline-contact_moment", has_text="Belde over de btw-aangifte").is_visible()
        page.select_option("select[name=kind]", "follow_up_done")
        page.select_option("select[name=user]", label="Sanne Staf")
        page.click("form[method=get] button[type=submit]")
        page.wait_for_url(re.compile(r".*/timeline/\?.*kind=follow_up_done"))
        assert page.locator("li.timeline-follow_up_done", has_text=TASK).count() == 1
        assert page.locator("li.timeline-contact_moment").count() == 0
        journey.shot("timeline")
