"""Data in and out: office exports (CSV, XLSX, vCard), possible duplicates, and merging them."""

from __future__ import annotations

from typing import Any

from praclox.dataio import views
from praclox.domain import Domain, Section, roles
from praclox.offices import twins
from praclox.offices.services import OFFICE_FIELDS

STAFF = roles("staff", "admin")


def _twins_section(office: Any) -> dict[str, Any]:
    data = {name: getattr(office, name) for name in OFFICE_FIELDS}
    return {"office_id": office.id, "twins": twins.office_twins(data, exclude_id=office.id, limit=5)}


DOMAIN = Domain(
    name="dataio",
    blueprints=(views.bp,),
    sections=(
        Section("office_main", "dataio/_office_twins.html", _twins_section, STAFF, order=1),
        Section("office_sidebar", "dataio/_office_export.html", lambda office: {"office_id": office.id}, STAFF,
                order=90),
    ),
)
