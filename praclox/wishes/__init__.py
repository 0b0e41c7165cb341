"""Open wishes: the feature requests offices ask us for, kept per office."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from praclox.main import add_nav, add_section
    from praclox.privacy.registry import register_domain
    from praclox.wishes import models, privacy, services, views  # noqa: F401
    from praclox.wishes.forms import priority_labels, status_labels

    app.register_blueprint(views.bp)
    register_domain(app, "wishes", privacy)
    from praclox.wishes import demo

    app.extensions.setdefault("praclox_demo", []).append(demo.generate)
    add_nav(app, _l("Wishes"), "wishes.index", {"staff", "admin"}, order=30)
    add_section(app, "office_main", "wishes/_office_section.html", {"staff", "admin"})
    app.add_template_global(services.for_office, "office_wishes")
    app.add_template_global(lambda value: dict(status_labels()).get(value, value), "wish_status_label")
    app.add_template_global(lambda value: dict(priority_labels()).get(value, value), "wish_priority_label")
    app.add_template_global(status_labels, "wish_status_choices")
