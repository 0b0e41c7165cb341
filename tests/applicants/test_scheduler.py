"""The purge on the project's one scheduler: 02:30 Amsterdam, and a run missed while it was down happens at start."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from praclox.applicants import purge
from praclox.extensions import db
from praclox.jobs.services import last_run
from praclox.scheduler import missed_jobs, run_job

TZ = ZoneInfo("Europe/Amsterdam")  # the default TIMEZONE, which the tests run with


def test_a_missed_purge_is_caught_up_and_a_fresh_one_is_not(app, make_applicant):
    with time_machine.travel(datetime(2026, 3, 1, 12, tzinfo=TZ), tick=False):
        make_applicant(status="rejected", decided_on=date(2026, 1, 5))
        assert "applicants-purge" in missed_jobs(app)  # never ran
        run = run_job(app, "applicants-purge")
        assert run.outcome == "ok"
        assert "applicants-purge" not in missed_jobs(app)
    with time_machine.travel(datetime(2026, 3, 2, 2, 29, tzinfo=TZ), tick=False):
        assert "applicants-purge" not in missed_jobs(app)
    with time_machine.travel(datetime(2026, 3, 3, 8, 0, tzinfo=TZ), tick=False):  # the scheduler was down at 02:30
        assert "applicants-purge" in missed_jobs(app)
    with app.app_context():
        counts = json.loads(last_run(purge.JOB_ID).counts)
        assert {k: v for k, v in counts.items() if not k.startswith("disk_")} == {
            "already_gone": 0, "due": 1, "failed": 0, "no_longer_due": 0, "purged": 1}
        assert counts["disk_gone"] + counts["disk_vacuumed"] == 1  # the job says how the disk was settled
        db.session.remove()


def test_a_dry_run_is_recorded_as_such_and_does_not_count_as_the_daily_run(app, make_applicant):
    make_applicant(status="rejected", decided_on=date(2026, 1, 5))
    with app.app_context():
        run = purge.run_purge(date(2026, 3, 1), dry_run=True)
        assert run.dry_run and run.outcome == "ok"
        assert last_run(purge.JOB_ID) is None
