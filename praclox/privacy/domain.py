"""Privacy by design: the privacy officer's toolkit (processing register, public statement, data-subject
requests, audit trail, key rotation, time-limited support access), built on what every domain declares."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from praclox.domain import Demo, Domain, JobSpec, Nav, Panel, SettingSpec, roles

# the views_* modules add their routes to the blueprints in views
from praclox.privacy import (  # noqa: F401
    audit_trail,
    cli,
    dashboard,
    demo,
    hooks,
    labels,
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
from praclox.privacy.ondisk import settled

_PRIVACY = _l("Privacy")


def _setup(app: Flask) -> None:
    hooks.init_app(app)


DOMAIN = Domain(
    name="privacy",
    blueprints=(views.public, views.bp, views_support.bp),
    cli=(cli.keys_cli, cli.privacy_cli),
    nav=(
        Nav(_l("Privacy"), "privacy.requests_index", roles("privacy_officer"), order=80),
        Nav(_l("Audit trail"), "privacy.audit", roles("privacy_officer"), order=81),
        Nav(_l("Processing register"), "privacy.processing_register", roles("privacy_officer", "admin"), order=82),
        Nav(_l("Support access"), "support.grants", roles("admin"), order=93),
    ),
    panels=(
        Panel("privacy/_panel_deadlines.html", dashboard.deadlines_context, roles("privacy_officer"), order=5),
        Panel("privacy/_panel_support.html", dashboard.support_context, roles("support"), order=5),
        # until the public statement names the privacy officer (name and an address or e-mail)
        Panel("privacy/_panel_officer.html", dashboard.officer_context, roles("admin"), order=1),
    ),
    settings=(
        SettingSpec(models.AUDIT_RETENTION_KEY, int, 24, _l("Audit trail retention (months)"), _PRIVACY,
                    minimum=1, maximum=120),
        SettingSpec(models.OFFICER_NAME_KEY, str, "", _l("Privacy officer's name"), _PRIVACY),
        SettingSpec(models.OFFICER_ADDRESS_KEY, str, "", _l("Privacy officer's postal address"), _PRIVACY),
        SettingSpec(models.OFFICER_EMAIL_KEY, str, "", _l("Privacy officer's e-mail address"), _PRIVACY),
    ),
    jobs=(
        JobSpec("audit_purge", settled(audit_trail.purge_job, ("audit_entries",)),
                _l("Remove audit entries past their retention"),
                {"hour": 3, "minute": 20}),
        JobSpec("support_expire", support.expire_job, _l("Revoke support access at its expiry"),
                {"minute": "*/5"}),
    ),
    privacy=privacy,
    support_scopes=(support.OFFICES_SCOPE,),
    access_grants=(support.allows,),
    demo=Demo(demo.add_requests),
    template_globals={"action_label": labels.action_label, "fields_label": labels.fields_label,
                      "field_label": labels.field_label, "table_label": labels.table_label,
                      "value_label": labels.value_label, "privacy_hit_url": views_records.hit_url,
                      "request_status": models.RequestStatus, "request_kind_label": models.RequestKind.label_of},
    template_filters={"shown_value": labels.shown_value},
    setup=_setup,
)
