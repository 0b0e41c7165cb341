"""Job runs are recorded, never run twice at once, and missed runs are caught up."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from praclox.domain import JobSpec, registry
from praclox.extensions import db
from praclox.jobs.models import JobRun
from praclox.jobs.services import acquire_lock, release_lock, run_recorded
from praclox.scheduler import missed_jobs


def register_job(app, job_id, func, description, **cron):
    """A job of the test's own, next to the ones the domains declare."""
    registry(app).jobs[job_id] = JobSpec(job_id, func, description, cron)


def test_a_run_is_recorded_with_counts(app, ctx):
    run = run_recorded("demo", lambda: {"done": 3})
    assert run.outcome == "ok" and json.loads(run.counts) == {"done": 3} and run.finished_at


def test_a_failing_job_is_recorded_as_failed_without_the_message(app, ctx):
    def broken():
        raise ValueError("contains Petra Bakker")

    run = run_recorded("demo", broken)
    assert run.outcome == "failed" and run.message == "ValueError"


def test_a_second_process_finds_the_lock_taken_and_skips(app, ctx):
    assert acquire_lock("demo")
    run = run_recorded("demo", lambda: {"done": 1})
    assert run.outcome == "skipped"
    release_lock("demo")
    assert run_recorded("demo", lambda: {"done": 1}).outcome == "ok"


def test_missed_daily_run_is_caught_up_at_start(app):
    register_job(app, "nightly", lambda: {"n": 1}, "test job", hour=2, minute=30)
    with app.app_context():
        assert "nightly" in missed_jobs(app)  # never ran
        with time_machine.travel(datetime(2026, 3, 2, 1, 31, tzinfo=UTC), tick=False):  # 02:31 Amsterdam
            run_recorded("nightly", lambda: {"n": 1})
        with time_machine.travel(datetime(2026, 3, 2, 20, 0, tzinfo=UTC), tick=False):
            assert "nightly" not in missed_jobs(app)
        with time_machine.travel(datetime(2026, 3, 4, 8, 0, tzinfo=UTC), tick=False):
            assert "nightly" in missed_jobs(app)  # the scheduler was down on the 3rd at 02:30


def test_admin_sees_job_runs(app, admin_client):
    with app.app_context():
        run_recorded("demo", lambda: {"purged": 2})
        assert db.session.scalar(select(JobRun.job)) == "demo"
    page = admin_client.get("/admin/jobs").get_data(as_text=True)
    assert "demo" in page and "purged: 2" in page


def test_scheduler_holds_every_registered_job_with_coalesced_misfires(app):
    from apscheduler.schedulers.background import BackgroundScheduler

    from praclox.scheduler import build_scheduler

    register_job(app, "nightly", lambda: {"n": 1}, "test job", hour=2, minute=30)
    scheduler = build_scheduler(app, BackgroundScheduler())
    scheduler.start(paused=True)
    try:
        job = scheduler.get_job("nightly")
        assert job.coalesce is True and job.misfire_grace_time is None and job.max_instances == 1
        assert str(job.trigger.timezone) == "Europe/Amsterdam"
        assert scheduler.get_job("nightly-catch-up") is not None  # never ran: runs once at start
    finally:
        scheduler.shutdown(wait=False)


def test_flask_app_discovery_finds_the_factory(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "praclox", "user", "--help"],
        capture_output=True, text=True, env={"PRACLOX_INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=60, check=False,
    )
    assert result.returncode == 0 and "create" in result.stdout, result.stderr


def test_a_failing_job_logs_the_frames_but_not_the_exception_text(app, ctx, caplog):
    def broken():
        raise ValueError("contains Petra Bakker")

    with caplog.at_level("ERROR", logger="praclox.jobs"):
        run_recorded("demo", broken)
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "job demo failed: ValueError" in logged and "in broken" in logged
    assert "Bakker" not in logged


def test_a_lock_row_of_a_dead_process_is_taken_over_and_its_run_marked_interrupted(app, ctx):
    import socket
    import subprocess
    import sys

    from praclox.clock import now
    from praclox.jobs.models import JobLock

    if db.engine.dialect.name == "postgresql":
        return  # PostgreSQL's advisory lock dies with its session; the operator tier kills a real holder there
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    dead = f"{socket.gethostname()}:{gone.stdout.strip()}:1"
    db.session.add(JobLock(name="demo", holder=dead, acquired_at=now(), expires_at=now() + timedelta(hours=2)))
    db.session.add(JobRun(job="demo", outcome="running"))
    db.session.commit()
    run = run_recorded("demo", lambda: {"done": 1})
    assert run.outcome == "ok"
    outcomes = [r.outcome for r in db.session.scalars(select(JobRun).order_by(JobRun.id))]
    assert outcomes == ["interrupted", "ok"]


def test_a_lock_row_of_a_live_process_makes_the_run_skip(app, ctx):
    import os
    import socket

    from praclox.clock import now
    from praclox.jobs.models import JobLock

    if db.engine.dialect.name == "postgresql":
        return
    parent = f"{socket.gethostname()}:{os.getppid()}:?"  # pytest's parent process is alive
    db.session.add(JobLock(name="demo", holder=parent, acquired_at=now(), expires_at=now()))
    db.session.commit()
    assert run_recorded("demo", lambda: {"done": 1}).outcome == "skipped"


def test_an_interrupted_run_shows_on_the_jobs_page_and_in_the_retention_report(app, login_as):
    with app.app_context():
        db.session.add(JobRun(job="applicants-purge", outcome="interrupted", finished_at=datetime.now(UTC),
                              message="its process ended before the run finished"))
        db.session.commit()
    client = login_as("admin", "privacy_officer")
    jobs_page = client.get("/admin/jobs")
    assert jobs_page.status_code == 200 and "onderbroken" in jobs_page.get_data(as_text=True)
    report = client.get("/retention/")
    assert report.status_code == 200
    assert "onderbroken: het proces stopte voordat de run klaar was" in report.get_data(as_text=True)
