"""The operator's tier: the product run the way it is operated, judged by what an operator can see.

No Flask test client, no ``TESTING``, no test-only switches: ``praclox`` commands run as subprocesses with
the environment an operator gives them, the web server is a real process (gunicorn with the repository's
``gunicorn.conf.py`` when it exists, else ``praclox run``), mail goes to a real SMTP server (aiosmtpd) whose
raw received bytes the tests read, and users log in over real HTTP (CSRF tokens from the page, the second
factor with pyotp). The tests judge file bytes under the instance folder, the processes' own output, raw
mail and HTTP answers.

The HTTP client plays the TLS-terminating proxy of production (README, "Production"): the server runs with
``PRACLOX_PROXY_FIX=1`` and each request carries ``X-Forwarded-Proto: https``, so the session cookie is the
``__Host-`` Secure cookie a real installation sends.

Fixtures (module scope where a test module shares one installation; tests of one module must not rely on
each other's data beyond what they create themselves):

- ``make_instance(**env)`` / ``instance``: a fresh instance folder (migrated, no users, no demo data);
  ``instance.praclox("retention", "purge", "--yes")`` runs a command and returns its ``CompletedProcess``.
- ``start_server(instance)`` / ``server``: the web server on a free port; ``server.base_url``,
  ``server.output()`` (its stdout and stderr so far), ``server.stop()``.
- ``smtp_relay``: ``smtp_relay.port``, ``smtp_relay.messages`` (``RawMail`` with ``.raw`` bytes).
- ``browser(server)`` and ``login(server, email, password)``: an HTTP session; ``Browser.form(path)`` reads
  a page's form fields (the CSRF token among them) for a POST.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from operator_http import Browser, Server, login_over_http

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("PRACLOX_TEST_DATABASE_URL", "")
#: what an operator's shell would not have: the test run's own PRACLOX_* settings never reach the product
_SCRUBBED = ("PRACLOX_", "FLASK_")


def praclox_executable() -> str:
    """The installed ``praclox`` console script, the command an operator types."""
    found = BIN / "praclox"
    return str(found) if found.exists() else shutil.which("praclox") or "praclox"


def base_environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_SCRUBBED)}
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass
class Instance:
    """One installation: its instance folder and the environment its processes get."""

    path: Path
    env: dict[str, str]
    database_url: str | None = None
    #: per e-mail address: the authenticator secret and the last time step used (codes work once)
    factors: dict[str, dict[str, Any]] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    #: the umask every process of this installation starts with (None: the test run's own)
    umask: int | None = None

    def command(self, argv: list[str]) -> list[str]:
        """``argv`` as the operator's shell would start it, with the installation's umask."""
        if self.umask is None:
            return argv
        return ["/bin/sh", "-c", f'umask {self.umask:03o} && exec "$@"', "sh", *argv]

    @property
    def is_sqlite(self) -> bool:
        return self.database_url is None

    @property
    def database(self) -> Path:
        return self.path / "praclox.sqlite3"

    def praclox(self, *args: str, input: str | None = None, env: dict[str, str] | None = None,
                check: bool = True, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        """Run ``praclox ARGS`` as the operator would; ``check`` fails the test on a non-zero exit."""
        result = subprocess.run(  # noqa: S603  (our own console script, arguments from the test)
            self.command([praclox_executable(), *args]), cwd=self.path.parent, env={**self.env, **(env or {})},
            input=input, capture_output=True, text=True, timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"praclox {' '.join(args)} exited {result.returncode}\n--- stdout\n{result.stdout}\n"
                f"--- stderr\n{result.stderr}"
            )
        return result

    def create_user(self, email: str, *roles: str, name: str = "Operator Test User",
                    password: str | None = None) -> str:
        """``praclox user create`` with the password in ``PRACLOX_PASSWORD``; returns the password."""
        password = password or secrets.token_urlsafe(18)
        args = ["user", "create", email, "--name", name]
        for role in roles:
            args += ["--role", role]
        self.praclox(*args, env={"PRACLOX_PASSWORD": password})
        self.passwords[email] = password
        return password

    def sql(self, query: str) -> list[tuple[Any, ...]]:
        """Read the database the way an operator would with ``sqlite3`` or ``psql`` (read only, no app)."""
        if self.is_sqlite:
            import sqlite3

            with sqlite3.connect(f"file:{self.database}?mode=ro", uri=True) as conn:
                rows = conn.execute(query).fetchall()
            conn.close()
            return rows
        import psycopg

        with psycopg.connect(str(self.database_url).replace("+psycopg", "")) as conn:
            return list(conn.execute(query).fetchall())

    def files(self) -> list[Path]:
        """Every file under the instance folder."""
        return sorted(p for p in self.path.rglob("*") if p.is_file())

    def files_holding(self, *needles: str | bytes) -> list[tuple[str, str]]:
        """(file name relative to the instance folder, needle) for each needle found in any file's bytes.

        Text needles are searched as UTF-8 and as UTF-16 (SQLite may store text either way).
        """
        patterns: list[tuple[str, bytes]] = []
        for needle in needles:
            if isinstance(needle, bytes):
                patterns.append((needle[:24].decode("latin-1"), needle))
            else:
                patterns += [(needle, needle.encode()), (needle, needle.encode("utf-16-le"))]
        found = []
        for path in self.files():
            content = path.read_bytes()
            found += [(str(path.relative_to(self.path)), label) for label, raw in patterns if raw in content]
        return sorted(set(found))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RawMail:
    sender: str
    recipients: list[str]
    raw: bytes


class RawSink:
    """aiosmtpd handler that keeps the bytes exactly as they came over the wire."""

    def __init__(self) -> None:
        self.messages: list[RawMail] = []
        self.port = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        self.messages.append(RawMail(envelope.mail_from, list(envelope.rcpt_tos), bytes(raw)))
        return "250 OK"

    def to(self, address: str) -> list[RawMail]:
        return [m for m in self.messages if address.lower() in (r.lower() for r in m.recipients)]

    def wait_for(self, address: str, count: int = 1, timeout: float = 20) -> list[RawMail]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.to(address)) >= count:
                return self.to(address)
            time.sleep(0.1)
        raise AssertionError(f"no mail for {address} within {timeout}s")


@pytest.fixture(scope="session")
def smtp_relay() -> Iterator[RawSink]:
    """A real SMTP server on a free port of 127.0.0.1, shared by the whole tier (filter by recipient)."""
    from aiosmtpd.controller import Controller

    sink = RawSink()
    sink.port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()


def _make_pg_database() -> tuple[str, Callable[[], None]]:
    import psycopg

    name = f"praclox_op_{os.getpid()}_{secrets.token_hex(3)}"
    parts = urlsplit(PG_URL)
    admin_url = urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", "")), drop


@pytest.fixture(scope="session")
def make_instance(tmp_path_factory: pytest.TempPathFactory, smtp_relay: RawSink) -> Iterator[Callable[..., Instance]]:
    """``make_instance(migrate=True, umask=None, **env)``: a fresh installation; ``env`` adds ``PRACLOX_*`` settings.

    The environment is what an operator sets (README, "Configuration"): the instance folder, the base URL,
    the SMTP relay, the proxy setting; keys and the secret key are generated by the product itself.
    On ``PRACLOX_TEST_DATABASE_URL`` each installation gets a PostgreSQL database of its own.
    """
    drops: list[Callable[[], None]] = []

    def factory(*, migrate: bool = True, umask: int | None = None, **extra: str) -> Instance:
        root = tmp_path_factory.mktemp("operator")
        path = root / "instance"
        env = base_environment()
        env.update({
            "PRACLOX_INSTANCE_PATH": str(path),
            "PRACLOX_BASE_URL": "https://crm.example.test",
            "PRACLOX_SMTP_HOST": "127.0.0.1",
            "PRACLOX_SMTP_PORT": str(smtp_relay.port),
            "PRACLOX_SMTP_FROM": "crm@praclox.example",
            "PRACLOX_PROXY_FIX": "1",
        })
        database_url = None
        if PG_URL:
            database_url, drop = _make_pg_database()
            drops.append(drop)
            env["PRACLOX_DATABASE_URL"] = database_url
        env.update({f"PRACLOX_{k}" if not k.startswith("PRACLOX_") else k: v for k, v in extra.items()})
        instance = Instance(path=path, env=env, database_url=database_url, umask=umask)
        if migrate:
            instance.praclox("db", "upgrade")
        return instance

    yield factory
    for drop in drops:
        drop()


@pytest.fixture(scope="module")
def instance(make_instance: Callable[..., Instance]) -> Instance:
    """One migrated installation shared by the tests of a module."""
    return make_instance()


def server_command(port: int) -> list[str]:
    """gunicorn with the repository's configuration when it ships one (production), else ``praclox run``."""
    config = ROOT / "gunicorn.conf.py"
    if config.exists():
        return [str(BIN / "gunicorn"), "-c", str(config), "--bind", f"127.0.0.1:{port}", "--workers", "2",
                "wsgi:app"]
    return [praclox_executable(), "run", "--host", "127.0.0.1", "--port", str(port)]


@pytest.fixture(scope="session")
def start_server() -> Iterator[Callable[..., Server]]:
    """``start_server(instance, env=None)``: the web server as a process; stopped at the end of the run."""
    started: list[Server] = []

    def factory(instance: Instance, env: dict[str, str] | None = None) -> Server:
        last_error = ""
        for _attempt in range(3):  # a port taken between probing and binding: try another
            port = _free_port()
            log_dir = instance.path.parent / f"server-{port}"
            log_dir.mkdir()
            server = Server.start(instance.command(server_command(port)), cwd=ROOT, env={**instance.env, **(env or {})},
                                  port=port, log_dir=log_dir)
            if server.wait_ready():
                started.append(server)
                return server
            last_error = server.output()
            server.stop()
        raise AssertionError(f"the web server did not start:\n{last_error}")

    yield factory
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def server(instance: Instance, start_server: Callable[..., Server]) -> Server:
    """The module's installation served by a real web server process."""
    return start_server(instance)


@pytest.fixture(scope="session")
def browser() -> Callable[[Server], Browser]:
    return lambda srv: Browser(srv.base_url)


@pytest.fixture(scope="session")
def login() -> Callable[..., Browser]:
    """``login(server, instance, email)``: a Browser logged in over HTTP (second factor enrolled or used)."""
    return login_over_http
