"""Personal dates: birthdays, children's birthdays and wedding days; calendar pages, iCal feeds, reminders."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l


def _demo(rng: Any, offices: list[Any]) -> None:
    from praclox.dates import demo

    demo.generate(rng, offices)


def init_app(app: Flask) -> None:
    from praclox.dates import cli, dashboard, feed_views, privacy, reminders, services, views
    from praclox.main import add_dashboard_panel, add_nav, add_section
    from praclox.offices.signals import contact_deleting, contact_left
    from praclox.privacy.registry import register_domain
    from praclox.scheduler import register_job
    from praclox.settings.services import declare

    app.register_blueprint(views.bp)
    app.register_blueprint(feed_views.bp)
    app.extensions.setdefault("praclox_sessionless_paths", set()).add("/feeds/")
    app.cli.add_command(cli.import_cli)  # the shared group; safe to add twice
    app.cli.add_command(cli.feed_cli)
    app.cli.add_command(cli.dates_cli)
    add_nav(app, _l("Birthdays"), "dates.month", {"staff", "admin"}, order=20)
    add_dashboard_panel(app, "dates/_panel.html", dashboard.panel_context, {"staff", "admin"}, order=5)
    add_section(app, "contact_main", "dates/_contact_section.html", {"staff", "admin"}, order=20)
    app.jinja_env.globals.update(contact_dates=dashboard.contact_dates, month_name=dashboard.month_name,
                                 end_reason_label=dashboard.end_reason_label)
    register_domain(app, privacy.DOMAIN, privacy)
    register_job(app, reminders.JOB_ID, reminders.job,
                 _l("Reminder e-mails of coming birthdays and anniversaries (daily digests; weekly on Monday)"),
                 hour=7, minute=0)
    declare(app, services.CUTOFF_SETTING, int, 0, _l("Children's birthdays stop after this age (0: never)"),
            _l("Personal dates"), minimum=0, maximum=99)
    declare(app, "dates.feed_expiry_days", int, 180, _l("An unused calendar feed expires after this many days"),
            _l("Personal dates"), minimum=1, maximum=3650)
    app.extensions.setdefault("praclox_demo", []).append(_demo)
    services.install_listeners()
    # weak=False: the receivers are module functions, but keep them for the app's lifetime regardless
    contact_left.connect(services.on_contact_left, weak=False)
    contact_deleting.connect(services.on_contact_deleting, weak=False)
