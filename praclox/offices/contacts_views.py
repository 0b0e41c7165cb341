"""The contacts list across offices (``/contacts/``)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

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
    page = paginate(contact_list.contacts_query(query, sort, tag), per_page=current_app.config["PAGE_SIZE"])
    last = contact_list.last_contact_by_contact([c.id for c in page.items])
    return render_template("offices/contacts.html", page=page, last=last, q=query, sort=sort, tag=tag,
                           tags=contact_list.filter_tags())
