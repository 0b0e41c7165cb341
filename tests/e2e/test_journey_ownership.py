"""Ownership in the browser: filter the office list by a tag, give every office of the filter an account manager
in one go (the button asks first), then find them under "My offices". Fixtures: tests/praclox_browser.py."""

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
