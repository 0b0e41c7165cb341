"""Attachments: documents on an office's and a contact's page, kept encrypted in the shared file store."""

from __future__ import annotations

from typing import Any

from praclox.attachments import privacy, services, views
from praclox.attachments.forms import AttachmentForm
from praclox.attachments.models import AttachmentKind
from praclox.domain import Domain, Section, roles
from praclox.forms import ConfirmForm

STAFF = roles("staff", "admin")


def _office_section(office: Any) -> dict[str, Any]:
    return {"attachments": services.for_office(office.id), "office": office, "contact": None,
            "form": AttachmentForm(), "confirm": ConfirmForm()}


def _contact_section(contact: Any) -> dict[str, Any]:
    return {"attachments": services.for_contact(contact.id), "office": contact.office, "contact": contact,
            "form": AttachmentForm(), "confirm": ConfirmForm()}


DOMAIN = Domain(
    name="attachments",
    blueprints=(views.bp,),
    sections=(
        Section("office_main", "attachments/_section.html", _office_section, STAFF, order=20),
        Section("contact_main", "attachments/_section.html", _contact_section, STAFF, order=20),
    ),
    privacy=privacy,
    template_globals={"attachment_kind_label": AttachmentKind.label_of},
    setup=services.setup,
)
