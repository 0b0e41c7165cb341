"""Administration: staff accounts and their roles, and the scheduler's job runs."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from praclox.admin import views
    from praclox.main import add_nav

    app.register_blueprint(views.bp)
    add_nav(app, _l("Users"), "admin.users", {"admin"}, order=90)
    add_nav(app, _l("Job runs"), "admin.job_runs", {"admin"}, order=91)
