"""Logging in (password, then the second factor when enrolled), logging out, changing the password."""

from __future__ import annotations

import logging
import time

from flask import (
    Blueprint,
    after_this_request,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from praclox.auth import notices, services, sessions, throttle, totp, unlock
from praclox.auth.forms import LoginForm, LogoutForm, PasswordChangeForm, SecondFactorForm
from praclox.auth.models import User
from praclox.extensions import db
from praclox.urls import safe_next

bp = Blueprint("auth", __name__)
log = logging.getLogger("praclox.auth")

#: how long the second step of a login may take after the password was accepted
PENDING_SECONDS = 300


def generic_failure() -> str:
    # the same words for an unknown address, a wrong password and an inactive account
    return _("Unknown e-mail address or wrong password.")


def locked_message() -> str:
    return _("Too many failed attempts. Wait a few minutes and try again.")


def note_failure(email: str, kind: str = "password") -> None:
    """Count a failure; at the first limit and at the ceiling, tell a real account's holder (after the commit)."""
    throttle.record_attempt(email, success=False, kind=kind)
    log.info("login failed at the %s step", kind)
    notice_due = throttle.notice_due(email)
    db.session.commit()
    if notice_due:
        _notice_after_the_answer(email)


def _notice_after_the_answer(email: str) -> None:
    """Look up the holder and mail them once the answer is out: its timing must not tell a known address."""
    app = current_app._get_current_object()

    def send() -> None:
        with app.test_request_context():
            user = services.get_by_email(email)
            if user is not None and user.active:
                unlock.tell_user_of_attempts(user)
                db.session.commit()

    @after_this_request
    def attach(response: Response) -> Response:
        response.call_on_close(send)
        return response


def login_lock(email: str) -> throttle.Lock | None:
    """The lock on this login: a browser the holder unlocked by the mailed link skips the all-addresses ceiling."""
    unlocked = unlock.browser_unlocked_for(services.get_by_email(email))
    return throttle.lock_state(email, account_wide=not unlocked)


def complete_login(user: User, next_url: str | None) -> Response:
    """Start a fresh session for ``user``: nothing from before the login survives but the language."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    login_user(user)
    sessions.start(user, request.user_agent.string)
    throttle.record_attempt(user.email, success=True)
    db.session.commit()
    log.info("login of user %d", user.id)
    return redirect(safe_next(next_url, url_for("main.index")))


def end_guessing_session(user: User) -> Response:
    """A logged-in session that keeps guessing the password is ended, with every other session of the user."""
    sessions.end_all(user)
    services.end_other_sessions(user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(locked_message(), "danger")
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data
        lock = login_lock(email)
        if lock:
            log.warning("login refused: too many failures (%s limit)", lock.scope)
            flash(locked_message(), "danger")
            return render_template("auth/login.html", form=form), 429
        user = services.authenticate(email, form.password.data)
        if user is None:
            note_failure(email)
            flash(generic_failure(), "danger")
            return render_template("auth/login.html", form=form), 200
        next_url = request.args.get("next")
        if totp.is_enrolled(user):
            db.session.commit()
            unlocked = session.get(unlock.SESSION_KEY)
            session.clear()
            session.update(pending_user=user.get_id(), pending_at=int(time.time()),
                           pending_next=safe_next(next_url, ""))
            if unlocked:  # the second step must not fall back under the ceiling the link lifted
                session[unlock.SESSION_KEY] = unlocked
            return redirect(url_for("auth.login_verify"))
        return complete_login(user, next_url)
    return render_template("auth/login.html", form=form)


def _pending_user() -> User | None:
    raw, started = session.get("pending_user"), session.get("pending_at")
    if not isinstance(started, int) or time.time() - started > PENDING_SECONDS:
        return None
    return services.get_by_login_id(raw)


@bp.route("/login/verify", methods=["GET", "POST"])
def login_verify() -> str | Response | tuple[str, int]:
    """The second step of a login: a code from the authenticator app or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    user = _pending_user()
    if user is None:
        session.pop("pending_user", None)
        flash(_("Please log in to open this page."), "info")
        return redirect(url_for("auth.login"))
    if login_lock(user.email):
        session.clear()
        flash(locked_message(), "danger")
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        if totp.verify_second_factor(user, form.code.data):
            return complete_login(user, session.get("pending_next"))
        db.session.rollback()
        note_failure(user.email, kind="second_factor")
        form.code.errors.append(_("This code is not valid. Codes work once; wait for the next one."))
    status = 422 if form.errors else 200
    return render_template("auth/verify.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> Response:
    if LogoutForm().validate_on_submit():
        user = current_user._get_current_object()
        services.end_other_sessions(user)
        sessions.end_all(user)
        from praclox.audit.services import record

        record("logout", user, actor=user)
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You are logged out."), "info")
        response = redirect(url_for("auth.login"))
        # the browser drops what it cached of the pages with personal data (the cookie is already emptied)
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
        return response
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> str | Response | tuple[str, int]:
    user = current_user._get_current_object()
    if request.method == "POST" and throttle.lock_state(user.email, account_wide=False):
        return end_guessing_session(user)
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except services.UserError as exc:
            reason = str(exc)
            if reason == "current":
                # a wrong current password is a guess like a failed login: it counts towards the same limits
                db.session.rollback()
                note_failure(user.email)
                form.current.errors.append(_("The current password is wrong."))
            elif reason == "same":
                form.new.errors.append(_("Choose a password that differs from the current one."))
            else:
                form.new.errors.append(reason)
            db.session.rollback()
            return render_template("auth/password.html", form=form), 422
        sessions.end_all(user, keep=session.get(sessions.SESSION_KEY))
        sessions.mark_authenticated()
        notices.send_notice(user, "password_changed")
        db.session.commit()
        login_user(user)  # keep this session under the new version
        flash(_("Your password has been changed; other sessions have been logged out."), "success")
        return redirect(url_for("main.index"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status
