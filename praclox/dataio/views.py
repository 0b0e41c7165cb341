"""The office export, the list of possible duplicates and the merge screens (staff and admin)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from praclox.auth.access import require_roles_for_blueprint
from praclox.clock import today
from praclox.dataio import export, forms, merge, services
from praclox.extensions import db
from praclox.offices import listing, twins
from praclox.offices.columns import header, office_rows
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
    stmt = listing.filtered_offices(request.args, current_user)
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
            body = export.csv_bytes(header(), rows, str(get_locale() or "nl"))
        else:
            body = export.xlsx_bytes(header(), rows, _("Offices"))
    services.record_export(fmt=fmt, rows=count, office_id=office_id, actor=current_user)
    db.session.commit()
    return _download(body, fmt, "contacts" if fmt == "vcf" else "offices")


# --- possible duplicates and merging ------------------------------------------------------------------

PAIRS_PER_PAGE = 50
MERGE_KINDS: dict[str, Any] = {
    "offices": (Office, merge.MERGE_OFFICE_FIELDS, merge.merge_offices),
    "contacts": (Contact, merge.MERGE_CONTACT_FIELDS, merge.merge_contacts),
}


@bp.route("/duplicates")
def duplicates() -> str:
    """Pairs of offices (or ``?what=contacts``) that may be one, with the reasons, most reasons first."""
    what = "contacts" if request.args.get("what") == "contacts" else "offices"
    pairs = twins.contact_pairs() if what == "contacts" else twins.office_pairs()
    pages = max((len(pairs) + PAIRS_PER_PAGE - 1) // PAIRS_PER_PAGE, 1)
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    shown = pairs[(page - 1) * PAIRS_PER_PAGE:page * PAIRS_PER_PAGE]
    model = Contact if what == "contacts" else Office
    ids = {i for p in shown for i in (p.first, p.second)}
    records = {r.id: r for r in db.session.scalars(select(model).where(model.id.in_(ids)))}
    rows = [(records[p.first], records[p.second], p.ordered_reasons) for p in shown]
    return render_template("dataio/duplicates.html", what=what, rows=rows, total=len(pairs), page=page,
                           pages=pages)


def _pair_or_404(what: str, first: int, second: int) -> tuple[Any, Any]:
    model = MERGE_KINDS[what][0]
    if first == second:
        abort(404)
    return db.get_or_404(model, first), db.get_or_404(model, second)


def _merge_page(what: str, first_id: int, second_id: int) -> str | Response | tuple[str, int]:
    model, fields, service = MERGE_KINDS[what]
    first, second = _pair_or_404(what, first_id, second_id)
    form = forms.merge_form(fields, first, second)
    if form.validate_on_submit():
        kept, other = (first, second) if form.keep.data == "first" else (second, first)
        try:
            service(kept, other, forms.picked(form), actor=current_user)
        except merge.MergeRefused as exc:
            db.session.rollback()
            flash(_refusal(str(exc)), "danger")
        else:
            db.session.commit()
            flash(_("Merged: the other record's links moved here and it was deleted."), "success")
            office_id = kept.id if model is Office else kept.office_id
            return redirect(url_for("offices.detail", office_id=office_id))
    held = merge.is_held(first) or merge.is_held(second)
    return render_template("dataio/merge.html", what=what, first=first, second=second, form=form, fields=fields,
                           differing=forms.differing(form), held=held), 422 if form.errors else 200


def _refusal(code: str) -> str:
    if code == "held":
        return _("Not merged: an open privacy request is about one of these records. Merge after it is handled.")
    if code == "offices":
        return _("Not merged: these contacts are at different offices. Merge the offices first.")
    return _("Not merged: choose two different records.")


@bp.route("/merge/<int:first>/<int:second>", methods=["GET", "POST"])
def merge_offices(first: int, second: int) -> str | Response | tuple[str, int]:
    """Both offices side by side; the user picks which stays and each field's value."""
    return _merge_page("offices", first, second)


@bp.route("/contacts/merge/<int:first>/<int:second>", methods=["GET", "POST"])
def merge_contacts(first: int, second: int) -> str | Response | tuple[str, int]:
    """Both contacts side by side; the user picks which stays and each field's value."""
    return _merge_page("contacts", first, second)
