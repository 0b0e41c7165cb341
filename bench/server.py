"""A real server for the HTTP benchmarks and the load test: gunicorn on 127.0.0.1 (a port the OS picks).

Also a small keep-alive HTTP client (stdlib ``http.client``) that logs in like a browser: GET the form, read the
CSRF token, POST it. Production settings stay on (CSRF, cookies); the benchmark users have no second factor
because their role (staff) does not require one.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
_CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')
_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
#: the page benchmarks' staff user (made by each script's prepare) and how they load a page
PASSWORD = "Kwartel-Vijver-9731-Gras"  # noqa: S105  (a throw-away account in a throw-away database)
SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", 8))
CLIENTS = 4


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 4, timeout: float = 60,
             access_format: str = "%(m)s %(U)s %(s)s %(M)s") -> Iterator[int]:
    """Start ``gunicorn -w N wsgi:app`` on 127.0.0.1:0; yields the port; stops it (by its own pid) afterwards.
    The access log (``gunicorn.log`` in the instance folder) has one ``access_format`` line per request."""
    log_path = Path(env["PRACLOX_INSTANCE_PATH"]) / "gunicorn.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603
            [str(GUNICORN), "-w", str(workers), "-b", "127.0.0.1:0", "--access-logfile", "-",
             "--access-logformat", access_format, "--error-logfile", "-", "wsgi:app"],
            cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + timeout
        port = None
        while port is None:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start:\n{log_path.read_text()[-3000:]}")
            found = _LISTENING.search(log_path.read_text())
            port = int(found.group(1)) if found else None
            time.sleep(0.1)
        booted = 0
        # every worker up (and warmed, when gunicorn.conf.py warms them) before anything is timed
        ready = "warmed in" if "post_worker_init" in (ROOT / "gunicorn.conf.py").read_text() else "Booting worker"
        while booted < workers and time.monotonic() < deadline:
            booted = log_path.read_text().count(ready)
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class Client:
    """One user agent: a keep-alive connection and its cookies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # gunicorn's sync workers close idle keep-alive connections: open a new one, once
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt:
                    raise
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path, headers=headers)

    def csrf(self, path: str) -> str:
        status, _, data = self.get(path)
        found = _CSRF.search(data)
        if status != 200 or not found:
            raise SystemExit(f"no form at {path} ({status})")
        return found.group(1).decode()

    def post_form(self, path: str, fields: dict[str, str], csrf_from: str | None = None
                  ) -> tuple[int, dict[str, str], bytes]:
        token = self.csrf(csrf_from or path)
        body = urlencode({**fields, "csrf_token": token}).encode()
        return self.request("POST", path, body=body,
                            headers={"Content-Type": "application/x-www-form-urlencoded"})

    def login(self, email: str, password: str) -> None:
        status, headers, _ = self.post_form("/login", {"email": email, "password": password})
        if status != 302:
            raise SystemExit(f"login of {email} failed: {status}")

    def close(self) -> None:
        self.conn.close()


@contextmanager
def served(database: str, prepare: Callable[[dict[str, str]], dict[str, str]], prefix: str = "praclox-bench-"
           ) -> Iterator[tuple[int, dict[str, str]]]:
    """A throw-away instance (PostgreSQL database or SQLite file, fresh keys) filled by ``prepare(env)``, then
    served by gunicorn -w 4; yields the port and the pages ``prepare`` returned (label -> path)."""
    from cryptography.fernet import Fernet

    from bench.pgutil import temporary_database

    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))
        url = stack.enter_context(temporary_database()) if database == "PostgreSQL" else \
            f"sqlite:///{tmp / 'bench.sqlite3'}"
        env = {"PRACLOX_INSTANCE_PATH": str(tmp), "PRACLOX_DATABASE_URL": url,
               "PRACLOX_SECRET_KEY": secrets.token_hex(16), "PRACLOX_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
               "PRACLOX_INSECURE_COOKIES": "1", "PRACLOX_LOG_LEVEL": "WARNING"}
        pages = prepare(env)
        if database == "PostgreSQL":
            analyze(url)
        yield stack.enter_context(gunicorn(env, workers=4)), pages


def analyze(url: str) -> None:
    """Table statistics after the bulk load, as autovacuum gives a production server within a minute: the team's
    server runs with autovacuum off, and without statistics the planner guesses a few rows per table (a nested
    loop over 10,000 open follow-ups per office instead of a hash join)."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute("ANALYZE")


def throughput(port: int, path: str, login: bool) -> float:
    """Requests per second of CLIENTS keep-alive clients on one path for SECONDS (every answer must be 200)."""
    clients = [Client(port) for _ in range(CLIENTS)]
    for client in clients:
        if login:
            client.login("bench@praclox.nl", PASSWORD)
        assert client.get(path)[0] == 200, path  # noqa: S101
    counts = [0] * CLIENTS
    deadline = time.monotonic() + SECONDS

    def loop(n: int) -> None:
        while time.monotonic() < deadline:
            status, _, _ = clients[n].get(path)
            assert status == 200, (path, status)  # noqa: S101
            counts[n] += 1

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(CLIENTS)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    for client in clients:
        client.close()
    return sum(counts) / elapsed


def measure(port: int, title: str, pages: dict[str, str], targets: dict[str, float]) -> list[str]:
    """Each page's requests per second against ``/health``'s in the same run, printed; the labels that missed
    their target (the least fraction of /health's rate)."""
    health = throughput(port, "/health", login=False)
    print(f"{title}, gunicorn -w 4, {CLIENTS} clients x {SECONDS:.0f} s; /health {health:.0f} req/s "
          f"(load average {os.getloadavg()[0]:.1f})")
    width = max(map(len, pages))
    missed = []
    for page, path in pages.items():
        rate = throughput(port, path, login=True)
        ratio, target = rate / health, targets[page]
        print(f"  {page:{width}} {rate:7.1f} req/s = 1/{health / rate:5.1f} of /health (target >= 1/{1 / target:.0f}: "
              f"{ratio / target:.2f}x of it)")
        if ratio < target:
            missed.append(page)
    return missed
