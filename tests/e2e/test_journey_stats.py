"""Browser journey through the use analysis: a consultant logs a visit and sees the visit's bar of this month
grow on the contact-moments chart, drawn under the strict CSP, with its number in the table beside it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from babel.dates import format_date
from praclox_testsupport import TEST_PASSWORD

pytestmark = pytest.mark.e2e


def _visits_this_month(page) -> str:
    """The table's visit count for this month (columns: month, call, meeting, visit, ...)."""
    month = format_date(date.today(), "MMM yyyy", locale="nl")
    row = page.locator("#chart-moments tbody tr", has=page.locator("th", has_text=month))
    return row.locator("td").nth(2).inner_text().strip()


def test_a_logged_visit_moves_the_visit_bar_of_this_month(app, journey, page, make_user, make_office):
    user = make_user("staff", name="Vera Visite")
    office_id = make_office("Drukkerij Het Anker")
    month = format_date(date.today(), "MMM yyyy", locale="nl")
    visit_bar = page.locator("#chart-moments rect.stats-s2", has=page.locator("title", has_text=f"{month}, Bezoek"))

    journey.login(user.email, TEST_PASSWORD)
    page.wait_for_url(re.compile(r".*/$"))
    page.locator("nav").get_by_text("Analyse").click()
    page.wait_for_url("**/stats/")
    page.get_by_role("link", name="Contactmomenten").click()
    page.wait_for_url("**/stats/contacts")
    assert _visits_this_month(page) == "0" and visit_bar.count() == 0

    page.goto(f"/offices/{office_id}")
    page.select_option("#kind", "visit")
    page.fill("#summary", "Langs geweest voor de nieuwe drukpers.")
    page.click("form[action$='/interactions'] #submit")
    page.wait_for_url(f"**/offices/{office_id}")

    page.goto("/stats/contacts")
    assert _visits_this_month(page) == "1"
    assert visit_bar.count() == 1 and visit_bar.bounding_box()["height"] > 10
    journey.shot("contacts-chart")
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible() and not page.get_by_text("Downloaden als CSV").first.is_visible()
    journey.shot("contacts-print")
