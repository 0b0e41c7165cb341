"""Staff accounts, roles, login and passwords."""

from __future__ import annotations

from flask import Flask, Request, redirect, request, url_for
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from praclox.extensions import db, login_manager

#: endpoints a logged-in user may open while a password change is pending
PASSWORD_CHANGE_EXEMPT = {"auth.password", "auth.logout", "static", "bootstrap.static", "main.language"}


class SessionlessPathsInterface(SecureCookieSessionInterface):
    """No session at all under the path prefixes in ``app.extensions["praclox_sessionless_paths"]``.

    Token URLs (calendar feeds) get a null session: nothing reads or writes a cookie there, so the answer
    carries neither ``Set-Cookie`` nor ``Vary: Cookie``.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        prefixes = tuple(app.extensions.get("praclox_sessionless_paths", ()))
        if prefixes and request.path.startswith(prefixes):
            return None  # Flask then uses a null session
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    from praclox.auth import cli, privacy, views
    from praclox.auth.models import User

    app.register_blueprint(views.bp)
    from praclox.privacy.registry import register_domain

    register_domain(app, "auth", privacy)
    app.cli.add_command(cli.user_cli)

    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        try:
            raw_id, raw_version = user_id.split(":", 1)
            uid, version = int(raw_id), int(raw_version)
        except ValueError:
            return None
        user = db.session.get(User, uid)
        if user is None or not user.active or user.session_version != version:
            return None
        return user

    app.session_interface = SessionlessPathsInterface()

    @app.before_request
    def force_password_change() -> Response | None:
        if (
            current_user.is_authenticated
            and current_user.must_change_password
            and request.endpoint not in PASSWORD_CHANGE_EXEMPT
        ):
            return redirect(url_for("auth.password"))
        return None
