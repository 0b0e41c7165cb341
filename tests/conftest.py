"""Shared fixtures: a fresh database per test (SQLite by default, PostgreSQL when asked), clients per role."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any
from unittest.mock import patch
from urllib.parse import urlsplit, urlunsplit

import pytest
from cryptography.fernet import Fernet
from flask import Flask
from flask.testing import FlaskClient
from praclox_testsupport import (
    RUN_LOG,
    SECRETS,
    SENDING_APPS,
    TEST_PASSWORD,
    BrowserClient,
    deliver_outbox,
    enrol_second_factor,
    leaks,
    log_in,
    open_login_link,
    remember_secret,
)
from sqlalchemy import text

from praclox import create_app
from praclox.extensions import db

TEST_KEY = Fernet.generate_key().decode()
PG_URL = os.environ.get("PRACLOX_TEST_DATABASE_URL", "")

#: the browser-journey fixtures (live_server, page, journey), usable by every folder
pytest_plugins = ("praclox_browser", "pytester")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """On PostgreSQL: one database of our own for this run, dropped afterwards."""
    if not PG_URL:
        yield None
        return
    import psycopg

    name = f"praclox_test_{os.getpid()}_{secrets.token_hex(3)}"
    parts = urlsplit(PG_URL)
    admin_url = urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    yield url
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_config(tmp_path: Any, pg_database: str | None, **extra: Any) -> dict[str, Any]:
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    return {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": pg_database or f"sqlite:///{instance / 'test.sqlite3'}",
        "SECRET_KEY": "test-" + secrets.token_hex(16),
        "ENCRYPTION_KEYS": TEST_KEY,
        # passwords are hashed and checked with the production argon2 parameters; the users ``make_user`` makes
        # get a hash of TEST_PASSWORD computed once with those parameters (``precomputed_password_hash``)
        "SMTP_HOST": None,
        "BASE_URL": "http://crm.test",
        # CSRF, the second factor and the session time limits are on as in production: the clients below send
        # the session's CSRF token and log in with the authenticator's code (praclox_testsupport.BrowserClient)
        **extra,
    }


@pytest.fixture
def app_config(tmp_path: Any, pg_database: str | None) -> dict[str, Any]:
    """Override in a test module (or parametrize) to change the configuration."""
    return make_config(tmp_path, pg_database)


def empty_database(app: Flask) -> None:
    """After a test: PostgreSQL's database is shared by the run, so its rows go (SQLite's file goes with tmp)."""
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


#: per process (each xdist worker is one): the SQLite file that holds the empty schema, and the PostgreSQL
#: databases whose schema this process made
_SCHEMA: dict[str, Any] = {"sqlite": None, "postgresql": set()}


def _sqlite_path(url: str) -> Path | None:
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def _schema_template(tmp_dir: Path) -> Path:
    """An SQLite file with the empty schema (``db.create_all`` once per process); a test's fresh database is a
    copy of it, the same bytes ``create_all`` would have written into an empty file."""
    if _SCHEMA["sqlite"] is None:
        tmp_dir.mkdir(parents=True, exist_ok=True)
        template = create_app(make_config(tmp_dir, None))
        with template.app_context():
            db.create_all()
            db.session.remove()
            db.engine.dispose()  # the last connection checkpoints the WAL into the file
        path = _sqlite_path(template.config["DATABASE_URL"])
        assert path is not None and not Path(f"{path}-wal").exists()
        _SCHEMA["sqlite"] = path
    return _SCHEMA["sqlite"]


def fresh_schema(app: Flask, tmp_dir: Path | None = None) -> None:
    """Give the app's new database the schema: SQLite a copy of the template file into the empty file the app
    made (0600, as create_app leaves it); PostgreSQL ``create_all`` once per database and process, its rows
    being emptied after every test (``empty_database``); anything else ``create_all``."""
    url = str(app.config["DATABASE_URL"])
    path = _sqlite_path(url)
    if (path is not None and tmp_dir is not None and path.exists() and path.stat().st_size == 0
            and not Path(f"{path}-wal").exists()):
        shutil.copyfile(_schema_template(tmp_dir), path)  # into the file: its 0600 mode stays
        return
    if url.startswith("postgresql") and url in _SCHEMA["postgresql"]:
        return
    with app.app_context():
        db.create_all()
    if url.startswith("postgresql"):
        _SCHEMA["postgresql"].add(url)


@pytest.fixture
def app(app_config: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = create_app(app_config)
    fresh_schema(app, tmp_path_factory.getbasetemp() / "schema-template")
    SENDING_APPS[:] = [app]  # the app whose outbox ``MailSink.delivered()`` sends
    yield app
    empty_database(app)
    scheduler = app.extensions.get("praclox_scheduler")
    if scheduler is not None:
        scheduler.shutdown(wait=False)


@pytest.fixture
def make_app(app_config: dict[str, Any]) -> Iterator[Callable[..., Flask]]:
    """Another app on the same database (other keys, say); its connections are closed afterwards."""
    made: list[Flask] = []

    def factory(**config: Any) -> Flask:
        other = create_app({**app_config, **config})
        made.append(other)
        return other

    yield factory
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    """An application context for tests that call services directly."""
    with app.test_request_context():
        yield


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


#: per argon2 parameters and password: the hash the app's own hasher made of it, once per process
_PRECOMPUTED_HASHES: dict[tuple[Any, ...], str] = {}


def precomputed_password_hash(password: str) -> str:
    """The app's hash of ``password`` (same algorithm and parameters as every hash it makes), computed once:
    fixture users share it; logging in still checks the password against it at the full cost."""
    from praclox.auth.passwords import _hasher, hash_password

    hasher = _hasher()
    key = (hasher.type, hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len,
           hasher.salt_len, password)
    if key not in _PRECOMPUTED_HASHES:
        _PRECOMPUTED_HASHES[key] = hash_password(password)
    return _PRECOMPUTED_HASHES[key]


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Any]:
    """Create a user: ``make_user("staff")`` or ``make_user("admin", "staff", email=...)``.

    A user whose roles require a second factor (admin, privacy officer) has enrolled one, as they must before
    they can work; ``second_factor=False`` leaves it to the test (``True`` enrols any user)."""
    from praclox.auth import services, totp

    counter = iter(range(1, 10_000))

    def factory(*roles: str, email: str | None = None, name: str | None = None, active: bool = True,
                second_factor: bool | None = None) -> Any:
        n = next(counter)
        with app.test_request_context(), patch.object(services, "hash_password", precomputed_password_hash):
            user, _ = services.create_user(
                remember_secret(email or f"user{n}-{'-'.join(roles) or 'none'}@praclox.nl"),
                remember_secret(name or f"Test User {n}"), roles or ("staff",), TEST_PASSWORD,
            actor=None)
            user.active = active
            db.session.commit()
            enrol = totp.is_required(user) if second_factor is None else second_factor
            db.session.refresh(user)
            db.session.expunge(user)
        #: the secret of the user's authenticator app (None without a second factor)
        user.totp_secret = enrol_second_factor(app, user.id) if enrol else None
        return user

    return factory


def login(client: FlaskClient, email: str, password: str = TEST_PASSWORD) -> Any:
    """Log in as a user does: the password, then the authenticator's code when the user has one."""
    return log_in(client, email, password)


@pytest.fixture
def login_as(app: Flask, make_user: Callable[..., Any]) -> Callable[..., FlaskClient]:
    """A fresh client logged in as a new user with the given roles."""

    def factory(*roles: str) -> FlaskClient:
        user = make_user(*roles)
        c = app.test_client()
        response = login(c, user.email)
        assert response.status_code == 302, response.data[:500]
        c.user = user  # type: ignore[attr-defined]
        return c

    return factory


@pytest.fixture
def staff_client(login_as: Callable[..., FlaskClient]) -> FlaskClient:
    return login_as("staff")


@pytest.fixture
def admin_client(login_as: Callable[..., FlaskClient]) -> FlaskClient:
    return login_as("admin")


@pytest.fixture
def make_office(app: Flask) -> Callable[..., int]:
    """Create an office (with optional contacts) and return its id."""
    from praclox.offices import services

    def factory(name: str = "Jansen Accountants", contacts: tuple[dict[str, Any], ...] = (), **fields: Any) -> int:
        with app.test_request_context():
            office = services.create_office({"name": name, "visit_city": "Utrecht", **fields}, actor=None)
            for data in contacts:
                for key in ("first_name", "last_name", "email", "phone"):
                    remember_secret(data.get(key))
                services.create_contact(office, data, actor=None)
            db.session.commit()
            return office.id

    return factory


class MailSink:
    """Collects the messages a real local SMTP server (aiosmtpd) received."""

    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        from email import message_from_bytes
        from email.policy import default

        message = message_from_bytes(envelope.content, policy=default)
        message.envelope_to = list(envelope.rcpt_tos)  # type: ignore[attr-defined]
        message.raw = bytes(envelope.original_content or envelope.content)  # type: ignore[attr-defined]
        self.messages.append(message)
        return "250 OK"

    def delivered(self) -> list[Any]:
        """Run the scheduler's outbox job (``outbox.send``) for the test's app, then what this server received.

        Mail is written to the outbox by requests and sent only by that job; this is the scheduler's next run.
        """
        deliver_outbox()
        return self.messages


@pytest.fixture
def smtp_server() -> Iterator[Any]:
    """A real SMTP server on a free localhost port; ``.messages`` holds what arrived, ``.port`` its port."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    sink.port = port  # type: ignore[attr-defined]
    yield sink
    controller.stop()


@pytest.fixture
def mail_app_config(app_config: dict[str, Any], smtp_server: Any) -> dict[str, Any]:
    """Use as ``app_config`` (override the fixture in a module) to send through the local SMTP server."""
    return {**app_config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_server.port}


@pytest.fixture
def make_registration(app: Flask) -> Callable[..., int]:
    """Create a registration the way staff do (the service) and return its id.

    ``status``, ``newsletter``, ``client_access``, ``office_id``, ``contact_id`` as keywords;
    ``status_changed_at`` and ``newsletter_confirmed_at`` are moments the clock is set to while the status is
    set and while the person confirms."""
    import time_machine

    from praclox.registrations import services

    counter = iter(range(1, 10_000))

    def factory(email: str | None = None, name: str = "Rita Registrant", **fields: Any) -> int:
        changed_at = fields.pop("status_changed_at", None)
        confirmed_at = fields.pop("newsletter_confirmed_at", None)
        data = {"email": email or f"reg{next(counter)}@klant.nl", "name": name, "status": "active", **fields}
        with app.test_request_context():
            with time_machine.travel(changed_at, tick=False) if changed_at else nullcontext():
                registration, _due = services.create_by_staff(data, actor=None)
            if confirmed_at:
                with time_machine.travel(confirmed_at, tick=False):
                    services.confirm(registration)
            db.session.commit()
            return registration.id

    return factory


@pytest.fixture
def client_login(app: Flask, make_office: Callable[..., int], make_registration: Callable[..., int]) -> Any:
    """A fresh test client signed in to the client area through a real login link.

    ``client_login(office_id=..., email=...)``; ``client.registration_id`` tells who it is.
    """
    from praclox.client.services import login_token
    from praclox.registrations.models import Registration

    def factory(office_id: int | None = None, email: str | None = None) -> FlaskClient:
        office_id = office_id or make_office("Klant Kantoor", kind="client")
        registration_id = make_registration(email=email, office_id=office_id, client_access=True)
        with app.test_request_context():
            token = login_token(db.session.get(Registration, registration_id))
        c = app.test_client()
        response = open_login_link(c, token)
        assert response.status_code == 302 and response.headers["Location"].endswith("/client/"), response.data
        c.registration_id = registration_id  # type: ignore[attr-defined]
        return c

    return factory


@pytest.fixture
def api_key(app: Flask, make_user: Callable[..., Any]) -> str:
    """A registrations API key made by an admin; the plain key for ``Authorization: Bearer <key>``."""
    from praclox.registrations import services

    admin = make_user("admin")
    with app.app_context():
        _key, plain = services.create_api_key("Website", actor=admin)
        db.session.commit()
    return plain


# --- The log of the whole run is scanned for the test data's secrets (issue 7; see praclox_testsupport) ---


def pytest_configure(config: Any) -> None:
    import logging

    logging.getLogger().addHandler(RUN_LOG)
    # every app a test makes hands out clients that post like a browser (the CSRF token of their session)
    Flask.test_client_class = BrowserClient


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    import logging

    logging.getLogger().removeHandler(RUN_LOG)
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller scans what every worker logged and noted
        workeroutput["praclox_log_lines"] = RUN_LOG.lines
        workeroutput["praclox_secrets"] = sorted(SECRETS)
        return
    lines, secrets_ = RUN_LOG.lines + WORKERS_LOG["lines"], SECRETS | WORKERS_LOG["secrets"]
    found = leaks(lines, secrets_)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_line(
            f"log scan: {len(lines)} log line(s) checked for {len(secrets_)} test secret(s): "
            f"{len(found)} leak(s)"
        )
        for secret, line in found[:20]:
            reporter.write_line(f"  LEAK {secret[:3]}…: {line[:200]}", red=True)
    if found:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --- In parallel (pytest-xdist, as `make test` and .ci/run run the suite): each worker is a process with its own
# temporary folder, SQLite files and PostgreSQL database (pg_database); the log scan above runs once, in the
# controller, over the log lines and secrets of every worker (a secret noted on one worker is looked for in the
# lines of all) ---

#: what the workers logged and noted, sent to the controller when each finishes
WORKERS_LOG: dict[str, Any] = {"lines": [], "secrets": set()}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    output = getattr(node, "workeroutput", None) or {}
    WORKERS_LOG["lines"].extend(output.get("praclox_log_lines", ()))
    WORKERS_LOG["secrets"].update(output.get("praclox_secrets", ()))
