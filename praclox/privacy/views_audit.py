"""The audit trail for the privacy officer (filter, CSV) and the overview of support access."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from praclox.audit.models import ACTIONS
from praclox.audit.services import record
from praclox.auth.access import roles_required
from praclox.auth.models import User
from praclox.csvutil import write_csv
from praclox.extensions import db
from praclox.forms import CONTROL_CHARS
from praclox.paging import paginate
from praclox.privacy import audit_trail, support
from praclox.privacy.views import OFFICER, bp, csv_response

#: the audit trail's filter accepts days in this range; the trail itself is kept 24 months
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def _int(name: str, errors: list[str]) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        errors.append(name)
        return None
    return int(raw)


def _date(name: str, errors: list[str]) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw[:10])
    except ValueError:
        errors.append(name)
        return None
    if not EARLIEST <= day <= LATEST:  # 9999-12-31 has no next day to end the period on
        errors.append(name)
        return None
    return day


def _filter() -> tuple[audit_trail.AuditFilter, list[str]]:
    errors: list[str] = []
    action = request.args.get("action", "").strip()
    if action and action not in ACTIONS:
        errors.append("action")
        action = ""
    record_type = request.args.get("record_type", "").strip()
    if len(record_type) > 64 or CONTROL_CHARS.search(record_type):
        errors.append("record_type")
        record_type = ""
    flt = audit_trail.AuditFilter(
        user_id=_int("user", errors), record_type=record_type or None,
        record_id=_int("record_id", errors), action=action or None, start=_date("start", errors),
        end=_date("end", errors),
    )
    if flt.start and flt.end and flt.end < flt.start:
        errors.append("period")
    return flt, errors


@bp.route("/audit")
@roles_required(*OFFICER)
def audit() -> tuple[str, int]:
    flt, errors = _filter()
    page = paginate(audit_trail.query(flt), per_page=current_app.config["PAGE_SIZE"] * 2) if not errors else None
    users = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template(
        "privacy/audit.html", page=page, flt=flt, errors=errors, users=users,
        users_by_id={u.id: u for u in users}, actions=ACTIONS,
        record_types=audit_trail.record_types(),
        filter_args={k: v[:100] for k, v in request.args.items() if k != "page"},
        error_text=_("Some filters are not valid: use whole numbers, dates as YYYY-MM-DD, a known action, "
                     "and an end on or after the start."),
    ), 422 if errors else 200


@bp.route("/audit.csv")
@roles_required(*OFFICER)
def audit_csv() -> Response | tuple[str, int]:
    flt, errors = _filter()
    if errors:
        return _("Some filters are not valid."), 422
    body = write_csv(audit_trail.csv_header(), audit_trail.csv_rows(flt))
    record("export", None, record_type="audit_entries", actor=current_user)
    db.session.commit()
    return csv_response(body, "audit-trail.csv")


@bp.route("/support")
@roles_required(*OFFICER)
def support_overview() -> str:
    return render_template("privacy/support_overview.html", scopes=support.scopes(), **support.overview())
