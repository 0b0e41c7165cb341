"""What auth hooks into every request: the session check, a pending password change or second factor,
the user loader, and no session cookie on token URLs."""

from __future__ import annotations

from flask import Flask, Request, flash, redirect, request, session, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from praclox.extensions import db, login_manager

#: endpoints that need no session check at all (no database work for them)
UNCHECKED = {"static", "bootstrap.static", "main.health", "main.health_live", "main.health_ready"}
#: endpoints a logged-in user may open while a password change is pending
PASSWORD_CHANGE_EXEMPT = {"auth.password", "auth.logout", "static", "bootstrap.static", "main.language"}
#: endpoints a user who must enrol a second factor may open before doing so
ENROLMENT_EXEMPT = PASSWORD_CHANGE_EXEMPT | {
    "auth.reauth",  # enrolment asks for the password again after the window
    "auth.two_factor", "auth.two_factor_start", "auth.two_factor_qr", "auth.two_factor_confirm",
}


def _install_hooks(app: Flask) -> None:
    from praclox.auth import sessions, totp

    @app.before_request
    def check_session() -> Response | None:
        """Every request of a logged-in user: the server-side session must exist and not have timed out."""
        if request.endpoint in UNCHECKED or not current_user.is_authenticated:
            return None
        valid = sessions.validate_current(current_user)
        # commit only what changed (a touch every few minutes, a timed-out record): a commit on every request
        # expired every loaded object, and the page then loaded the user, its roles and the settings again
        if db.session.dirty or db.session.deleted or db.session.new:
            db.session.commit()
        if valid:
            return None
        logout_user()
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        flash(_("Your session has ended. Please log in again."), "info")
        return redirect(url_for("auth.login"))

    @app.before_request
    def force_password_change() -> Response | None:
        if (
            request.endpoint not in PASSWORD_CHANGE_EXEMPT
            and request.endpoint not in UNCHECKED
            and current_user.is_authenticated
            and current_user.must_change_password
        ):
            return redirect(url_for("auth.password"))
        return None

    @app.before_request
    def force_second_factor() -> Response | None:
        if (
            request.endpoint not in ENROLMENT_EXEMPT
            and request.endpoint not in UNCHECKED
            and current_user.is_authenticated
            and totp.is_required(current_user)
            and not totp.is_enrolled(current_user)
        ):
            flash(_("Your roles require two-step login. Set it up to continue."), "info")
            return redirect(url_for("auth.two_factor"))
        return None


class SessionlessPathsInterface(SecureCookieSessionInterface):
    """No session at all under the path prefixes domains declare in ``Domain.sessionless_paths``.

    Token URLs (calendar feeds) get a null session: nothing reads or writes a cookie there, so the answer
    carries neither ``Set-Cookie`` nor ``Vary: Cookie``.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        from praclox.domain import registry

        prefixes = registry(app).sessionless_paths()
        if prefixes and request.path.startswith(prefixes):
            return None  # Flask then uses a null session
        return super().open_session(app, request)


def setup(app: Flask) -> None:
    from praclox.auth.models import User

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        from praclox.auth.services import get_by_login_id

        return get_by_login_id(user_id)

    app.session_interface = SessionlessPathsInterface()
    _install_hooks(app)
