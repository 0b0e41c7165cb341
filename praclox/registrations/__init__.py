"""Website registrations: the JSON API, the newsletter with double opt-in, and their retention."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from praclox.main import add_nav, add_section
    from praclox.privacy.registry import register_domain
    from praclox.privacy.suppression import watch
    from praclox.registrations import api, cli, models, privacy, public, retention, services, views  # noqa: F401
    from praclox.registrations.forms import status_choices
    from praclox.scheduler import register_job
    from praclox.settings.services import declare

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(public.bp)
    app.cli.add_command(cli.registrations_cli)
    add_nav(app, _l("Registrations"), "registrations.index", {"staff", "admin"}, order=40)
    add_section(app, "office_sidebar", "registrations/_office_section.html", {"staff", "admin"})
    app.add_template_global(services.for_office, "registrations_of_office")
    register_domain(app, "registrations", privacy)
    # staff see the warning on the registration; the website or API caller never learns of an erasure
    watch(models.Registration, flash_warning=False)
    from praclox.registrations import demo

    app.extensions.setdefault("praclox_demo", []).append(demo.generate)
    app.add_template_global(status_choices, "registration_status_choices")
    app.add_template_global(lambda value: dict(status_choices()).get(value, value), "registration_status_label")
    section = _l("Website registrations")
    declare(app, retention.PURGE_AFTER, int, 30,
            _l("Purge unsubscribed and closed registrations after (days)"), section, minimum=1, maximum=3650)
    declare(app, retention.UNCONFIRMED_AFTER, int, 30,
            _l("Purge never-confirmed registrations after (days)"), section, minimum=1, maximum=3650)
    register_job(app, cli.JOB_ID, retention.purge_job, _l("Purge registrations past their retention"),
                 hour=3, minute=20)
