"""Offices (clients and prospects), contacts and the history of every contact moment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from praclox.domain import Demo, Domain, Nav, Panel, WatchErased, roles
from praclox.offices import cli, contacts_views, dashboard, demo, importer, privacy, twins, views
from praclox.offices.models import Contact

DOMAIN = Domain(
    name="offices",
    blueprints=(views.bp, contacts_views.bp),
    cli=(cli.import_cli, cli.demo_data),
    nav=(Nav(_l("Offices"), "offices.index", roles("staff", "admin"), order=10),
         Nav(_l("Contacts"), "contacts.index", roles("staff", "admin"), order=11)),
    panels=(Panel("offices/_panel_recent.html", dashboard.recent_context, roles("staff", "admin"), order=10),),
    privacy=privacy,
    watch_erased=(WatchErased(Contact),),
    demo=Demo(demo.step),
    template_globals={"twin_reasons": twins.reasons_text, "import_change_label": importer.change_label},
)
