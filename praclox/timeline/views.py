"""``/timeline/``: what happened across offices, filtered by user, kind, office and period; paged in SQL."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import lazyload

from praclox import listpage
from praclox.auth.access import require_roles_for_blueprint
from praclox.auth.models import User
from praclox.extensions import db
from praclox.offices.models import InteractionKind, Office
from praclox.paging import bounded_int
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


def _cursor() -> services.Cursor | None:
    """Where the page starts: after ``?after=`` (older), before ``?before=`` (newer), or the newest first."""
    for name, older in (("after", True), ("before", False)):
        token = request.args.get(name, "")[:80]
        if token:
            return services.Cursor.read(token, older=older)
    return None


@bp.route("/")
def index() -> tuple[str, int]:
    filters, args, errors = _filters()
    cursor = _cursor()
    page = services.page_rows(filters, current_app.config["PAGE_SIZE"], cursor)
    entries = services.entries(page.rows)
    users = list(db.session.scalars(select(User).order_by(User.active.desc(), User.name).options(lazyload(User.roles))))
    return render_template(
        "timeline/index.html", entries=entries, args=args, filters=filters, users=users, errors=errors,
        names={u.id: u.name for u in users}, links=_links(page, entries, args, cursor is not None),
        office=db.session.get(Office, filters.office_id) if filters.office_id else None,
        office_url=listpage.url_maker("offices.detail", "office_id"), day=listpage.day_texts(),
        follow_up_url=listpage.url_maker("followups.edit", "follow_up_id"),
        labels={kind: InteractionKind.label_of(kind) for kind in InteractionKind.values()},
    ), 422 if errors else 200


def _links(page: services.Page, entries: list[services.Entry], args: dict[str, object],
           paged: bool) -> dict[str, str]:
    """The newer and older pages' links: keyed by the first and the last entry shown."""
    links = {}
    if page.has_newer and entries:
        links["newer"] = url_for(".index", **args, before=services.cursor_of(entries[0], older=False).token)
    elif paged and not entries:  # past the end (or a cursor from a hand-edited link): back to the newest
        links["newer"] = url_for(".index", **args)
    if page.has_older and entries:
        links["older"] = url_for(".index", **args, after=services.cursor_of(entries[-1], older=True).token)
    return links
