"""The search page: one box for offices, contacts and contact moments."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from praclox.auth.access import require_roles_for_blueprint
from praclox.search import services

bp = Blueprint("search", __name__, url_prefix="/search")
bp.before_request(require_roles_for_blueprint("staff", "admin"))

#: longer queries are cut (the box says so by its maxlength)
MAX_QUERY = 100
#: stand-ins for the ids in a link built once per page (``url_for`` per result was a fifth of the page's template)
_OFFICE, _CONTACT = "987654321", "987654322"


@bp.route("/")
def index() -> str:
    query = request.args.get("q", "")[:MAX_QUERY]
    page = request.args.get("page", 1, type=int) or 1
    found = services.search(query, page) if query.strip() else services.Found([], 1, False, services.index_usable())
    return render_template("search/index.html", q=query, found=found, usable=found.usable,
                           shown=_shown(found.results))


def _shown(results: list[services.Result]) -> list[tuple[services.Result, str]]:
    links = _links() if results else {}
    return [(result, _link(result, links)) for result in results]


def _links() -> dict[str, str]:
    return {"office": url_for("offices.detail", office_id=int(_OFFICE)),
            "contact": url_for("offices.contact", office_id=int(_OFFICE), contact_id=int(_CONTACT))}


def _link(result: services.Result, links: dict[str, str]) -> str:
    if result.kind == "contact":
        return links["contact"].replace(_OFFICE, str(result.office_id)).replace(_CONTACT, str(result.id))
    office = links["office"].replace(_OFFICE, str(result.office_id))
    return office if result.kind == "office" else f"{office}#interaction-{result.id}"
