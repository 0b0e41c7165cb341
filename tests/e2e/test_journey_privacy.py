"""Browser journey of the privacy officer answering an access request: register the request, find the person
from it, open everything held about them and download it as JSON. Fixtures: tests/praclox_browser.py."""

from __future__ import annotations

import json
import re

import pyotp
import pytest
from praclox_testsupport import TEST_PASSWORD, remember_secret

from praclox.clock import today
from praclox.extensions import db

pytestmark = pytest.mark.e2e


def _contact_on_file(app) -> str:
    from praclox.offices import services

    email = remember_secret("wilhelmina.inzage@voorbeeld.nl")
    with app.test_request_context():
        office = services.create_office({"name": "Administratiekantoor Inzicht", "visit_city": "Deventer"}, actor=None)
        services.create_contact(office, {"first_name": remember_secret("Wilhelmina"),
                                         "last_name": remember_secret("Inzage"), "email": email}, actor=None)
        db.session.commit()
    return email


def test_the_privacy_officer_answers_an_access_request_with_a_json_download(app, journey, page, make_user):
    email = _contact_on_file(app)
    officer = make_user("privacy_officer", name="Petra Privacy")  # enrolled in a second factor, as required
    journey.login(officer.email, TEST_PASSWORD, code=pyotp.TOTP(officer.totp_secret).now())
    page.wait_for_url(re.compile(r".*/$"))

    page.goto("/privacy-officer/requests/new")
    page.fill("#requester_name", "Wilhelmina Inzage")
    page.fill("#requester_contact", email)
    page.select_option("#kind", "access")
    page.fill("#received_on", today().isoformat())
    journey.shot("request-form")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/privacy-officer/requests/\d+$"))
    journey.shot("request")

    page.get_by_role("button", name="Persoon zoeken").click()  # the search, prefilled from the request
    page.wait_for_url("**/privacy-officer/subjects")
    assert "Contactpersoon bij Administratiekantoor Inzicht" in page.locator("main").inner_text()
    journey.shot("search-results")

    page.click("form[action$='/subjects/access'] button")
    page.wait_for_url("**/privacy-officer/subjects/access")
    shown = page.locator("main").inner_text()
    assert "Administratiekantoor Inzicht" in shown and email in shown
    journey.shot("access")

    with page.expect_download() as download_info:
        page.click("main form[action$='/subjects/access.json'] button")
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    exported = json.loads(download.path().read_text(encoding="utf-8"))
    assert email in json.dumps(exported, ensure_ascii=False)
