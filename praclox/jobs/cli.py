"""``praclox scheduler`` and ``praclox jobs ...``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from praclox.i18n import for_cli
from praclox.jobs.services import SKIPPED_EXIT
from praclox.scheduler import job_specs, run_job

jobs_cli = AppGroup("jobs", help="List and run scheduled jobs.")


@jobs_cli.command("list")
def list_jobs() -> None:
    """List the registered jobs and when each runs next."""
    from praclox.jobs.services import last_run

    for spec in job_specs(current_app).values():
        run = last_run(spec.id)
        last = f"{run.started_at:%Y-%m-%d %H:%M} {run.outcome}" if run else _l("never")
        click.echo(for_cli(_l("%(job)s %(trigger)s  last: %(last)s  — %(description)s", job=f"{spec.id:30}",
                              trigger=spec.trigger, last=last, description=spec.description)))


@jobs_cli.command("run")
@click.argument("job_id")
def run(job_id: str) -> None:
    """Run one job now, recorded like a scheduled run."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if job_id not in job_specs(app):
        raise click.ClickException(for_cli(_l("unknown job %(job)s; see `praclox jobs list`", job=job_id)))
    result = run_job(app, job_id)
    click.echo(f"{job_id}: {result.outcome} {result.counts or ''}")
    if result.outcome == "failed":
        raise SystemExit(1)
    if result.outcome == "skipped":
        raise SystemExit(SKIPPED_EXIT)


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduler in the foreground; a second one on the same database stands by until the first stops."""
    import signal
    import threading

    from praclox.privacy.keys import KeyConfigurationError, require_keys
    from praclox.scheduler import lead_or_stand_by

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        require_keys(app)  # jobs read and write encrypted data: not without keys that read it
    except KeyConfigurationError as exc:
        raise click.ClickException(str(exc)) from exc
    stop = threading.Event()
    # systemd stops with SIGTERM: finish the running job, give up the leader lock, exit 0
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo(for_cli(lazy_ngettext("scheduler started with %(num)d job; Ctrl+C stops it",
                                     "scheduler started with %(num)d jobs; Ctrl+C stops it", len(job_specs(app)))))
    try:
        lead_or_stand_by(app, float(app.config["SCHEDULER_LEADER_POLL_SECONDS"]), stop)
    except KeyboardInterrupt:
        stop.set()
