"""Running a job: a lock so it never runs twice at once, and a JobRun record of what it did."""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from praclox.clock import now
from praclox.extensions import db
from praclox.jobs.models import JobLock, JobRun

log = logging.getLogger("praclox.jobs")


class JobLocked(RuntimeError):
    """Another process holds this job's lock."""


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def acquire_lock(name: str, ttl: timedelta = timedelta(hours=2)) -> bool:
    """Take the named lock in its own transaction; False if another live holder has it."""
    moment = now()
    try:
        db.session.add(JobLock(name=name, holder=_holder(), acquired_at=moment, expires_at=moment + ttl))
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
    # someone holds it: take it over only if it expired (the holder crashed)
    taken = db.session.execute(
        update(JobLock)
        .where(JobLock.name == name, JobLock.expires_at < moment)
        .values(holder=_holder(), acquired_at=moment, expires_at=moment + ttl)
    )
    db.session.commit()
    return bool(taken.rowcount)


def release_lock(name: str) -> None:
    db.session.execute(delete(JobLock).where(JobLock.name == name, JobLock.holder == _holder()))
    db.session.commit()


@contextmanager
def job_lock(name: str) -> Iterator[None]:
    if not acquire_lock(name):
        raise JobLocked(name)
    try:
        yield
    finally:
        db.session.rollback()
        release_lock(name)


def run_recorded(job: str, func: Callable[[], Mapping[str, int] | None], *, dry_run: bool = False) -> JobRun:
    """Run ``func`` under the job's lock and record start, end, outcome and counts.

    ``func`` commits its own batches. A second process finds the lock taken and records a skip.
    """
    run = JobRun(job=job, dry_run=dry_run)
    db.session.add(run)
    db.session.commit()
    run_id = run.id
    outcome, counts, message = "ok", None, None
    try:
        with job_lock(job):
            counts = dict(func() or {})
    except JobLocked:
        outcome, message = "skipped", "another process is running this job"
        log.warning("job %s skipped: already running elsewhere", job)
    except Exception as exc:  # a job must never take the scheduler down
        db.session.rollback()
        outcome, message = "failed", type(exc).__name__
        from praclox.main.errors import describe

        # types and frames only: an exception's message can carry personal data
        log.error("job %s failed: %s\n%s", job, type(exc).__name__, describe(exc))
    run = db.session.get(JobRun, run_id)
    assert run is not None  # noqa: S101 -- we just created it, a plain invariant  # nosec B101
    run.outcome, run.finished_at = outcome, now()
    run.counts = json.dumps(counts, sort_keys=True) if counts is not None else None
    run.message = message
    db.session.commit()
    log.info("job %s %s %s", job, outcome, run.counts or "")
    return run


def last_run(job: str, *, include_dry: bool = False) -> JobRun | None:
    stmt = select(JobRun).where(JobRun.job == job)
    if not include_dry:
        stmt = stmt.where(JobRun.dry_run.is_(False))
    return db.session.scalar(stmt.order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(1))


def counts_of(run: JobRun) -> dict[str, Any]:
    return json.loads(run.counts) if run.counts else {}
