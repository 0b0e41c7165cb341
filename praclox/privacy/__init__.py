"""Privacy by design: the registry of personal data each domain declares, and the privacy officer's
toolkit built on it (processing register, public statement, data-subject requests, audit trail, key
rotation, time-limited support access)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from praclox.main import add_dashboard_panel, add_nav

    # the views_* modules add their routes to the blueprints in views
    from praclox.privacy import (  # noqa: F401  # noqa: F401
        audit_trail,
        cli,
        dashboard,
        models,
        privacy,
        support,
        views,
        views_audit,
        views_records,
        views_requests,
        views_subjects,
        views_support,
    )
    from praclox.privacy.registry import register_domain
    from praclox.scheduler import register_job

    app.extensions.setdefault("praclox_privacy", {})
    app.extensions.setdefault("praclox_rotate_files", [])
    app.register_blueprint(views.public)
    app.register_blueprint(views.bp)
    app.register_blueprint(views_support.bp)
    app.cli.add_command(cli.keys_cli)
    app.cli.add_command(cli.privacy_cli)
    register_domain(app, "privacy", privacy)
    from praclox.privacy.suppression import erased_address_warning

    app.add_template_global(erased_address_warning, "erased_address_warning")
    app.add_template_global(views_records.hit_url, "privacy_hit_url")
    from praclox.privacy.labels import (
        action_label,
        field_label,
        fields_label,
        shown_value,
        table_label,
        value_label,
    )

    app.add_template_global(action_label, "action_label")
    app.add_template_global(fields_label, "fields_label")
    app.add_template_global(field_label, "field_label")
    app.add_template_global(table_label, "table_label")
    app.add_template_filter(shown_value, "shown_value")
    app.add_template_global(value_label, "value_label")
    support.init_app(app)
    from praclox.privacy import demo

    app.extensions.setdefault("praclox_demo", []).append(demo.add_requests)
    _declare_settings(app)

    add_nav(app, _l("Privacy"), "privacy.requests_index", {"privacy_officer"}, order=80)
    add_nav(app, _l("Audit trail"), "privacy.audit", {"privacy_officer"}, order=81)
    add_nav(app, _l("Processing register"), "privacy.processing_register", {"privacy_officer", "admin"}, order=82)
    add_nav(app, _l("Support access"), "support.grants", {"admin"}, order=93)
    add_dashboard_panel(app, "privacy/_panel_deadlines.html", dashboard.deadlines_context, {"privacy_officer"},
                        order=5)
    add_dashboard_panel(app, "privacy/_panel_support.html", dashboard.support_context, {"support"}, order=5)

    register_job(app, "audit_purge", audit_trail.purge_job, _l("Remove audit entries past their retention"),
                 hour=3, minute=20)
    register_job(app, "support_expire", support.expire_job, _l("Revoke support access at its expiry"),
                 minute="*/5")


def _declare_settings(app: Flask) -> None:
    from praclox.privacy.models import (
        AUDIT_RETENTION_KEY,
        OFFICER_ADDRESS_KEY,
        OFFICER_EMAIL_KEY,
        OFFICER_NAME_KEY,
    )
    from praclox.settings.services import declare

    section = _l("Privacy")
    declare(app, AUDIT_RETENTION_KEY, int, 24, _l("Audit trail retention (months)"), section,
            minimum=1, maximum=120)
    declare(app, OFFICER_NAME_KEY, str, "", _l("Privacy officer's name"), section)
    declare(app, OFFICER_ADDRESS_KEY, str, "", _l("Privacy officer's postal address"), section)
    declare(app, OFFICER_EMAIL_KEY, str, "", _l("Privacy officer's e-mail address"), section)
