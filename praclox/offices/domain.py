"""Offices (clients and prospects), contacts and the history of every contact moment."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from praclox.domain import Demo, Domain, Nav, Panel, Section, SettingSpec, WatchErased, roles
from praclox.offices import (
    cli,
    contacts_views,
    dashboard,
    demo,
    importer,
    listing,
    privacy,
    services,
    tag_views,
    twins,
    views,
)
from praclox.offices.models import Contact, InteractionKind

STAFF = roles("staff", "admin")
_OFFICES = _l("Offices")

DOMAIN = Domain(
    name="offices",
    blueprints=(views.bp, tag_views.bp, contacts_views.bp),
    cli=(cli.import_cli, cli.demo_data),
    nav=(Nav(_l("Offices"), "offices.index", STAFF, order=10), Nav(_l("Contacts"), "contacts.index", STAFF, order=11)),
    panels=(Panel("offices/_panel_recent.html", dashboard.recent_context, STAFF, order=10),),
    sections=(Section("office_sidebar", "offices/_ownership.html", tag_views.office_section, STAFF, order=5),),
    settings=(
        SettingSpec(listing.STALE_MONTHS, int, 6, _l("Flag an office after this many months without contact"),
                    _OFFICES, minimum=1, maximum=120),
        SettingSpec(services.FREE_TAGS, bool, False, _l("Staff may add tags that are not on the tag list"),
                    _OFFICES),
    ),
    privacy=privacy,
    watch_erased=(WatchErased(Contact),),
    demo=Demo(demo.step),
    template_globals={"twin_reasons": twins.reasons_text, "import_change_label": importer.change_label,
                      "interaction_kind_label": InteractionKind.label_of},
)
