"""Forgotten password: ask for a link, then choose a new password with it; the lockout mail's unlock link."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from praclox.auth import notices, reset, services, throttle, unlock
from praclox.auth.forms import ResetForm, ResetRequestForm
from praclox.auth.views import bp, locked_message
from praclox.extensions import db


@bp.route("/password-reset", methods=["GET", "POST"])
def reset_request() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("auth.password"))
    form = ResetRequestForm()
    if form.validate_on_submit():
        # failed logins never block a reset (the holder's way back in); only this address's reset requests do
        if throttle.reset_source_lock():
            flash(locked_message(), "danger")
            return render_template("auth/reset_request.html", form=form), 429
        email = form.email.data
        throttle.record_attempt(email, success=False, kind="reset")
        mail_allowed = throttle.reset_mail_allowed(email)
        db.session.commit()
        flash(_("If the address belongs to an account, a link to choose a new password is on its way. "
                "It works once, within 30 minutes."), "info")
        response = make_response(redirect(url_for("auth.login")))
        if mail_allowed:
            # looked up and mailed once the answer is out: its timing does not tell known addresses from unknown
            response.call_on_close(_reset_sender(current_app._get_current_object(), email))
        return response
    return render_template("auth/reset_request.html", form=form), 422 if form.errors else 200


def _reset_sender(app: Flask, email: str) -> Callable[[], None]:
    def send() -> None:
        with app.test_request_context():
            reset.request_reset(email)
            db.session.commit()

    return send


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


@bp.route("/unlock/<secret:token>", methods=["GET", "POST"])
def unlock_browser(token: str) -> str | Response | tuple[str, int]:
    """The lockout mail's link: GET shows a button (mail scanners open links), POST unlocks this browser."""
    user = unlock.user_for(token)
    if user is None:
        db.session.rollback()
        abort(404)
    form = FlaskForm()
    if form.validate_on_submit():
        unlock.mark_browser(user)
        flash(_("This browser may log in to your account again. Log in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/unlock.html", form=form), 422 if form.errors else 200
