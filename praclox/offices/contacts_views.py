"""The contacts list across offices (``/contacts/``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, render_template, request

from praclox import listpage
from praclox.auth.access import require_roles_for_blueprint
from praclox.offices import contact_list
from praclox.paging import bounded_int, paginate

bp = Blueprint("contacts", __name__, url_prefix="/contacts")
bp.before_request(require_roles_for_blueprint("staff", "admin"))


@bp.route("/")
def index() -> str:
    query = request.args.get("q", "")[:100]
    sort = request.args.get("sort", "name")
    sort = sort if sort in contact_list.SORTS else "name"
    tag = bounded_int("tag")
    where = contact_list.conditions(query, tag)
    page = paginate(contact_list.contact_rows(where, sort), per_page=current_app.config["PAGE_SIZE"],
                    total=contact_list.contact_count(where), rows=True)
    page.items = _lines(page.items)
    return render_template("offices/contacts.html", page=page, q=query, sort=sort, tag=tag,
                           tags=contact_list.filter_tags())


@dataclass(frozen=True, slots=True)
class _ContactLine:
    """One row of the contacts list, every text worked out (``praclox.listpage``: once per page, not per row)."""

    id: int
    name: str
    url: str
    active: bool
    office_name: str
    office_url: str
    job_title: str
    email: str
    phones: tuple[str, ...]
    last_contact: str


def _lines(rows: list[Any]) -> list[_ContactLine]:
    contact = listpage.url_maker("offices.contact", "office_id", "contact_id")
    office, day = listpage.url_maker("offices.detail", "office_id"), listpage.day_texts()
    last = contact_list.last_contact_by_contact([row.id for row in rows])
    return [_ContactLine(
        row.id, f"{row.first_name} {row.last_name}".strip(), contact(row.office_id, row.id), row.active,
        row.office_name, office(row.office_id), row.job_title or "", row.email or "",
        tuple(number for number in (row.phone, row.mobile) if number), day(last.get(row.id)),
    ) for row in rows]
