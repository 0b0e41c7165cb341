"""Follow-ups: promised calls and tasks per office, on the owner's dashboard until done."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from praclox.clock import today
from praclox.domain import Domain, Nav, Panel, Section, roles
from praclox.followups import privacy, services, views
from praclox.followups.forms import period_labels, status_labels
from praclox.forms import ConfirmForm

STAFF = roles("staff", "admin")


def _panel() -> dict[str, Any]:
    day = today()
    return {"agenda": services.agenda(current_user.id, day), "today": day, "confirm": ConfirmForm()}


def _office_section(office: Any) -> dict[str, Any]:
    return {"follow_ups": services.for_office(office.id), "today": today(), "confirm": ConfirmForm()}


def _contact_section(contact: Any) -> dict[str, Any]:
    return {"follow_ups": services.for_office(contact.office_id, contact.id), "today": today(),
            "confirm": ConfirmForm()}


def _orphaned_panel() -> dict[str, Any]:
    return {"count": services.orphaned_count()}


DOMAIN = Domain(
    name="followups",
    blueprints=(views.bp,),
    nav=(Nav(_l("Follow-ups"), "followups.index", STAFF, order=25),),
    panels=(Panel("followups/_panel.html", _panel, STAFF, order=4),
            Panel("followups/_orphaned_panel.html", _orphaned_panel, roles("admin"), order=3)),
    sections=(Section("office_main", "followups/_office_section.html", _office_section, STAFF, order=10),
              Section("contact_main", "followups/_contact_section.html", _contact_section, STAFF, order=10)),
    privacy=privacy,
    template_globals={"follow_up_status_choices": status_labels, "follow_up_period_choices": period_labels},
)
