"""Scheduled jobs: their runs, their lock, and the scheduler's CLI."""

from __future__ import annotations

import os

from flask import Flask


def init_app(app: Flask) -> None:
    from praclox.jobs import cli, models  # noqa: F401

    app.cli.add_command(cli.jobs_cli)
    app.cli.add_command(cli.scheduler_command)

    # `make run`: the scheduler lives inside the development server, started once (not in
    # the reloader's watcher process, never in gunicorn workers, which do not set this).
    if app.config.get("SCHEDULER_ENABLED") and os.environ.get("WERKZEUG_RUN_MAIN", "true") == "true":
        from praclox.scheduler import start_background

        @app.before_request
        def _start_once() -> None:
            if "praclox_scheduler" not in app.extensions:
                start_background(app)
