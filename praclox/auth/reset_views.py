"""Forgotten password: ask for a link, then choose a new password with it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from praclox.auth import notices, reset, services, throttle
from praclox.auth.forms import ResetForm, ResetRequestForm
from praclox.auth.views import bp, locked_message
from praclox.extensions import db


@bp.route("/password-reset", methods=["GET", "POST"])
def reset_request() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("auth.password"))
    form = ResetRequestForm()
    if form.validate_on_submit():
        if throttle.lock_state(form.email.data):
            flash(locked_message(), "danger")
            return render_template("auth/reset_request.html", form=form), 429
        # counted like a failed login, so the form cannot be used to flood a mailbox
        throttle.record_attempt(form.email.data, success=False, kind="reset")
        reset.request_reset(form.email.data)
        db.session.commit()
        flash(_("If the address belongs to an account, a link to choose a new password is on its way. "
                "It works once, within 30 minutes."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form), 422 if form.errors else 200


@bp.route("/reset/<secret:token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    if reset.valid_token(token) is None:
        abort(404)
    form = ResetForm()
    if form.validate_on_submit():
        try:
            user = reset.complete(token, form.new.data)
        except services.UserError as exc:
            db.session.rollback()
            form.new.errors.append(str(exc))
        else:
            throttle.record_attempt(user.email, success=True, kind="reset")
            db.session.commit()
            notices.send_notice(user, "password_reset")
            flash(_("Your password has been set; every session was logged out. Log in with it now."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form), 422 if form.errors else 200
