"""The retention purge of registrations: who goes when, counts only, the job and the command."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import select

from praclox.audit.models import AuditEntry
from praclox.extensions import db
from praclox.jobs.models import JobRun
from praclox.registrations import retention, services
from praclox.registrations.models import Registration, RegistrationPurge
from praclox.scheduler import job_specs, run_job
from praclox.settings import services as settings

JAN_1 = datetime(2026, 1, 1, 15, 0, tzinfo=UTC)


def remaining(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(Registration.email)))


@pytest.fixture
def population(app, make_registration):
    """Registrations that changed status (or registered) on 1 January 2026."""
    with time_machine.travel(JAN_1, tick=False):
        make_registration(email="unsub@x.nl", status="unsubscribed", status_changed_at=JAN_1)
        make_registration(email="unsub-client@x.nl", status="unsubscribed", client_access=True,
                          status_changed_at=JAN_1)
        make_registration(email="closed@x.nl", status="closed", client_access=True, status_changed_at=JAN_1)
        make_registration(email="pending@x.nl", status="pending", status_changed_at=JAN_1)
        make_registration(email="active@x.nl", status="active", status_changed_at=JAN_1)


def test_nothing_is_purged_before_thirty_days(app, population):
    with app.app_context():
        counts = retention.purge(date(2026, 1, 30))
    assert counts == {"unsubscribed": 0, "closed": 0, "unconfirmed": 0}
    assert len(remaining(app)) == 5


def test_unsubscribed_without_access_closed_and_unconfirmed_are_purged_thirty_days_later(app, population):
    with app.app_context():
        counts = retention.purge(date(2026, 1, 31))
    assert counts == {"unsubscribed": 1, "closed": 1, "unconfirmed": 1}
    assert remaining(app) == {"unsub-client@x.nl", "active@x.nl"}


def test_the_periods_are_settings(app, population):
    with app.app_context():
        settings.set_value(retention.PURGE_AFTER, 60, actor=None)
        settings.set_value(retention.UNCONFIRMED_AFTER, 10, actor=None)
        db.session.commit()
        counts = retention.purge(date(2026, 1, 31))
    assert counts == {"unsubscribed": 0, "closed": 0, "unconfirmed": 1}


def test_a_dry_run_counts_and_changes_nothing(app, population):
    with app.app_context():
        counts = retention.purge(date(2026, 3, 1), dry_run=True)
        assert counts == {"unsubscribed": 1, "closed": 1, "unconfirmed": 1}
        assert db.session.scalar(select(RegistrationPurge)) is None
    assert len(remaining(app)) == 5


def test_the_purge_leaves_counts_per_month_and_no_audit_trail_of_the_person(app, make_registration, make_user):
    staff = make_user("staff")
    with time_machine.travel(JAN_1, tick=False):
        registration_id = make_registration(email="gone@x.nl", status="active")
        with app.test_request_context():
            found = db.session.get(Registration, registration_id)
            services.close(found, actor=staff)
            db.session.commit()
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.record_type == "registrations"))
        # the count carries the real day of the purge: travel there
        with time_machine.travel(datetime(2026, 2, 15, 12, tzinfo=UTC), tick=False):
            retention.purge(date(2026, 2, 15))
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.record_type == "registrations")) is None
        assert retention.purge_counts_by_month() == [
            {"month": "2026-02", "unsubscribed": 0, "closed": 1, "unconfirmed": 0, "total": 1}
        ]


def test_the_scheduled_job_runs_recorded_with_counts(app, population):
    assert "registrations_purge" in job_specs(app)
    with time_machine.travel(datetime(2026, 2, 1, 2, 20, tzinfo=UTC), tick=False):
        run = run_job(app, "registrations_purge")
    assert run.outcome == "ok"
    with app.app_context():
        stored = db.session.scalar(select(JobRun).where(JobRun.job == "registrations_purge"))
        assert '"closed": 1' in stored.counts and '"unconfirmed": 1' in stored.counts
        assert "@" not in stored.counts
    assert remaining(app) == {"unsub-client@x.nl", "active@x.nl"}


def test_the_command_dry_run_and_as_of(app, runner, population):
    result = runner.invoke(args=["registrations", "purge", "--dry-run", "--as-of", "2026-01-31"])
    assert result.exit_code == 0, result.output
    assert "would purge unsubscribed 1, closed 1, unconfirmed 1" in result.output
    assert len(remaining(app)) == 5
    result = runner.invoke(args=["registrations", "purge", "--as-of", "2026-01-30", "--yes"])
    assert "purged unsubscribed 0, closed 0, unconfirmed 0" in result.output
    result = runner.invoke(args=["registrations", "purge", "--as-of", "2026-01-31"], input="n\n")
    assert result.exit_code != 0 and len(remaining(app)) == 5
    result = runner.invoke(args=["registrations", "purge", "--as-of", "2026-01-31"], input="y\n")
    assert result.exit_code == 0 and remaining(app) == {"unsub-client@x.nl", "active@x.nl"}
    with app.app_context():
        runs = db.session.scalars(select(JobRun).where(JobRun.job == "registrations_purge")).all()
        assert [r.dry_run for r in runs] == [True, False, False]


def test_the_command_refuses_a_bad_date(runner):
    result = runner.invoke(args=["registrations", "purge", "--as-of", "31-01-2026"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output


def test_unsubscribing_then_waiting_thirty_days_removes_the_registration(app, client, make_registration):
    """The journey end: one click off the list, gone 30 days later."""
    from praclox.registrations import mailing

    with time_machine.travel(datetime(2026, 5, 4, 10, 0, tzinfo=UTC), tick=False):
        registration_id = make_registration(email="reader@x.nl", status="active", newsletter=True,
                                            newsletter_confirmed_at=JAN_1)
        with app.test_request_context():
            url = mailing.unsubscribe_url(db.session.get(Registration, registration_id))
        assert client.post(url.replace("http://crm.test", "")).status_code == 200  # the button on the link's page
    with time_machine.travel(datetime(2026, 6, 2, 10, 0, tzinfo=UTC), tick=False), app.app_context():
        assert retention.purge()["unsubscribed"] == 0
    with time_machine.travel(datetime(2026, 6, 3, 10, 0, tzinfo=UTC), tick=False), app.app_context():
        assert retention.purge()["unsubscribed"] == 1
    assert remaining(app) == set()
