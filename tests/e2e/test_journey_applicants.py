"""Browser journey through the applicants domain: a recruiter opens a vacancy, adds an applicant and rejects
them with a reason; the purge runs 29 days later (the command runs with the clock moved forward by
time-machine: a real purge never runs ahead of today); the recruiter no longer finds the applicant and the
privacy officer sees the purge in the retention report. Fixtures: tests/praclox_browser.py."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pyotp
import pytest
import time_machine
from babel.dates import format_date
from praclox_testsupport import TEST_PASSWORD, remember_secret

from praclox.clock import today, zone
from praclox.extensions import db

pytestmark = pytest.mark.e2e


def test_a_rejected_applicant_is_purged_after_the_retention_period_and_shows_in_the_report(
        app, journey, page, make_user):
    from praclox.applicants import services

    with app.test_request_context():
        services.create_reason("Andere kandidaat paste beter", actor=None)
        db.session.commit()
    recruiter = make_user("recruiter", name="Rita Recruiter")
    officer = make_user("privacy_officer", name="Piet Privacy")
    officer_secret = officer.totp_secret
    applicant_name = remember_secret("Jorien Vlasbloem")
    applicant_email = remember_secret("jorien.vlasbloem@voorbeeld.nl")

    journey.login(recruiter.email, TEST_PASSWORD)
    page.wait_for_url(re.compile(r".*/$"))
    page.goto("/applicants/vacancies")
    page.fill("#title", "Junior boekhouder")
    page.click("form #submit")
    page.wait_for_url("**/applicants/vacancies")
    assert page.get_by_role("link", name="Junior boekhouder").is_visible()
    journey.shot("vacancy")

    page.goto("/applicants/new")
    page.fill("#name", applicant_name)
    page.fill("#email", applicant_email)
    page.select_option("#vacancy_id", label="Junior boekhouder")
    page.fill("#applied_on", (today() - timedelta(days=3)).isoformat())
    page.fill("#notes", "<script>alert('x')</script> sterk gesprek")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/applicants/\d+$"))
    detail_url = page.url
    assert applicant_name in page.locator("h1").inner_text()
    assert "<script>alert('x')</script>" in page.locator("dd.text-pre-wrap").inner_text()

    page.select_option("#to_status", "rejected")
    page.select_option("#reason_id", label="Andere kandidaat paste beter")
    journey.shot("reject")
    page.click("form[action$='/status'] #submit")
    page.wait_for_url(detail_url)
    assert page.locator("h1 .badge").first.inner_text().strip() == "Afgewezen"
    assert page.locator("td", has_text="Andere kandidaat paste beter").first.is_visible()
    journey.shot("rejected")

    page.goto("/applicants/")
    assert applicant_name in page.content()  # still listed until the purge

    # 29 days later (the clock moves; a real purge never runs ahead of today)
    as_of = today() + timedelta(days=29)
    # the live server shares this process's clock: a late browser request (the favicon) inside the jump
    # would find the session 29 days idle and end it, so the page rests on a blank document meanwhile
    page.goto("about:blank")
    with time_machine.travel(datetime.now(zone()) + timedelta(days=29)):
        result = app.test_cli_runner().invoke(args=["retention", "purge", "--yes"])
    assert result.exit_code == 0 and "purged 1" in result.output, result.output

    page.goto("/applicants/")
    assert applicant_name not in page.content()
    journey.shot("list-after-purge")
    journey.logout()

    journey.login(officer.email, TEST_PASSWORD, code=pyotp.TOTP(officer_secret).now())
    page.wait_for_url(re.compile(r".*/$"))
    page.goto("/retention/")
    purged = page.locator("table").nth(2)
    assert format_date(as_of, "LLLL yyyy", locale="nl") in purged.inner_text()  # the month of the purge
    last_run = page.locator("table").last.locator("tbody tr").first.inner_text().split("\t")
    assert last_run[1:] == ["gelukt", "1", "0"], last_run  # the run: done, one purged, none failed
    assert applicant_name not in page.content() and applicant_email not in page.content()
    journey.shot("retention-report")
