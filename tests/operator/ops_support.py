"""Operator-tier helpers for the fault tests: a database of their own, the CLI and gunicorn as subprocesses,
and a small cookie-keeping HTTP client. Everything runs as an operator would run it: real processes, their
own output, the HTTP answer."""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PRACLOX = str(BIN / "praclox")
GUNICORN = str(BIN / "gunicorn")
PG_URL = os.environ.get("PRACLOX_TEST_DATABASE_URL", "")
PASSWORD = "Kw1ntj3s-" + secrets.token_hex(8)


def pg_admin_dsn() -> str:
    """The libpq form of the suite's PostgreSQL URL (psycopg does not take the ``+psycopg`` scheme)."""
    parts = urllib.parse.urlsplit(PG_URL)
    return urllib.parse.urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))


def pg_execute(sql: str, dsn: str | None = None) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(dsn or pg_admin_dsn(), autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


@contextmanager
def any_database(tmp_path: Path) -> Iterator[str]:
    """The suite's database kind: a PostgreSQL database of the test's own, else a SQLite file."""
    if PG_URL:
        with pg_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'praclox.sqlite3'}"


@contextmanager
def pg_database() -> Iterator[str]:
    """A PostgreSQL database of the test's own (SQLAlchemy URL), dropped afterwards."""
    name = f"praclox_ops_{os.getpid()}_{secrets.token_hex(3)}"
    pg_execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(PG_URL)
    try:
        yield urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    finally:
        pg_execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def block_database(url: str) -> None:
    """The outage: no new connections, and every open one cut."""
    name = database_name(url)
    pg_execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    pg_execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")


def unblock_database(url: str) -> None:
    pg_execute(f'ALTER DATABASE "{database_name(url)}" ALLOW_CONNECTIONS true')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Installation:
    """One installation: an instance folder, a database, keys; runs ``praclox`` and servers against them."""

    instance: Path
    database_url: str
    extra_env: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.instance.mkdir(parents=True, exist_ok=True)
        self.secret_key = secrets.token_hex(32)
        self.keys = Fernet.generate_key().decode()

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PRACLOX_")}
        env.update(
            PRACLOX_DATABASE_URL=self.database_url,
            PRACLOX_INSTANCE_PATH=str(self.instance),
            PRACLOX_SECRET_KEY=self.secret_key,
            PRACLOX_ENCRYPTION_KEYS=self.keys,
            # the tests speak plain HTTP to 127.0.0.1; a browser behind TLS gets Secure cookies
            PRACLOX_INSECURE_COOKIES="1",
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        env.update(extra)
        return env

    def cli(self, *args: str, check: bool = True, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
        done = subprocess.run([PRACLOX, *args], env=self.env(**env), cwd=self.instance, capture_output=True,
                              text=True, timeout=timeout, check=False)
        if check and done.returncode != 0:
            raise AssertionError(f"praclox {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done

    def spawn(self, *args: str, log_name: str, **env: str) -> Process:
        log_path = self.instance / log_name
        handle = log_path.open("wb")
        proc = subprocess.Popen([PRACLOX, *args], env=self.env(**env), cwd=self.instance, stdout=handle,
                                stderr=subprocess.STDOUT, start_new_session=True)
        return Process(proc, log_path, handle)

    def prepare(self) -> None:
        """``praclox db upgrade`` and one staff user, as the README's production steps do."""
        self.cli("db", "upgrade")
        self.cli("user", "create", "operator@praclox.nl", "--name", "Operator", "--role", "staff",
                 PRACLOX_PASSWORD=PASSWORD)

    def python(self, script: Path, *args: str, timeout: float = 300) -> str:
        """Run a helper script with this installation's settings (as ``praclox shell`` would)."""
        done = subprocess.run([sys.executable, str(script), *args], env=self.env(PYTHONPATH=str(REPO)),
                              cwd=self.instance, capture_output=True, text=True, timeout=timeout, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Read the installation's database directly, as an operator with psql or sqlite3 would."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(text(sql))]
        finally:
            engine.dispose()

    @contextmanager
    def gunicorn(self, workers: int = 2) -> Iterator[Server]:
        port = free_port()
        log_path = self.instance / "gunicorn.log"
        handle = log_path.open("wb")
        proc = subprocess.Popen(
            [GUNICORN, "-w", str(workers), "-b", f"127.0.0.1:{port}", "--chdir", str(REPO), "--graceful-timeout",
             "5", "wsgi:app"],
            env=self.env(), cwd=self.instance, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
        )
        server = Server(Process(proc, log_path, handle), f"http://127.0.0.1:{port}")
        try:
            server.wait_until_live()
            yield server
        finally:
            server.process.stop()


@dataclass
class Process:
    proc: subprocess.Popen
    log_path: Path
    handle: Any = None  # the log file the process writes to, closed when it ends

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output())
            if found:
                return found
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"{pattern!r} not in the output (exit {self.proc.poll()}):\n{self.output()}")

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.close()

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self.close()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


class Client:
    """A browser stand-in: keeps cookies, reads the CSRF token from forms, does not follow redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict[str, str] | None = None, timeout: float = 30) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.monotonic()
        try:
            with self.opener.open(self.base + path, data=body, timeout=timeout) as response:
                status, headers, raw = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            status, headers, raw = exc.code, dict(exc.headers), exc.read()
        return Answer(status, headers, raw.decode(errors="replace"), time.monotonic() - started)

    def get(self, path: str) -> Answer:
        return self.request(path)

    def csrf(self, path: str) -> str:
        found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"',
                          self.get(path).body)
        assert found, f"no CSRF token on {path}"
        return found.group(1) or found.group(2)

    def login(self, email: str = "operator@praclox.nl", password: str = PASSWORD) -> None:
        token = self.csrf("/login")
        answer = self.request("/login", {"csrf_token": token, "email": email, "password": password})
        messages = re.findall(r"(?:alert|invalid-feedback)[^>]*>([^<]*)", answer.body)
        assert answer.status == 302, (answer.status, messages)
        assert self.get("/").status == 200


@dataclass
class Server:
    process: Process
    url: str

    def client(self) -> Client:
        return Client(self.url)

    def wait_until_live(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if Client(self.url).get("/health").status == 200:
                    return
            except OSError:
                pass
            if self.process.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"the server did not come up:\n{self.process.output()}")
