"""Calendar feed settings in the browser: a new feed's kinds show ticked right after creating it, one kind can
be unticked and saved (no box is required on its own), and revoking asks first. Fixtures:
tests/praclox_browser.py."""

from __future__ import annotations

import pytest
from praclox_testsupport import TEST_PASSWORD

pytestmark = pytest.mark.e2e


def _boxes(page, feed_row) -> dict[str, bool]:
    form = page.locator("form[action$='/account/feeds/1']")
    return {box.get_attribute("value"): box.is_checked() for box in form.locator("input[name$='kinds']").all()}


def test_feed_kinds_show_their_state_save_one_unticked_and_revoke_asks(app, journey, page, make_user):
    user = make_user("staff", name="Feed Gebruiker")
    journey.login(user.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/dates/account")
    page.fill("#name", "Telefoon")
    page.uncheck("form[action$='/account/feeds'] input[value='child_birthday']")
    page.click("form[action$='/account/feeds'] button[type=submit], form[action$='/account/feeds'] #submit")
    page.wait_for_selector("#new-feed-url")
    assert _boxes(page, 1) == {"birthday": True, "child_birthday": False, "wedding": True}
    assert page.locator("input[name$='kinds'][required]").count() == 0

    page.uncheck("form[action$='/account/feeds/1'] input[value='wedding']")
    page.click("form[action$='/account/feeds/1'] button")
    page.wait_for_selector(".alert-success")
    assert _boxes(page, 1) == {"birthday": True, "child_birthday": False, "wedding": False}

    revoke = "form[action$='/account/feeds/1/revoke'] button"
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click(revoke)
    assert page.locator(revoke).count() == 1  # dismissed: nothing happened
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(revoke)
    page.wait_for_selector(".alert-success")
    assert page.locator(revoke).count() == 0
