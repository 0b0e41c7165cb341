"""Browser journey through the search (issue 14): a consultant logs a contact moment, opens Search from the
navigation, types the beginning of a word of its summary (encrypted at rest) and reaches the office from the
highlighted snippet. Fixtures: tests/praclox_browser.py."""

from __future__ import annotations

import re

import pytest
from praclox_testsupport import TEST_PASSWORD

pytestmark = pytest.mark.e2e


def test_a_consultant_finds_a_contact_moment_by_a_word_of_its_encrypted_summary(app, journey, page, make_user):
    user = make_user("staff", name="Sanne Zoekers")
    journey.login(user.email, TEST_PASSWORD)
    page.wait_for_url(re.compile(r".*/$"))

    page.goto("/offices/new")
    page.fill("#name", "Administratiekantoor De Vondst")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/offices/\d+$"))
    office_url = page.url
    log = page.locator("form[action$='/interactions']")
    log.locator("#summary").fill("Gesprek over de Zonnepanelensubsidie en de aangifte van volgend jaar.")
    log.locator("#submit").click()
    page.wait_for_url(re.compile(r".*/offices/\d+$"))

    page.get_by_role("link", name="Zoeken").first.click()
    page.wait_for_url(re.compile(r".*/search/$"))
    page.fill("input[name=q]", "zonnepanelen")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=zonnepanelen$"))
    result = page.locator(".search-results li").first
    assert "Contactmoment" in result.inner_text()
    assert page.locator(".search-snippet mark").first.inner_text() == "Zonnepanelensubsidie"
    journey.shot("search-result")

    result.get_by_role("link", name="Administratiekantoor De Vondst").click()
    page.wait_for_url(re.compile(r".*/offices/\d+#interaction-\d+$"))
    assert page.url.startswith(office_url)
    assert page.get_by_text("Gesprek over de Zonnepanelensubsidie").is_visible()
