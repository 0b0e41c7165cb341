"""Every page of the access matrix in the browser, at a phone's width (390 px) and a laptop's (1280 px): no
page scrolls sideways, and axe-core (carried by axe-playwright-python, nothing downloaded) finds no WCAG 2.1
A/AA violation. Forms work by keyboard alone. The public privacy statement in Dutch and English, as
screenshots in tests/e2e/artifacts/. One server, one browser context, every page in one test (fixtures:
tests/praclox_browser.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pyotp
import pytest
from praclox_testsupport import TEST_PASSWORD, remember_secret

sys.path.append(str(Path(__file__).resolve().parent.parent / "security"))
from security_walk import ALL_ROLES, rules, seed_records, url_for_rule  # noqa: E402

pytestmark = pytest.mark.e2e
WIDTHS = (390, 1280)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: the innermost elements that reach past the viewport, named by tag and class, for the failure message
WIDEST = """(width) => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > width + 1 && ![...e.children].some(
      c => c.getBoundingClientRect().right > width + 1))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.')).join(', ')"""
SKIP = {"static", "bootstrap.static", "main.health", "feeds.calendar", "auth.two_factor_qr"}


def _user_with_every_role(app, make_user):
    """A user with every role, enrolled for the second factor as the admin role requires (make_user does it)."""
    user = make_user(*ALL_ROLES, name="Alle Rollen")
    return user, remember_secret(user.totp_secret)


def _pages(app, page) -> list[str]:
    """The GET pages that open (200, HTML) for the signed-in user, seeded ids in the URLs (asked through the
    context's request API, which shares the login and leaves the page's own error checks alone)."""
    urls = []
    for rule, _method in rules(app, ("GET",)):
        if rule.endpoint in SKIP or "csv" in rule.rule or "export" in rule.rule:
            continue
        url = url_for_rule(rule, "1")
        response = page.request.get(url, max_redirects=0)
        if response.status == 200 and response.headers.get("content-type", "").startswith("text/html"):
            urls.append(url)
    return urls


def test_no_page_scrolls_sideways_on_a_phone_or_a_laptop(app, journey, page, make_user, make_office):
    seed_records(app)
    user, secret = _user_with_every_role(app, make_user)
    journey.login(user.email, TEST_PASSWORD, code=pyotp.TOTP(secret).now())
    page.wait_for_url("**/")
    urls = _pages(app, page)
    assert len(urls) > 40, urls
    overflowing, inaccessible = [], []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for url in urls:
            page.goto(url)
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                culprits = page.evaluate(WIDEST, width)
                overflowing.append(f"{url} at {width} px: {wide} px wide ({culprits})")
            if width == WIDTHS[-1]:
                inaccessible += [f"{url}: {v}" for v in _axe_violations(page)]
    assert not overflowing, "\n".join(overflowing)
    assert not inaccessible, "\n".join(inaccessible)


def _axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A and AA rules on the page as it stands (axe-core ships inside the Python package;
    nothing is downloaded), one line per rule: its id, how many elements, the first element's selector."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return [f"{v['id']} ({len(v['nodes'])}): " + "; ".join(
        f"{n['target']} {n.get('failureSummary', '')[40:150]!r}" for n in v["nodes"][:4])
        for v in results.response["violations"]]


def test_the_privacy_statement_in_dutch_and_english(app, journey, page):
    for lang, heading in (("nl", "Privacyverklaring"), ("en", "Privacy statement")):
        page.goto(f"/privacy?lang={lang}")
        assert page.locator("h1").inner_text() == heading
        text = page.locator("article").inner_text()
        assert ".;" not in text and "registrations." not in text and "retention." not in text
        journey.shot(f"privacy-{lang}")


def test_forms_work_by_keyboard_alone(app, page, make_user):
    """Log in and create an office with Tab, typing and Enter only: every field is reachable in order and
    the form submits from the keyboard."""
    user = make_user("staff", name="Toetsenbord Gebruiker")
    page.goto("/login")
    page.keyboard.press("Tab")  # from the top of the page to the first control that matters
    for _ in range(10):
        if page.evaluate("document.activeElement.id") == "email":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    page.goto("/offices/new")
    page.focus("#name")
    page.keyboard.type("Toetsenbord BV")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/offices/\d+$"))
    assert "Toetsenbord BV" in page.locator("h1").inner_text()
