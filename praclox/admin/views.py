from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response

from praclox.auth import services
from praclox.auth.access import require_roles_for_blueprint
from praclox.auth.forms import UserForm
from praclox.auth.models import User
from praclox.auth.sessions import require_recent_auth
from praclox.dates import feeds
from praclox.dates.access import may_see_personal_dates
from praclox.dates.models import Feed
from praclox.extensions import db
from praclox.jobs.models import JobRun
from praclox.jobs.services import counts_of
from praclox.scheduler import job_specs, schedule_text

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_roles_for_blueprint("admin"))


@bp.route("/users")
def users() -> str:
    people = db.session.scalars(select(User).order_by(User.active.desc(), User.name)).all()
    return render_template("admin/users.html", users=people)


@bp.route("/users/new", methods=["GET", "POST"])
@require_recent_auth
def create_user() -> str | Response | tuple[str, int]:
    form = UserForm()
    if form.validate_on_submit():
        try:
            user, one_time = services.create_user(
                form.email.data, form.name.data, form.roles.data, actor=current_user
            )
        except services.UserError as exc:
            db.session.rollback()
            form.email.errors.append(str(exc))
            return render_template("admin/user_form.html", form=form, user=None), 422
        db.session.commit()
        flash(_("User %(email)s created.", email=user.email), "success")
        return render_template("admin/user_created.html", user=user, password=one_time)
    return render_template("admin/user_form.html", form=form, user=None), 422 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require_recent_auth
def edit_user(user_id: int) -> str | Response | tuple[str, int]:
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    del form.email  # the address is the login; it is not edited here
    if not form.is_submitted():
        form.roles.data = sorted(user.role_names)
    if form.validate_on_submit():
        try:
            services.update_user(
                user, name=form.name.data, roles=form.roles.data, active=form.active.data, actor=current_user
            )
        except services.UserError as exc:
            db.session.rollback()
            message = _("You cannot remove your own administrator role or deactivate yourself.") if str(
                exc) == "self" else str(exc)
            form.roles.errors.append(message)
            return _user_page(form, user, 422)
        db.session.commit()
        flash(_("Changes saved."), "success")
        return redirect(url_for(".users"))
    return _user_page(form, user, 422 if form.errors else 200)


def _user_page(form: UserForm, user: User, status: int) -> tuple[str, int]:
    """The user's page, with every calendar feed they have: the admin sees and revokes what the user no longer can."""
    return render_template(
        "admin/user_form.html", form=form, user=user, feeds=feeds.feeds_of(user.id), feed_status=feeds.status,
        serves_dates=may_see_personal_dates(user), confirm=FlaskForm(),
    ), status


@bp.route("/users/<int:user_id>/feeds/<int:feed_id>/revoke", methods=["POST"])
@require_recent_auth
def revoke_feed(user_id: int, feed_id: int) -> Response:
    """Revoke any user's calendar feed (audited under the admin's name)."""
    feed = db.session.scalar(select(Feed).where(Feed.id == feed_id, Feed.user_id == user_id))
    if feed is None:
        abort(404)
    if FlaskForm().validate_on_submit():
        feeds.revoke_feed(feed, actor=current_user)
        db.session.commit()
        flash(_("Feed revoked: its URL no longer works."), "success")
    return redirect(url_for(".edit_user", user_id=user_id))


@bp.route("/jobs")
def job_runs() -> str:
    runs = db.session.scalars(select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(200)).all()
    return render_template(
        "admin/job_runs.html", runs=[(r, counts_of(r)) for r in runs],
        specs=job_specs(current_app).values(), schedule_text=schedule_text,
    )
