"""Test support shared by every test folder, imported as ``praclox_testsupport`` (tests/ is on sys.path).

Kept out of conftest.py so that test modules never need ``from conftest import``, which resolves to
whichever conftest was loaded last once several folders have one.

The log of the whole run is scanned for the test data's personal data and secrets (issue 7): every log
record of the run is kept (formatted, with its traceback); the factories in conftest.py and the tests that
make tokens call ``remember_secret``; at the end of the run any remembered string that appears in a log line
fails the run. Strings shorter than 6 characters are not remembered (they would match by chance).
"""

from __future__ import annotations

import logging
from typing import Any

TEST_PASSWORD = "correct horse battery staple 42"  # noqa: S105

#: unique strings of the test data that must never reach a log line
SECRETS: set[str] = {TEST_PASSWORD}
#: loggers of test servers (the local SMTP server logs its own traffic), not of the application
FOREIGN_LOGGERS = ("mail.log",)


def remember_secret(value: Any) -> Any:
    """Note a test value that must never appear in the log; returns it unchanged."""
    if isinstance(value, str) and len(value.strip()) >= 6:
        SECRETS.add(value.strip())
    return value


class RunLog(logging.Handler):
    """Keeps every log line of the run, the way a formatter would write it."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(FOREIGN_LOGGERS):
            return
        try:
            self.lines.append(self.format(record))
        except Exception:  # noqa: BLE001  (a broken record must not break the run)
            self.lines.append(f"unformattable record from {record.name}")


RUN_LOG = RunLog()


def leaks(lines: list[str], secrets_: set[str]) -> list[tuple[str, str]]:
    """Each (secret, line) where a remembered secret appears in a log line (case-insensitive)."""
    lowered = [(line, line.lower()) for line in lines]
    return [(secret, line) for secret in sorted(secrets_) for line, low in lowered if secret.lower() in low]


def open_login_link(client: Any, token: str) -> Any:
    """Use a client-area login link as a browser does: open it (GET), then press its button (POST with the
    page's nonce; the test client sends the nonce cookie the GET set). Returns the POST's response."""
    import re

    page = client.get(f"/client/login/{token}")
    found = re.search(r'name="nonce" value="([^"]+)"', page.get_data(as_text=True))
    return client.post(f"/client/login/{token}", data={"nonce": found.group(1) if found else ""})


#: the app of the running test (set by the ``app`` fixture): the one whose outbox ``deliver_outbox`` sends
SENDING_APPS: list[Any] = []


def deliver_outbox() -> None:
    """Run the scheduler's outbox job for the running test's app (what the scheduler does every minute)."""
    for app in SENDING_APPS:
        run_outbox(app)


def run_outbox(app: Any) -> Any:
    """Send what the outbox holds through the scheduler's own job (``outbox.send``), as the scheduler would
    a minute later; returns the recorded job run."""
    from praclox.scheduler import run_job

    return run_job(app, "outbox.send")


# --- Tests run with the production security settings: CSRF, the second factor, session time limits ---

from flask.testing import FlaskClient  # noqa: E402

#: the methods that change state, and so carry a CSRF token
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class BrowserClient(FlaskClient):
    """A test client that sends the CSRF token of its session with every state change, as a browser sends the
    token its page carries. A test that posts without one makes ``app.test_client(csrf_token=False)``.

    The token is the one the app renders into its forms for this session (Flask-WTF signs the session's raw
    token); a post that names its own ``csrf_token`` (or an ``X-CSRFToken`` header) is sent as it is.
    """

    def __init__(self, *args: Any, csrf_token: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sends_csrf_token = csrf_token

    def open(self, *args: Any, **kwargs: Any) -> Any:
        method = str(kwargs.get("method", "GET")).upper()
        url = args[0] if args else kwargs.get("path", "/")
        if (self.sends_csrf_token and isinstance(url, str) and method in UNSAFE_METHODS
                and self._token_missing(kwargs) and self._form_carries_token(url, method)):
            headers = dict(kwargs.get("headers") or {})
            headers["X-CSRFToken"] = self.csrf_token()
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def _token_missing(self, kwargs: dict[str, Any]) -> bool:
        if not self.application.config.get("WTF_CSRF_ENABLED", True):
            return False
        headers = {key.lower() for key in dict(kwargs.get("headers") or {})}
        data = kwargs.get("data")
        named = isinstance(data, dict) and "csrf_token" in data
        return not named and not headers & {"x-csrftoken", "x-csrf-token", "authorization"}

    def _form_carries_token(self, url: str, method: str) -> bool:
        """Whether the page posting here carries the session's token: not on the endpoints exempt from the
        check (the client area has its own token, the API and the public form none)."""
        from urllib.parse import urlsplit

        from werkzeug.exceptions import HTTPException

        app = self.application
        try:
            endpoint, _args = app.url_map.bind("localhost").match(urlsplit(url).path, method=method)
        except HTTPException:
            return True
        csrf = app.extensions["csrf"]
        view = app.view_functions[endpoint]
        exempt_blueprints = {getattr(bp, "name", bp) for bp in csrf._exempt_blueprints}
        return (f"{view.__module__}.{view.__name__}" not in csrf._exempt_views
                and endpoint.rpartition(".")[0] not in exempt_blueprints)

    def csrf_token(self) -> str:
        """The token the forms of this client's session carry (the session gets its raw token as a page
        with a form would give it)."""
        import hashlib
        import os

        from itsdangerous import URLSafeTimedSerializer

        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", hashlib.sha1(os.urandom(64)).hexdigest())  # noqa: S324
        app = self.application
        secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
        return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)


def enrol_second_factor(app: Any, user_id: int) -> str:
    """Give a user a confirmed authenticator, as the enrolment pages do; returns its secret (the user's app)."""
    from praclox.auth import totp
    from praclox.auth.models import User
    from praclox.clock import now
    from praclox.extensions import db

    with app.test_request_context():
        factor = totp.start_enrolment(db.session.get(User, user_id))
        secret = factor.secret
        factor.confirmed_at = now()
        db.session.commit()
    return remember_secret(secret)


def current_code(app: Any, email: str) -> str:
    """The code the user's authenticator app shows now: the first time step the app has not yet accepted."""
    import time

    import pyotp

    from praclox.auth import services, totp
    from praclox.extensions import db

    with app.app_context():
        factor = totp.factor_of(services.get_by_email(email))
        assert factor is not None, "no second factor enrolled"
        generator = pyotp.TOTP(factor.secret)
        step = int(time.time() // generator.interval)
        if factor.last_step is not None:
            step = max(step, factor.last_step + 1)
        code = generator.at(step * generator.interval)
        db.session.remove()
    return code


def log_in(client: Any, email: str, password: str = TEST_PASSWORD, **kwargs: Any) -> Any:
    """Log in through the login form, and the second step with the authenticator's code when one is enrolled;
    returns the last answer (302 to the start page once logged in)."""
    response = client.post("/login", data={"email": email, "password": password}, **kwargs)
    if response.status_code == 302 and response.headers["Location"].endswith("/login/verify"):
        code = current_code(client.application, email)
        response = client.post("/login/verify", data={"code": code}, **kwargs)
    return response
