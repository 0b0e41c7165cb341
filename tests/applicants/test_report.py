"""The privacy officer's retention report: page, CSV, print, CLI, dashboard alarm; it agrees with the purge."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from praclox.applicants import purge, services
from praclox.applicants.models import Applicant
from praclox.extensions import db

TZ = ZoneInfo("Europe/Amsterdam")  # the default TIMEZONE, which the tests run with

TODAY = date(2026, 5, 20)


@pytest.fixture
def at_today():
    with time_machine.travel(datetime(2026, 5, 20, 11, 0, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def scene(app, make_applicant, at_today):
    """One overdue, one due in 10 days, one with consent, one on hold, one stale, one purged earlier."""
    ids = {
        "overdue": make_applicant("Overdue Person", status="rejected", decided_on=TODAY - timedelta(days=40)),
        "soon": make_applicant("Soon Person", status="withdrawn", decided_on=TODAY - timedelta(days=18)),
        "consent": make_applicant("Consent Person", status="rejected", decided_on=TODAY - timedelta(days=60)),
        "hold": make_applicant("Hold Person", status="rejected", decided_on=TODAY - timedelta(days=60)),
        "stale": make_applicant("Stale Person", applied_on=TODAY - timedelta(days=300)),
        "purged": make_applicant("Purged Person", status="hired", decided_on=TODAY - timedelta(days=100)),
    }
    with app.test_request_context():
        services.record_consent(db.session.get(Applicant, ids["consent"]), given_on=TODAY - timedelta(days=59),
                                method="form", evidence="Ticked the box", actor=None)
        services.set_legal_hold(db.session.get(Applicant, ids["hold"]), "=HYPERLINK(\"http://evil\")", actor=None)
        db.session.get(Applicant, ids["stale"]).last_activity_on = TODAY - timedelta(days=200)
        db.session.commit()
        # purged 50 days ago: the tombstone carries the real day of the purge, so travel there
        with time_machine.travel(datetime(2026, 5, 20, 11, 0, tzinfo=TZ) - timedelta(days=50), tick=False):
            purge_one = purge.purge_applicant(ids["purged"], "hired", TODAY - timedelta(days=50), actor=None)
            db.session.commit()
        assert purge_one == []
    return ids


def test_report_page_shows_every_section_without_names(app, login_as, scene):
    officer = login_as("privacy_officer")
    page = officer.get("/retention/").get_data(as_text=True)
    assert f"#{scene['overdue']}" in page and f"#{scene['soon']}" in page
    assert f"#{scene['consent']}" in page and f"#{scene['hold']}" in page and f"#{scene['stale']}" in page
    assert "maart 2026" in page and "2026-03" not in page  # the month of the earlier purge, in words
    assert "Person" not in page
    assert "alert-danger" in page


def test_the_purge_and_the_report_agree(app, login_as, scene, at_today):
    with app.test_request_context():
        from praclox.applicants.report import build_report

        report = build_report()
        due_today = {i.applicant_id for i in report.overdue}
        counts = purge.purge_due()
        assert counts["purged"] == len(due_today) == 1
        after = build_report()
        assert after.overdue == [] and after.purged_total == 2
        assert [i.applicant_id for i in after.due_soon] == [scene["soon"]]


def test_csv_export_neutralises_formulas(app, login_as, scene):
    response = login_as("privacy_officer").get("/retention/report.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    hold = next(r for r in rows if r[0] == "bewaarplicht")
    assert hold[-1].startswith("'=")
    assert {r[0] for r in rows[1:]} >= {"te laat", "binnenkort aan de beurt", "verwijderde sollicitanten",
                                        "toestemming", "bewaarplicht", "geen activiteit"}


def test_printable_view_and_access(app, login_as, client, scene):
    assert login_as("admin").get("/retention/print").status_code == 200
    for role in ("staff", "recruiter"):
        assert login_as(role).get("/retention/").status_code == 403
    assert client.get("/retention/").status_code == 302


def test_dashboard_shows_the_overdue_alarm_to_the_privacy_officer_only(app, login_as, scene):
    officer_page = login_as("privacy_officer").get("/").get_data(as_text=True)
    assert "/retention/" in officer_page and "text-danger" in officer_page
    assert "/retention/" not in login_as("staff").get("/").get_data(as_text=True)


def test_cli_purge_dry_run_then_real_and_the_report_in_csv(app, runner, scene):
    dry = runner.invoke(args=["retention", "purge", "--dry-run", "--as-of", "2026-05-20"])
    assert dry.exit_code == 0, dry.output
    assert "would purge 1" in dry.output
    refused = runner.invoke(args=["retention", "purge", "--as-of", "2026-05-20"], input="n\n")
    assert refused.exit_code != 0 and "deletes 1 applicant and" in refused.output
    real = runner.invoke(args=["retention", "purge", "--as-of", "2026-05-20"], input="y\n")
    assert real.exit_code == 0 and "purged 1" in real.output
    again = runner.invoke(args=["retention", "purge", "--as-of", "2026-05-20", "--yes"])
    assert "purged 0" in again.output
    text_report = runner.invoke(args=["retention", "report"])
    assert "Overdue (should be gone): 0" in text_report.output
    assert "Person" not in text_report.output
    as_csv = runner.invoke(args=["retention", "report", "--format", "csv"])
    assert as_csv.output.startswith("onderdeel,sollicitant")
    bad = runner.invoke(args=["retention", "purge", "--as-of", "20-05-2026"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output


def test_the_daily_job_is_registered_at_half_past_two(app):
    from praclox.scheduler import job_specs

    spec = job_specs(app)["applicants-purge"]
    fire = spec.trigger.get_next_fire_time(None, datetime(2026, 5, 20, 3, 0, tzinfo=TZ))
    assert (fire.hour, fire.minute, fire.day) == (2, 30, 21)


def test_monthly_report_mail_goes_once_to_subscribers(app, login_as, smtp_server, scene):
    from praclox.applicants.report_mail import send_monthly_reports

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=smtp_server.port)
    officer = login_as("privacy_officer")
    assert officer.post("/retention/subscription").status_code == 302
    with app.test_request_context():
        assert send_monthly_reports()["sent"] == 1
        assert send_monthly_reports()["sent"] == 0
    [message] = smtp_server.delivered()
    assert message.envelope_to == [officer.user.email]
    assert "Person" not in message.get_body(("plain",)).get_content()
