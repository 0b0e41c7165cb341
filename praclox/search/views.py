"""The search page: one box for offices, contacts and contact moments."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from praclox.auth.access import require_roles_for_blueprint
from praclox.search import services

bp = Blueprint("search", __name__, url_prefix="/search")
bp.before_request(require_roles_for_blueprint("staff", "admin"))

#: longer queries are cut (the box says so by its maxlength)
MAX_QUERY = 100


@bp.route("/")
def index() -> str:
    query = request.args.get("q", "")[:MAX_QUERY]
    page = request.args.get("page", 1, type=int) or 1
    found = services.search(query, page) if query.strip() else services.Found([], 1, False, services.index_usable())
    return render_template("search/index.html", q=query, found=found, usable=found.usable)
