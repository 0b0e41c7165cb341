"""``/timeline/``: what happened across offices, filtered by user, kind, office and period; paged in SQL."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from praclox.auth.access import require_roles_for_blueprint
from praclox.auth.models import User
from praclox.extensions import db
from praclox.offices.models import Office
from praclox.paging import MAX_PAGE, bounded_int
from praclox.timeline import services

bp = Blueprint("timeline", __name__, url_prefix="/timeline")

#: the period's bounds: nothing in the CRM is older, and a day past the last one must still be a date
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)
bp.before_request(require_roles_for_blueprint("staff", "admin"))


def _day(name: str, errors: list[str]) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= LATEST:
        errors.append(_("Enter a valid date."))
        return None
    return day


def _filters() -> tuple[services.Filters, dict[str, object], list[str]]:
    errors: list[str] = []
    kind = request.args.get("kind", "")
    kind = kind if kind in services.KINDS else ""
    filters = services.Filters(
        user_id=bounded_int("user"), kind=kind, office_id=bounded_int("office_id"),
        office_name=request.args.get("office", "")[:100], first_day=_day("from", errors), last_day=_day("to", errors),
    )
    args = {"user": filters.user_id, "kind": kind, "office_id": filters.office_id, "office": filters.office_name,
            "from": filters.first_day.isoformat() if filters.first_day else None,
            "to": filters.last_day.isoformat() if filters.last_day else None}
    return filters, {k: v for k, v in args.items() if v not in ("", None)}, errors


@bp.route("/")
def index() -> tuple[str, int]:
    filters, args, errors = _filters()
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    rows, has_older = services.page_rows(filters, page, current_app.config["PAGE_SIZE"])
    users = list(db.session.scalars(select(User).order_by(User.active.desc(), User.name).options(lazyload(User.roles))))
    return render_template(
        "timeline/index.html", entries=services.entries(rows), page=page, has_older=has_older, args=args,
        filters=filters, users=users, names={u.id: u.name for u in users}, errors=errors,
        office=db.session.get(Office, filters.office_id) if filters.office_id else None,
    ), 422 if errors else 200
