"""The retention report shows the website registrations purged per month next to the applicants (issue 6)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from praclox.extensions import db

TZ = ZoneInfo("Europe/Amsterdam")  # the default TIMEZONE, which the tests run with


def _purge_registrations(app) -> None:
    """Two closed registrations and one never confirmed, all old enough, purged by the real purge on 20 May."""
    from praclox.registrations import retention, services

    with time_machine.travel(datetime(2026, 1, 10, 11, 0, tzinfo=TZ), tick=False), app.test_request_context():
        for n, status in enumerate(("closed", "closed", "pending")):
            services.create_by_staff({"name": f"Website Person{n}", "email": f"web{n}@voorbeeld.nl",
                                      "status": status}, actor=None)
        db.session.commit()
    with time_machine.travel(datetime(2026, 5, 20, 11, 0, tzinfo=TZ), tick=False), app.app_context():
        assert retention.purge(date(2026, 5, 20)) == {"unsubscribed": 0, "closed": 2, "unconfirmed": 1}


def test_the_report_page_and_the_printable_view_show_registrations_purged_per_month(app, login_as):
    officer = login_as("privacy_officer")
    before = officer.get("/retention/").get_data(as_text=True)
    assert "Websiteregistraties verwijderd per maand" in before and "Nog geen websiteregistraties" in before
    _purge_registrations(app)
    for url in ("/retention/", "/retention/print"):
        page = officer.get(url).get_data(as_text=True)
        section = page.split("Websiteregistraties verwijderd per maand", 1)[1].split("</table>", 1)[0]
        assert "<td>mei 2026</td><td>0</td><td>2</td><td>1</td><td>3</td>" in section, url
        assert "Website Person" not in page and "voorbeeld.nl" not in page  # counts only


def test_the_csv_and_the_cli_report_hold_the_registration_purges(app, login_as, runner):
    _purge_registrations(app)
    body = login_as("admin").get("/retention/report.csv").get_data(as_text=True)
    rows = [r for r in csv.reader(io.StringIO(body)) if r[0] == "verwijderde inschrijvingen"]
    assert sorted((r[3], r[4], r[6]) for r in rows) == [("gesloten", "2026-05", "2"),
                                                         ("nooit bevestigd", "2026-05", "1")]
    text = runner.invoke(args=["retention", "report"]).output
    assert "Website registrations purged: 3" in text and "2026-05: closed=2, unconfirmed=1, total=3" in text
    as_csv = runner.invoke(args=["retention", "report", "--format", "csv"]).output
    assert "verwijderde inschrijvingen,,,gesloten,2026-05,,2," in as_csv
