"""The project's one scheduler. It runs in its own process (``praclox scheduler``), or in the dev server.

Domains declare their jobs as ``JobSpec``s in their ``Domain``; nothing starts here by itself.
"""

from __future__ import annotations

import logging
import threading
from contextlib import suppress
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from flask import Flask

from praclox.clock import now, zone
from praclox.domain import JobSpec, registry
from praclox.main.outage import UNAVAILABLE

log = logging.getLogger("praclox.scheduler")


def schedule_text(spec: JobSpec) -> str:
    """When a job runs, in words: ``dagelijks om 03:20``, ``elke 5 minuten``."""
    from flask_babel import gettext, ngettext

    cron = {key: str(value) for key, value in spec.cron.items()}
    if set(cron) == {"minute"} and cron["minute"].startswith("*/"):
        every = int(cron["minute"][2:])
        return ngettext("every minute", "every %(num)d minutes", every)
    if set(cron) == {"hour", "minute"} and cron["hour"].isdigit() and cron["minute"].isdigit():
        moment = f"{int(cron['hour']):02d}:{int(cron['minute']):02d}"
        return gettext("daily at %(time)s", time=moment)
    return str(spec.trigger)


def job_specs(app: Flask) -> dict[str, JobSpec]:
    return registry(app).jobs


def run_job(app: Flask, job_id: str, *, dry_run: bool = False) -> Any:
    from praclox.jobs.services import run_recorded

    spec = job_specs(app)[job_id]
    with app.app_context():
        return run_recorded(job_id, spec.func, dry_run=dry_run)


def missed_jobs(app: Flask) -> list[str]:
    """Jobs whose last scheduled time passed while no scheduler was running (or that never ran)."""
    from praclox.jobs.services import last_run

    missed = []
    with app.app_context():
        moment = now()
        for spec in job_specs(app).values():
            run = last_run(spec.id)
            if run is None:
                missed.append(spec.id)
                continue
            due = spec.trigger.get_next_fire_time(None, run.started_at + timedelta(seconds=1))
            if due is not None and due <= moment:
                missed.append(spec.id)
    return missed


def build_scheduler(app: Flask, scheduler: BaseScheduler) -> BaseScheduler:
    """Add every registered job; misfires coalesce into one run, whatever the delay."""
    with app.app_context():  # the configured time zone
        scheduler.configure(
            timezone=zone(), job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        )
        for spec in job_specs(app).values():
            scheduler.add_job(run_job, spec.trigger, args=(app, spec.id), id=spec.id, name=str(spec.description),
                              replace_existing=True)
    for job_id in missed_jobs(app):
        log.info("job %s missed a run while no scheduler was running; running it now", job_id)
        scheduler.add_job(run_job, args=(app, job_id), id=f"{job_id}-catch-up", name=f"{job_id} (catch-up)")
    return scheduler


#: the scheduler's leader lock: one process of the installation fires the jobs, others stand by
LEADER_LOCK = "scheduler-leader"


def lead_or_stand_by(app: Flask, poll_seconds: float, stop: threading.Event) -> None:
    """Fire the jobs while this process holds the leader lock; stand by while another live one does.

    A standby says so once, then checks every ``poll_seconds`` and takes over when the leader is gone. A
    leader that loses its lock (its database connection died) stops firing and competes again.
    """
    from praclox.jobs.locks import current_holder, describe_holder, try_lock

    ttl = timedelta(seconds=poll_seconds * 4)
    standing_by = unreachable = False
    while not stop.is_set():
        try:
            with app.app_context():
                lease = try_lock(LEADER_LOCK, ttl)
                holder = current_holder(LEADER_LOCK) if lease is None else None
        except UNAVAILABLE as exc:  # the database is down: nobody can lead; try again at the next check
            if not unreachable:  # once per outage, not once per check
                log.warning("scheduler cannot reach the database (%s); trying every %.0f s",
                            type(exc).__name__, poll_seconds)
            unreachable = True
            stop.wait(poll_seconds)
            continue
        unreachable = False
        if lease is None:
            if not standing_by:
                other = f" ({describe_holder(holder)})" if holder else ""
                log.warning("another scheduler%s is active: standing by, taking over when it stops", other)
                standing_by = True
            stop.wait(poll_seconds)
            continue
        standing_by = False
        _lead(app, lease, ttl, poll_seconds, stop)


def _lead(app: Flask, lease: Any, ttl: timedelta, poll_seconds: float, stop: threading.Event) -> None:
    """Fire the jobs until stopped or until the leader lock is lost; then let the running job finish."""
    log.warning("this scheduler leads: it fires the jobs (%d registered)", len(job_specs(app)))
    scheduler = build_scheduler(app, BackgroundScheduler())
    scheduler.start()
    try:
        while not stop.wait(poll_seconds):
            if not _still_leads(app, lease, ttl):
                log.error("this scheduler lost its leader lock: it stops firing jobs and competes again")
                break
    finally:
        scheduler.shutdown(wait=True)
        with app.app_context(), suppress(*UNAVAILABLE):
            lease.release()


def _still_leads(app: Flask, lease: Any, ttl: timedelta) -> bool:
    try:
        with app.app_context():
            return bool(lease.alive(ttl))
    except UNAVAILABLE:  # SQLite's row cannot be renewed now: without the database no job can run either
        return False


def start_background(app: Flask) -> BaseScheduler:
    scheduler = build_scheduler(app, BackgroundScheduler())
    scheduler.start()
    app.extensions["praclox_scheduler"] = scheduler
    return scheduler
