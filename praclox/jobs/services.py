"""Running a job: a lock so it never runs twice at once, and a JobRun record of what it did.

The lock dies with its holder (``praclox.jobs.locks``). Whoever takes it marks the runs its dead
predecessors left "running" as "interrupted"; a second process is "skipped" only while a live one holds it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select, update

from praclox.clock import now
from praclox.extensions import db
from praclox.jobs.locks import Lease, try_lock
from praclox.jobs.models import JobRun

log = logging.getLogger("praclox.jobs")

#: exit code of a CLI run skipped because another live process runs the job (EX_TEMPFAIL: try again later)
SKIPPED_EXIT = 75
SKIPPED_MESSAGE = "another process is running this job"


class JobLocked(RuntimeError):
    """Another process holds this job's lock."""


#: leases taken with ``acquire_lock`` by this process, by name, until ``release_lock``
_held: dict[str, Lease] = {}


def acquire_lock(name: str) -> bool:
    """Take the named lock until ``release_lock`` (for work that spans more than one block); False if held."""
    lease = try_lock(name)
    if lease is not None:
        _held[name] = lease
    return lease is not None


def release_lock(name: str) -> None:
    lease = _held.pop(name, None)
    if lease is not None:
        lease.release()


@contextmanager
def job_lock(name: str) -> Iterator[None]:
    """Hold the named lock for the block; JobLocked if a live process holds it."""
    lease = try_lock(name)
    if lease is None:
        raise JobLocked(name)
    try:
        yield
    finally:
        db.session.rollback()
        lease.release()


def mark_interrupted(job: str) -> int:
    """Runs of ``job`` still "running" whose process is gone (the caller holds the job's lock): interrupted."""
    marked = db.session.execute(
        update(JobRun).where(JobRun.job == job, JobRun.outcome == "running")
        .values(outcome="interrupted", finished_at=now(), message="its process ended before the run finished")
    ).rowcount
    if marked:
        log.warning("job %s: %d earlier run(s) marked interrupted (their process is gone)", job, marked)
    return marked


def run_recorded(job: str, func: Callable[[], Mapping[str, int] | None], *, dry_run: bool = False) -> JobRun:
    """Run ``func`` under the job's lock and record start, end, outcome and counts.

    ``func`` commits its own batches. A second process finds the lock held and records a skip.
    """
    lease = try_lock(job)
    if lease is None:
        log.warning("job %s skipped: another process is running it", job)
        return _record_skip(job, dry_run)
    outcome, counts, message = "ok", None, None
    try:
        mark_interrupted(job)
        run = JobRun(job=job, dry_run=dry_run)
        db.session.add(run)
        db.session.commit()
        run_id = run.id
        try:
            counts = dict(func() or {})
        except JobLocked:  # a lock of the job's own inside (the purge's advisory lock)
            db.session.rollback()
            outcome, message = "skipped", SKIPPED_MESSAGE
        except Exception as exc:  # a job must never take the scheduler down
            db.session.rollback()
            outcome, message = "failed", type(exc).__name__
            from praclox.main.errors import describe

            # types and frames only: an exception's message can carry personal data
            log.error("job %s failed: %s\n%s", job, type(exc).__name__, describe(exc))
        finished = db.session.get(JobRun, run_id)
        assert finished is not None  # noqa: S101 -- we just created it, a plain invariant  # nosec B101
        finished.outcome, finished.finished_at = outcome, now()
        finished.counts = json.dumps(counts, sort_keys=True) if counts is not None else None
        finished.message = message
        db.session.commit()
    finally:
        db.session.rollback()
        lease.release()
    db.session.refresh(finished)  # loaded, so callers may read it after their app context ends
    log.info("job %s %s %s", job, outcome, finished.counts or "")
    return finished


def _record_skip(job: str, dry_run: bool) -> JobRun:
    moment = now()
    run = JobRun(job=job, dry_run=dry_run, started_at=moment, finished_at=moment, outcome="skipped",
                 message=SKIPPED_MESSAGE)
    db.session.add(run)
    db.session.commit()
    db.session.refresh(run)  # loaded, so callers may read it after their app context ends
    return run


def last_run(job: str, *, include_dry: bool = False) -> JobRun | None:
    stmt = select(JobRun).where(JobRun.job == job)
    if not include_dry:
        stmt = stmt.where(JobRun.dry_run.is_(False))
    return db.session.scalar(stmt.order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(1))


def counts_of(run: JobRun) -> dict[str, Any]:
    return json.loads(run.counts) if run.counts else {}
