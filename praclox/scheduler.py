"""The project's one scheduler. It runs in its own process (``praclox scheduler``), or in the dev server.

Domains register their jobs with ``register_job`` in their ``init_app``; nothing starts here by itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask

from praclox.clock import TZ, now

log = logging.getLogger("praclox.scheduler")


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[[], Mapping[str, int] | None]
    trigger: CronTrigger
    description: Any  # a lazy string: shown in the reader's language
    cron: Mapping[str, Any] = field(default_factory=dict)


def register_job(app: Flask, job_id: str, func: Callable[[], Any], description: Any, **cron: Any) -> None:
    """Declare a job: ``func`` runs in an app context at the cron times given (Europe/Amsterdam)."""
    specs: dict[str, JobSpec] = app.extensions.setdefault("praclox_jobs", {})
    specs[job_id] = JobSpec(job_id, func, CronTrigger(timezone=TZ, **cron), description, dict(cron))


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
    return app.extensions.get("praclox_jobs", {})


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
    scheduler.configure(
        timezone=TZ, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    )
    for spec in job_specs(app).values():
        scheduler.add_job(run_job, spec.trigger, args=(app, spec.id), id=spec.id, name=str(spec.description),
                          replace_existing=True)
    for job_id in missed_jobs(app):
        log.info("job %s missed a run while no scheduler was running; running it now", job_id)
        scheduler.add_job(run_job, args=(app, job_id), id=f"{job_id}-catch-up", name=f"{job_id} (catch-up)")
    return scheduler


def start_background(app: Flask) -> BaseScheduler:
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = build_scheduler(app, BackgroundScheduler())
    scheduler.start()
    app.extensions["praclox_scheduler"] = scheduler
    return scheduler
