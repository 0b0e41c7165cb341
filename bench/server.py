"""A real server for the HTTP benchmarks and the load test: gunicorn on 127.0.0.1 (a port the OS picks).

Also a small keep-alive HTTP client (stdlib ``http.client``) that logs in like a browser: GET the form, read the
CSRF token, POST it. Production settings stay on (CSRF, cookies); the benchmark users have no second factor
because their role (staff) does not require one.
"""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
_CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')
_LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


@contextmanager
def gunicorn(env: dict[str, str], workers: int = 4, timeout: float = 60) -> Iterator[int]:
    """Start ``gunicorn -w N wsgi:app`` on 127.0.0.1:0; yields the port; stops it (by its own pid) afterwards."""
    log_path = Path(env["PRACLOX_INSTANCE_PATH"]) / "gunicorn.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603
            [str(GUNICORN), "-w", str(workers), "-b", "127.0.0.1:0", "--access-logfile", "-",
             "--access-logformat", "%(m)s %(U)s %(s)s %(M)s", "--error-logfile", "-", "wsgi:app"],
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
        while booted < workers and time.monotonic() < deadline:  # every worker up before anything is timed
            booted = log_path.read_text().count("Booting worker")
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
