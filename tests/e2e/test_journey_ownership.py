"""Ownership in the browser: filter the office list by a tag, give every office of the filter an account manager
in one go (the button asks first), then find them under "My offices"; tick one row and tag only that office.
Fixtures: tests/praclox_browser.py."""

from __future__ import annotations

import pytest
from praclox_testsupport import TEST_PASSWORD

pytestmark = pytest.mark.e2e


def test_tag_filter_then_bulk_assign_then_my_offices(app, journey, page, make_user, make_office):
    from sqlalchemy import select

    from praclox.extensions import db
    from praclox.offices import services
    from praclox.offices.models import Office

    user = make_user("staff", name="Anna Accountmanager")
    zorg = [make_office(f"Zorggroep {n}") for n in (1, 2)]
    make_office("Bouwbedrijf Ter Zijde")
    with app.test_request_context():
        tag = services.create_tag("Zorg", "sector", actor=None)
        services.add_tag(select(Office.id).where(Office.id.in_(zorg)), tag, actor=None)
        db.session.commit()
        tag_id = tag.id

    journey.login(user.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/offices/")
    page.click(f".tag-filter a[href*='tag={tag_id}']")
    page.wait_for_url(f"**/offices/?tag={tag_id}")
    assert page.locator("tbody tr").count() == 2

    page.click(".bulk-actions summary")
    page.select_option("#action", "manager")
    page.select_option("#account_manager_id", str(user.id))
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".bulk-actions button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "2 kantoren gewijzigd." in page.locator(".alert-success").inner_text()

    page.select_option("select[name=manager]", "me")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_url("**manager=me**")
    rows = page.locator("tbody tr").all_inner_texts()
    assert len(rows) == 2 and all("Zorggroep" in row and "Anna Accountmanager" in row for row in rows)


def test_tick_one_row_then_a_bulk_tag_changes_only_that_office(app, journey, page, make_user, make_office):
    from praclox.extensions import db
    from praclox.offices import services

    user = make_user("staff", name="Anna Accountmanager")
    for name in ("Kantoor Aa", "Kantoor Bee", "Kantoor Cee"):
        make_office(name)
    with app.test_request_context():
        tag = services.create_tag("Groot", "size", actor=None)
        db.session.commit()
        tag_id = tag.id

    journey.login(user.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/offices/")
    page.check("input[aria-label='Kantoor Bee aanvinken']")
    page.click(".bulk-actions summary")
    page.select_option("#action", "add_tag")
    page.select_option("#tag_id", str(tag_id))
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(".bulk-actions button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "1 kantoor gewijzigd." in page.locator(".alert-success").inner_text()
    rows = page.locator("tbody tr").all_inner_texts()
    assert len(rows) == 3
    tagged = [row for row in rows if "Groot" in row]
    assert len(tagged) == 1 and "Kantoor Bee" in tagged[0]
