"""The operator tier's HTTP side: the server process, a small cookie-keeping client, logging in.

Kept out of conftest.py so test modules can import the classes (``from operator_http import Browser``).
"""

from __future__ import annotations

import http.client
import re
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import pyotp


@dataclass
class Server:
    """A web server process started by the tier; its output goes to two files the tests read."""

    process: subprocess.Popen[bytes]
    port: int
    log_dir: Path

    @classmethod
    def start(cls, command: list[str], *, cwd: Path, env: dict[str, str], port: int, log_dir: Path) -> Server:
        out = (log_dir / "stdout").open("wb")
        err = (log_dir / "stderr").open("wb")
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err,  # noqa: S603
                                   start_new_session=True)
        out.close()
        err.close()
        return cls(process, port, log_dir)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stdout(self) -> str:
        return (self.log_dir / "stdout").read_text(errors="replace")

    def stderr(self) -> str:
        return (self.log_dir / "stderr").read_text(errors="replace")

    def output(self) -> str:
        """Everything the server process wrote so far, stdout then stderr."""
        return self.stdout() + self.stderr()

    def wait_ready(self, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/login", headers={"X-Forwarded-Proto": "https"})
                status = conn.getresponse().status
                if status < 500:
                    return True
            except (OSError, http.client.HTTPException):  # not listening yet, or a worker still booting
                pass
            finally:  # a refused connection must not leave its socket to the garbage collector
                conn.close()
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        """SIGTERM (gunicorn's graceful stop), then SIGKILL if it lingers."""
        stop_gracefully(self.process, grace=15)



def stop_gracefully(process: subprocess.Popen[bytes], grace: float = 30) -> None:
    """SIGTERM, as an operator's service manager stops a process; SIGKILL when it outlives ``grace`` seconds."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class _Forms(HTMLParser):
    """Collects each form's action and its input/select/textarea values (enough for our own pages)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.select: str | None = None
        self.chosen = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}})
        elif self.forms and tag == "select" and a.get("name"):
            self.select, self.chosen = a["name"], False
        elif self.forms and tag == "option" and self.select:
            fields = self.forms[-1]["fields"]  # the selected option, else the first
            if "selected" in a or (self.select not in fields):
                fields[self.select] = a.get("value", "")
        elif self.forms and tag in ("input", "textarea") and a.get("name"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") == "submit":
                return
            self.forms[-1]["fields"].setdefault(a["name"], a.get("value", ""))


def forms_of(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def multipart(data: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body, as a browser sends a form with a file."""
    boundary = "----operator" + secrets.token_hex(12)
    parts = []
    for name, value in data.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """Requests through the TLS-terminating proxy of production: cookies kept, ``X-Forwarded-Proto: https``.

    A real browser sends the Secure ``__Host-`` cookie because it speaks HTTPS to the proxy; this client
    stands in for browser and proxy together, so it keeps every cookie whatever its flags.
    """

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, data: dict[str, Any] | None = None,
                files: dict[str, tuple[str, bytes]] | None = None,
                body: bytes | None = None, headers: dict[str, str] | None = None) -> Answer:
        path = urlsplit(urljoin(self.base_url + "/", path))._replace(scheme="", netloc="").geturl() or "/"
        sent = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1", "User-Agent": "operator-tier",
                "Accept-Language": "nl", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET":  # a browser's same-origin Referer, which CSRF protection over HTTPS checks
            sent.setdefault("Referer", f"https://{self.host}:{self.port}{path}")
        if files:
            body, sent["Content-Type"] = multipart(data or {}, files)
        elif data is not None:
            body = urlencode(data, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            content = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    self._keep_cookie(value)
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, content, path)
        finally:
            conn.close()

    def _keep_cookie(self, header: str) -> None:
        pair = header.split(";", 1)[0]
        name, _, value = pair.partition("=")
        expired = re.search(r"(?i)max-age=0\b|expires=thu, 01 jan 1970", header)
        if expired or not value:
            self.cookies.pop(name.strip(), None)
        else:
            self.cookies[name.strip()] = value.strip()

    def get(self, path: str, **kw: Any) -> Answer:
        return self.request("GET", path, **kw)

    def post(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Answer:
        return self.request("POST", path, data=data or {}, **kw)

    def follow(self, answer: Answer, limit: int = 10) -> Answer:
        """Follow redirects with GET, as a browser does after a POST."""
        while answer.status in (301, 302, 303) and limit:
            answer = self.get(answer.location)
            limit -= 1
        return answer

    def _pick(self, page: Answer, action: str | None) -> dict[str, Any]:
        """The page's own form: by ``action`` when given, else the one posting to the page itself, else the
        first with a CSRF token that is not the layout's language or logout form."""
        forms = forms_of(page.text)
        path = urlsplit(page.url).path
        if action is not None:
            chosen = [f for f in forms if f["action"].endswith(action)]
        else:
            chosen = [f for f in forms if f["action"] in ("", path)] or [
                f for f in forms if "csrf_token" in f["fields"] and f["action"] not in ("/language", "/logout")]
        assert chosen, f"no form {action or ''} on {page.url} ({page.status})"
        return chosen[0]

    def form(self, path_or_answer: str | Answer, action: str | None = None) -> dict[str, Any]:
        """The fields of a page's form (see ``_pick``), the CSRF token among them."""
        page = self.get(path_or_answer) if isinstance(path_or_answer, str) else path_or_answer
        return dict(self._pick(page, action)["fields"])

    def submit(self, page_path: str, action: str | None = None, *,
               files: dict[str, tuple[str, bytes]] | None = None, **values: Any) -> Answer:
        """Open ``page_path``, fill its form with ``values`` (and ``files``) and post it to the form's action."""
        page = self.get(page_path)
        form = self._pick(page, action)
        return self.post(form["action"] or page.url, {**form["fields"], **values}, files=files)

    def csrf(self, path: str = "/login") -> str:
        return str(self.form(path)["csrf_token"])


def _next_code(factor: dict[str, Any]) -> str:
    """A TOTP code the server accepts once: the next unused time step, waiting when all are used."""
    totp = pyotp.TOTP(factor["secret"])
    while True:
        current = int(time.time() // totp.interval)
        step = max(current - 1, factor.get("last_step", -1) + 1)
        if step <= current + 1:
            factor["last_step"] = step
            return totp.at(step * totp.interval)
        time.sleep(1)


def login_over_http(server: Server, instance: Any, email: str, password: str | None = None) -> Browser:
    """Log in as a browser would; enrols the second factor on the way when the roles require it."""
    browser = Browser(server.base_url)
    password = password or instance.passwords[email]
    answer = browser.post("/login", {"csrf_token": browser.csrf("/login"), "email": email, "password": password})
    assert answer.status == 302, f"login refused ({answer.status}): {answer.text[:300]}"
    if "/login/verify" in answer.location:
        factor = instance.factors[email]
        answer = browser.post("/login/verify", {"csrf_token": browser.csrf("/login/verify"),
                                                "code": _next_code(factor)})
        assert answer.status == 302, f"second step refused ({answer.status})"
    elif "/account/two-factor" in browser.follow(browser.get("/")).url:
        start = browser.post("/account/two-factor/start", {"csrf_token": browser.csrf("/account/two-factor")})
        page = browser.get(start.location)
        secret = re.search(r'class="totp-secret">([A-Z2-7]+)<', page.text)
        assert secret, "no authenticator key on the enrolment page"
        factor = instance.factors[email] = {"secret": secret.group(1)}
        fields = browser.form(page, "/account/two-factor/confirm")
        answer = browser.post("/account/two-factor/confirm", {**fields, "code": _next_code(factor)})
        assert answer.status == 200 and "recovery-codes" in answer.text, f"enrolment failed ({answer.status})"
    return browser
