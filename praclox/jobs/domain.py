"""Scheduled jobs: their runs, their lock, and the scheduler's CLI (each domain declares its own jobs)."""

from __future__ import annotations

import os

from flask import Flask

from praclox.domain import Domain
from praclox.jobs import cli, models  # noqa: F401


def _setup(app: Flask) -> None:
    # `make run` sets SCHEDULER_ENABLED: the scheduler then lives inside the development server, started on
    # its first request. Only that setting keeps it out of gunicorn workers (WERKZEUG_RUN_MAIN is unset there,
    # which passes this check), so production leaves it off and runs `praclox scheduler` as one process.
    if app.config.get("SCHEDULER_ENABLED") and os.environ.get("WERKZEUG_RUN_MAIN", "true") == "true":
        from praclox.scheduler import start_background

        @app.before_request
        def _start_once() -> None:
            if "praclox_scheduler" not in app.extensions:
                start_background(app)


DOMAIN = Domain(name="jobs", cli=(cli.jobs_cli, cli.scheduler_command), setup=_setup)
