"""The administrator grants and revokes time-limited support access."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from praclox.auth.access import require_roles_for_blueprint
from praclox.auth.models import User, UserRole
from praclox.auth.sessions import require_recent_auth
from praclox.extensions import db
from praclox.forms import ConfirmForm, choices
from praclox.privacy import support
from praclox.privacy.forms import GrantForm
from praclox.privacy.models import SupportGrant

bp = Blueprint("support", __name__, url_prefix="/admin/support")
bp.before_request(require_roles_for_blueprint("admin"))


def grant_error(code: str) -> str:
    return {
        "not_support": _("Only an active user with the role support engineer can be given support access."),
        "hours": _("Between 1 and %(max)d hours.", max=support.MAX_HOURS),
        "reason": _("Give a reason (at most 500 characters)."),
        "scope": _("Choose what the access is for."),
    }.get(code, _("This cannot be done."))


def _form() -> GrantForm:
    form = GrantForm()
    people = db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == "support", User.active.is_(True)).order_by(User.name)
    ).all()
    form.user_id.choices = choices([(u.id, f"{u.name} <{u.email}>") for u in people])
    form.scope.choices = choices([(s.key, str(s.label)) for s in support.scopes().values()])
    return form


def _page(form: GrantForm, status: int = 200) -> tuple[str, int]:
    grants = db.session.scalars(select(SupportGrant).order_by(SupportGrant.starts_at.desc()).limit(100)).all()
    from praclox.clock import now

    return render_template("privacy/support_grants.html", form=form, grants=grants, confirm=ConfirmForm(),
                           scopes=support.scopes(), moment=now()), status


@bp.route("/", methods=["GET", "POST"])
@require_recent_auth
def grants() -> Response | tuple[str, int]:
    form = _form()
    if not form.is_submitted():
        return _page(form)
    if not form.validate():
        return _page(form, 422)
    user = db.session.get(User, form.user_id.data)
    try:
        if user is None:
            raise support.GrantError("not_support")
        item = support.grant(user, hours=form.hours.data, reason=form.reason.data, scope=form.scope.data,
                             actor=current_user)
    except support.GrantError as exc:
        db.session.rollback()
        form.form_errors.append(grant_error(str(exc)))
        return _page(form, 422)
    db.session.commit()
    flash(_("Access granted until %(end)s.", end=format_datetime(item.expires_at, "short")), "success")
    return redirect(url_for(".grants"))


@bp.route("/<int:grant_id>/revoke", methods=["POST"])
def revoke(grant_id: int) -> Response:
    item = db.get_or_404(SupportGrant, grant_id)
    if ConfirmForm().validate_on_submit() and support.revoke(item, actor=current_user):
        db.session.commit()
        flash(_("Support access revoked."), "success")
    return redirect(url_for(".grants"))
