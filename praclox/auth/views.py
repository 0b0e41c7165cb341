from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from praclox.auth import services
from praclox.auth.forms import LoginForm, LogoutForm, PasswordChangeForm
from praclox.extensions import db
from praclox.urls import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        db.session.commit()
        if user is None:
            flash(_("Unknown e-mail address or wrong password."), "danger")
            return render_template("auth/login.html", form=form), 200
        lang = session.get("lang")
        session.clear()  # a fresh session at login: nothing from before survives
        if lang:
            session["lang"] = lang
        login_user(user)
        return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    if LogoutForm().validate_on_submit():
        services.end_other_sessions(current_user)
        from praclox.audit.services import record

        record("logout", current_user._get_current_object())
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> str | Response:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except services.UserError as exc:
            reason = str(exc)
            if reason == "current":
                form.current.errors.append(_("The current password is wrong."))
            elif reason == "same":
                form.new.errors.append(_("Choose a password that differs from the current one."))
            else:
                form.new.errors.append(reason)
            db.session.rollback()
            return render_template("auth/password.html", form=form), 422
        db.session.commit()
        login_user(current_user._get_current_object())  # keep this session under the new version
        flash(_("Your password has been changed; other sessions have been logged out."), "success")
        return redirect(url_for("main.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status
