"""Staff pages for follow-ups: the list (mine by default), new from an office or contact, edit, complete, reopen;
and for admins the open follow-ups of deactivated users."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import lazyload
from werkzeug.wrappers import Response

from praclox import listpage
from praclox.auth.access import require_roles_for_blueprint, roles_required
from praclox.auth.models import User
from praclox.clock import today
from praclox.extensions import db
from praclox.followups import services
from praclox.followups.forms import FollowUpForm, ReassignForm
from praclox.followups.models import FollowUp
from praclox.forms import ConfirmForm
from praclox.offices.listing import inactive_manager_count
from praclox.offices.models import Office
from praclox.paging import bounded_int, paginate
from praclox.urls import safe_next

bp = Blueprint("followups", __name__, url_prefix="/follow-ups")
bp.before_request(require_roles_for_blueprint("staff", "admin"))


def _active_users() -> list[User]:
    """Who may own a follow-up (by name); their roles are not needed here."""
    return list(db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)
                                   .options(lazyload(User.roles))))


def _form(office: Office, follow_up: FollowUp | None = None) -> FollowUpForm:
    contacts = [c for c in office.contacts if c.active or (follow_up and c.id == follow_up.contact_id)]
    form = FollowUpForm(obj=follow_up, users=_active_users(), contacts=contacts)
    if follow_up is None and request.method == "GET":
        form.owner_id.data = current_user.id
        form.contact_id.data = request.args.get("contact_id", type=int)
    return form


def _data(form: FollowUpForm) -> dict[str, object]:
    return {name: getattr(form, name).data for name in services.FIELDS}


def _save(form: FollowUpForm, office: Office, follow_up: FollowUp | None) -> bool:
    """Validate and save; False leaves the form with its errors and nothing stored."""
    if not form.validate_on_submit():
        return False
    try:
        if follow_up is None:
            services.create(office, _data(form), actor=current_user)
        else:
            services.update(follow_up, _data(form), actor=current_user)
    except services.FollowUpError as exc:
        db.session.rollback()
        field = getattr(form, str(exc), form.title)
        field.errors = [*field.errors, _("This value is not allowed here.")]
        return False
    db.session.commit()
    return True


def _owner_filter() -> tuple[str, int | None]:
    """``owner`` from the query: "" is mine (the default), "all" everyone's, a number that user's."""
    raw = request.args.get("owner", "")
    if raw == "all":
        return raw, None
    owner_id = bounded_int("owner")
    if owner_id is not None:
        return str(owner_id), owner_id
    return "", current_user.id


def _filters() -> tuple[services.Filters, dict[str, object]]:
    """The list's filters from the query string, and the same as query parameters for its links."""
    owner, owner_id = _owner_filter()
    status = request.args.get("status", "open")
    status = status if status in services.STATUSES else "open"
    period = request.args.get("period", "")
    period = period if period in services.PERIODS else ""
    office_name = request.args.get("office", "")[:100]
    office_id = bounded_int("office_id")
    args = {"owner": owner, "status": status, "period": period, "office": office_name, "office_id": office_id}
    return services.Filters(owner_id, status, office_id, office_name, period), args


@bp.route("/")
def index() -> str:
    filters, args = _filters()
    users = _active_users()
    where = services.conditions(filters, today())
    page = paginate(services.list_rows(where), current_app.config["PAGE_SIZE"], total=services.count(where),
                    rows=True)
    page.items = _lines(page.items, {u.id: u.name for u in users})
    office = db.session.get(Office, filters.office_id) if filters.office_id else None
    links = {k: v for k, v in args.items() if v not in ("", None)}
    return render_template("followups/index.html", page=page, args=args, links=links, office=office,
                           users=users, confirm=ConfirmForm(),
                           orphaned=services.orphaned_count() if current_user.has_role("admin") else 0)


@dataclass(frozen=True, slots=True)
class _Line:
    """One row of the follow-up list, every text worked out (``praclox.listpage``: once per page, not per row)."""

    id: int
    title: str
    url: str
    contact: str
    office_name: str
    office_url: str
    owner: str
    is_open: bool
    late: bool
    due: str
    action_url: str


def _lines(rows: list[Any], names: dict[int, str]) -> list[_Line]:
    """The page's rows; the owners' names from the filter's active users (a deactivated owner's read here)."""
    missing = {row.owner_id for row in rows} - names.keys()
    if missing:
        names = {**names, **dict(db.session.execute(select(User.id, User.name).where(User.id.in_(missing))).all())}
    edit, office = listpage.url_maker(".edit", "follow_up_id"), listpage.url_maker("offices.detail", "office_id")
    complete, reopen = listpage.url_maker(".complete", "follow_up_id"), listpage.url_maker(".reopen", "follow_up_id")
    day, first = listpage.day_texts(), today()
    return [_Line(
        row.id, row.title, edit(row.id),
        f"{row.first_name} {row.last_name}".strip() if row.first_name is not None else "",
        row.office_name, office(row.office_id) + "#follow-ups", names.get(row.owner_id, ""), row.done_at is None,
        row.done_at is None and row.due_on < first, day(row.due_on),
        complete(row.id) if row.done_at is None else reopen(row.id),
    ) for row in rows]


@bp.route("/office/<int:office_id>/new", methods=["GET", "POST"])
def create(office_id: int) -> str | Response | tuple[str, int]:
    office = db.get_or_404(Office, office_id)
    form = _form(office)
    back = url_for("offices.detail", office_id=office.id) + "#follow-ups"
    if _save(form, office, None):
        flash(_("Follow-up added."), "success")
        return redirect(safe_next(request.args.get("next"), back))
    return render_template("followups/form.html", form=form, office=office, follow_up=None), \
        422 if form.errors else 200


@bp.route("/<int:follow_up_id>/edit", methods=["GET", "POST"])
def edit(follow_up_id: int) -> str | Response | tuple[str, int]:
    follow_up = db.get_or_404(FollowUp, follow_up_id)
    form = _form(follow_up.office, follow_up)
    if _save(form, follow_up.office, follow_up):
        flash(_("Changes saved."), "success")
        return redirect(url_for("offices.detail", office_id=follow_up.office_id) + "#follow-ups")
    return render_template("followups/form.html", form=form, office=follow_up.office, follow_up=follow_up), \
        422 if form.errors else 200


def _state_change(follow_up_id: int, done: bool) -> Response:
    follow_up = db.get_or_404(FollowUp, follow_up_id)
    target = safe_next(request.form.get("next"), url_for("followups.index"))
    if ConfirmForm().validate_on_submit():
        change = services.complete if done else services.reopen
        changed = change(follow_up, actor=current_user)
        db.session.commit()
        if changed:
            flash(_("Follow-up done.") if done else _("Follow-up reopened."), "success")
    return redirect(target)


@bp.route("/<int:follow_up_id>/complete", methods=["POST"])
def complete(follow_up_id: int) -> Response:
    return _state_change(follow_up_id, done=True)


@bp.route("/<int:follow_up_id>/reopen", methods=["POST"])
def reopen(follow_up_id: int) -> Response:
    return _state_change(follow_up_id, done=False)


@bp.route("/orphaned", methods=["GET", "POST"])
@roles_required("admin")
def orphaned() -> str | Response | tuple[str, int]:
    """Open follow-ups of deactivated users, for an admin to hand over in bulk (ticked by default)."""
    page = paginate(services.orphaned(), current_app.config["PAGE_SIZE"])
    users = _active_users()
    form = ReassignForm(users=users, ids=[f.id for f in page.items] if request.method == "GET" else
                        list(db.session.scalars(services.orphaned().with_only_columns(FollowUp.id))))
    if form.validate_on_submit():
        owner = db.session.get(User, form.owner_id.data)
        try:
            moved = services.reassign_many(form.ids.data, owner, actor=current_user)
        except services.FollowUpError:
            db.session.rollback()
            form.owner_id.errors = [*form.owner_id.errors, _("This value is not allowed here.")]
        else:
            db.session.commit()
            flash(ngettext("%(num)d follow-up reassigned to %(name)s.", "%(num)d follow-ups reassigned to %(name)s.",
                           moved, name=owner.name), "success")
            return redirect(url_for(".orphaned"))
    if request.method == "GET":
        form.ids.data = [f.id for f in page.items]
    return render_template("followups/orphaned.html", page=page, form=form, today_date=today(),
                           orphaned_offices=inactive_manager_count()), 422 if form.errors else 200
