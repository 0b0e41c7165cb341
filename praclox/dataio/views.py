"""The office export, the list of possible duplicates and the merge screens (staff and admin)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, request
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy.orm import selectinload

from praclox.auth.access import require_roles_for_blueprint
from praclox.clock import today
from praclox.dataio import export, services
from praclox.extensions import db
from praclox.offices import services as office_services
from praclox.offices.columns import COLUMNS, office_rows
from praclox.offices.models import Contact, Office
from praclox.paging import bounded_int

bp = Blueprint("dataio", __name__, url_prefix="/offices")
bp.before_request(require_roles_for_blueprint("staff", "admin"))

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "vcf": ("text/vcard; charset=utf-8", "vcf"),
}


def selection() -> tuple[list[Office], int | None]:
    """The offices the export holds: one office (``?office=``), else the office list's filter arguments."""
    office_id = bounded_int("office")
    if office_id is not None:
        return [db.get_or_404(Office, office_id)], office_id
    stmt = office_services.office_search(request.args.get("q", "")[:100], request.args.get("kind", ""),
                                         request.args.get("sort", "name"))
    return list(db.session.scalars(stmt.options(selectinload(Office.contacts)))), None


def _download(body: bytes, fmt: str, name: str) -> Response:
    content_type, extension = FORMATS[fmt]
    return Response(body, content_type=content_type, headers={
        "Content-Disposition": f'attachment; filename="{name}-{today().isoformat()}.{extension}"'})


@bp.route("/export")
def export_offices() -> Response:
    """The selected offices with their contacts as CSV, XLSX or vCard; audited with the number of rows."""
    fmt = request.args.get("format", "csv")
    if fmt not in FORMATS:
        abort(404)
    offices, office_id = selection()
    if fmt == "vcf":
        contacts: list[Contact] = [c for o in offices for c in o.contacts if c.active]
        body, count = export.vcard_bytes(contacts), len(contacts)
    else:
        rows: list[list[Any]] = list(office_rows(offices))
        count = len(rows)
        if fmt == "csv":
            body = export.csv_bytes(COLUMNS, rows, str(get_locale() or "nl"))
        else:
            body = export.xlsx_bytes(COLUMNS, rows, "offices")
    services.record_export(current_user, fmt=fmt, rows=count, office_id=office_id)
    db.session.commit()
    return _download(body, fmt, "contacts" if fmt == "vcf" else "offices")
