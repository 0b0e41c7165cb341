"""Offices (clients and prospects), contacts and the history of every contact moment."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from praclox.main import add_dashboard_panel, add_nav
    from praclox.offices import cli, dashboard, privacy, views
    from praclox.offices.models import Contact
    from praclox.privacy.registry import register_domain
    from praclox.privacy.suppression import watch

    app.register_blueprint(views.bp)
    register_domain(app, "offices", privacy)
    watch(Contact)  # warn when an erased person's e-mail address is added again
    app.cli.add_command(cli.import_cli)  # the shared group; safe to add twice
    app.cli.add_command(cli.demo_data)
    add_nav(app, _l("Offices"), "offices.index", {"staff", "admin"}, order=10)
    add_dashboard_panel(app, "offices/_panel_recent.html", dashboard.recent_context, {"staff", "admin"}, order=10)
