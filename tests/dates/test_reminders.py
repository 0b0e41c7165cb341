"""Reminder digests through a real local SMTP server: once per user per period, retried after a failure."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from praclox.extensions import db

MONDAY = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 07:00 in Amsterdam


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def subscribers(app, make_user):
    from praclox.dates import reminders

    daily = make_user("staff", email="dagelijks@praclox.nl", name="Daan Dagelijks")
    weekly = make_user("staff", email="wekelijks@praclox.nl", name="Wim Wekelijks")
    make_user("staff", email="nooit@praclox.nl")  # never opted in
    gone = make_user("staff", email="weg@praclox.nl", active=False)
    with app.app_context():
        reminders.set_frequency(daily.id, "daily")
        reminders.set_frequency(weekly.id, "weekly")
        reminders.set_frequency(gone.id, "daily")
        db.session.commit()
    return daily, weekly


@pytest.fixture
def occasions_ahead(make_contact, make_date):
    make_date(make_contact("Anna", "Aal"), "birthday", 11, 23, 1976, gender="f")  # today: 50
    make_date(make_contact("Bert", "Boom"), "wedding", 12, 2, 2001)  # in 9 days: 25 years
    make_date(make_contact("Cor", "Cactus"), "birthday", 11, 27, 1990)  # Friday


def run_job(app):
    from praclox.dates.reminders import JOB_ID
    from praclox.scheduler import run_job as run

    return run(app, JOB_ID)


def test_the_job_is_registered_at_seven(app):
    from praclox.dates.reminders import JOB_ID
    from praclox.scheduler import job_specs

    spec = job_specs(app)[JOB_ID]
    assert "hour='7'" in str(spec.trigger) and "minute='0'" in str(spec.trigger)
    assert str(spec.trigger.timezone) == "Europe/Amsterdam"


def test_digests_arrive_once_per_period(frozen, app, smtp_server, subscribers, occasions_ahead):
    daily, weekly = subscribers
    run = run_job(app)
    assert run.outcome == "ok" and json.loads(run.counts)["queued"] == 2
    by_rcpt = {m.envelope_to[0]: m for m in smtp_server.delivered()}
    assert set(by_rcpt) == {"dagelijks@praclox.nl", "wekelijks@praclox.nl"}
    daily_text = by_rcpt["dagelijks@praclox.nl"].get_content()
    assert "Anna Aal wordt 50 (Sarah)" in daily_text
    assert "Bert Boom" not in daily_text  # beyond the daily digest's week
    weekly_text = by_rcpt["wekelijks@praclox.nl"].get_content()
    assert "Anna Aal wordt 50 (Sarah)" in weekly_text
    assert "Bert Boom: 25 jaar getrouwd (zilveren bruiloft)" in weekly_text
    assert "Verjaardagen en jubilea" in by_rcpt["dagelijks@praclox.nl"]["Subject"]
    # the job runs again the same day: nothing new
    run_job(app)
    assert len(smtp_server.delivered()) == 2
    # the next day: the daily digest again, the weekly one not
    frozen.shift(timedelta(days=1))
    run_job(app)
    assert [m.envelope_to[0] for m in smtp_server.delivered()[2:]] == ["dagelijks@praclox.nl"]
    # next Monday: both
    frozen.shift(timedelta(days=6))
    run_job(app)
    assert sorted(m.envelope_to[0] for m in smtp_server.delivered()[3:]) == ["dagelijks@praclox.nl",
                                                                         "wekelijks@praclox.nl"]


def test_a_failing_relay_is_retried_until_the_digests_arrive(frozen, app, smtp_server, subscribers,
                                                              occasions_ahead):
    from praclox_testsupport import run_outbox

    from praclox.outbox.models import OutboxMail

    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1  # nothing listens there
    queued = run_job(app)
    assert queued.outcome == "ok" and json.loads(queued.counts)["queued"] == 2
    failed = run_outbox(app)
    assert json.loads(failed.counts)["failed"] == 1  # the first failure ends the run: the relay is down
    with app.app_context():
        assert [r.status for r in db.session.scalars(select(OutboxMail).order_by(OutboxMail.id))] == [
            "failed", "queued"]
    app.config["SMTP_PORT"] = port
    frozen.shift(timedelta(minutes=1))  # the first retry waits a minute
    retried = run_outbox(app)
    assert retried.outcome == "ok" and json.loads(retried.counts)["sent"] == 2
    assert sorted(m.envelope_to[0] for m in smtp_server.messages) == ["dagelijks@praclox.nl", "wekelijks@praclox.nl"]
    assert run_job(app).counts == json.dumps({"empty": 0, "queued": 0, "skipped": 0})  # recorded: not again


def test_a_digest_still_unsent_when_its_day_ends_is_given_up_and_shown_on_the_jobs_page(
        frozen, app, smtp_server, subscribers, occasions_ahead, login_as):
    from praclox_testsupport import run_outbox

    port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = 1
    run_job(app)
    run_outbox(app)
    app.config["SMTP_PORT"] = port
    frozen.shift(timedelta(days=1))  # 07:00 the next day: yesterday's digests mean nothing any more
    late = run_outbox(app)
    assert json.loads(late.counts)["expired"] == 2 and smtp_server.messages == []
    page = login_as("admin").get("/admin/jobs").get_data(as_text=True)  # the administrator, that morning
    assert "dates.digest" in page and page.count("de dag was voorbij voordat hij verstuurd kon worden") == 2
    assert 'opgegeven: <strong>2</strong>' in page


def test_no_smtp_skips_with_a_log_line(frozen, app, subscribers, occasions_ahead, caplog):
    app.config["SMTP_HOST"] = None
    with caplog.at_level(logging.INFO, logger="praclox.dates.reminders"):
        run = run_job(app)
    assert run.outcome == "ok" and json.loads(run.counts)["skipped"] == 2
    assert "no SMTP host configured" in caplog.text


def test_nothing_coming_sends_nothing_but_counts_the_period(frozen, app, smtp_server, subscribers):
    run = run_job(app)
    assert json.loads(run.counts) == {"queued": 0, "empty": 2, "skipped": 0}
    assert smtp_server.delivered() == []


def test_digest_in_english_for_an_english_user(frozen, app, smtp_server, make_user, occasions_ahead):
    from praclox.auth.models import User
    from praclox.dates import reminders

    user = make_user("staff", email="en@praclox.nl")
    with app.app_context():
        db.session.get(User, user.id).locale = "en"
        reminders.set_frequency(user.id, "daily")
        db.session.commit()
    run_job(app)
    assert "Anna Aal turns 50 (Sarah)" in smtp_server.delivered()[0].get_content()


def test_cli_dry_run_sends_and_records_nothing_then_the_real_run_sends(frozen, app, runner, smtp_server,
                                                                          subscribers, occasions_ahead):
    from praclox.dates.models import ReminderSent

    dry = runner.invoke(args=["dates", "remind", "--dry-run"])
    assert dry.exit_code == 0 and "dry run: 2 digests would be sent" in dry.output
    assert smtp_server.delivered() == []
    with app.app_context():
        assert db.session.scalars(select(ReminderSent)).all() == []
    real = runner.invoke(args=["dates", "remind"])
    assert real.exit_code == 0 and real.output.startswith("ok")
    assert len(smtp_server.delivered()) == 2
