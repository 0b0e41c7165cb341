"""The web servers as an operator runs them, judged by their own output and their HTTP answers.

- The dev server of ``make run`` (``praclox run``, with the Makefile's environment) and gunicorn with the shipped
  ``gunicorn.conf.py`` (the README's command) are started as processes on a free port. Requests carry real
  secrets (a client-area login link, a calendar feed token, a password-reset token, confirmation, unsubscribe
  and consent links) and staff searches for a name and an e-mail address; the processes' own output must hold
  none of them, while the request lines are there, masked (issue 10 point 4, issue 11 finding 4).
- A chunked API body past 8 KB is refused with 413 by both servers (issue 11 finding 13): the limit holds
  for what is read, not only for what ``Content-Length`` says.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from operator_http import stop_gracefully

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LISTENING = re.compile(r"(?:Listening at|Running on):? (http://127\.0\.0\.1:\d+)")


def operator_env(instance: Path, **extra: str) -> dict[str, str]:
    """The environment of an operator's shell: no test configuration, only the instance folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRACLOX_", "PYTEST", "COV_"))}
    return {**env, "PRACLOX_INSTANCE_PATH": str(instance), "PYTHONUNBUFFERED": "1", **extra}


class ServerProcess:
    """A server started as its own process; its stdout and stderr go to one file, read at the end."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("wb")
        self.proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=self._out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            found = LISTENING.search(self.output())
            if found:
                self.url = found.group(1)
                self.port = int(self.url.rsplit(":", 1)[1])
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"server ended at start:\n{self.output()}")
            time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError(f"server did not start:\n{self.output()}")
        self._wait_until_answering()

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if call(self, "GET", "/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"server does not answer:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> str:
        """Stop the process we started (gunicorn's master takes its workers down) and return its output."""
        stop_gracefully(self.proc)
        self._out.close()
        return self.output()


def call(server: ServerProcess, method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None, cookies: dict[str, str] | None = None
         ) -> tuple[int, str, http.client.HTTPResponse]:
    """One request on a fresh connection; Set-Cookie answers land in ``cookies``."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    if cookies is not None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
    conn.close()
    return response.status, text, response


def hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page)
    assert found, f"no hidden field {name} in the page"
    return found.group(1)


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """An instance folder set up by ``praclox setup`` and the seeded secrets (see seed_secrets.py)."""
    instance = tmp_path_factory.mktemp("operator") / "instance"
    env = operator_env(instance)
    subprocess.run([str(BIN / "praclox"), "setup", "--no-demo"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=180)
    seeded = subprocess.run([sys.executable, str(Path(__file__).with_name("seed_secrets.py"))], cwd=ROOT,
                            env=env, check=True, capture_output=True, timeout=180)
    secrets = json.loads(seeded.stdout)
    return {"instance": instance, "secrets": secrets, "dir": instance.parent}


@pytest.fixture(scope="module")
def dev_server(installation):
    """``make run``'s server: ``praclox run`` with the Makefile's environment."""
    env = operator_env(installation["instance"], PRACLOX_SCHEDULER_ENABLED="1", PRACLOX_INSECURE_COOKIES="1")
    server = ServerProcess([str(BIN / "praclox"), "run", "--host", "127.0.0.1", "--port", "0"], env,
                           installation["dir"] / "dev-server.log")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def gunicorn_server(installation):
    """The README's production command, on a free port and with two workers to spare the machine."""
    env = operator_env(installation["instance"], PRACLOX_WORKERS="2")
    server = ServerProcess([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "-b", "127.0.0.1:0", "wsgi:app"],
                           env, installation["dir"] / "gunicorn.log")
    yield server
    server.stop()


SERVERS = ("dev_server", "gunicorn_server")
NAMES = ("Theodora", "Loggerhuis", "Gerda", "Opsmans")
ADDRESSES = ("theodora.loggerhuis@klant.nl", "gerda.opsmans@praclox.nl")


def path_of(url: str) -> str:
    return urlsplit(url).path


def token_of(url: str) -> str:
    return [part for part in path_of(url).split("/") if part][-1 if "withdraw" not in url else -2]


def forbidden(secrets: dict[str, str]) -> list[str]:
    values = [*(secrets[k] for k in ("client_token", "client_token_2", "feed_token", "reset_token", "api_key")),
              secrets["staff_password"], *NAMES, *ADDRESSES,
              *(token_of(secrets[k]) for k in ("confirm_url", "unsubscribe_url", "consent_url", "withdraw_url"))]
    return sorted({v for value in values for v in (value, quote(value, safe=""))})


def staff_searches(server: ServerProcess, secrets: dict[str, str]) -> None:
    """Log in as the consultant and search for a person by name and by e-mail address, as staff do."""
    cookies: dict[str, str] = {}
    status, page, _ = call(server, "GET", "/login", cookies=cookies)
    form = urlencode({"csrf_token": hidden(page, "csrf_token"), "email": secrets["staff_email"],
                      "password": secrets["staff_password"]}).encode()
    status, _, response = call(server, "POST", "/login", body=form, cookies=cookies, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": server.url, "Referer": server.url + "/login"})
    assert status == 302, status
    for term in ("Loggerhuis", "theodora.loggerhuis@klant.nl", "Theodora Loggerhuis"):
        status, page, _ = call(server, "GET", "/offices/?" + urlencode({"q": term, "page": "1"}), cookies=cookies,
                               headers={"Referer": server.url + "/offices/?" + urlencode({"q": term})})
        assert status == 200 and "Opsmans Accountants" in page, (term, status)
    # a bookmark to a search, followed before logging in: the login page's "next" carries the query
    call(server, "GET", "/offices/?" + urlencode({"q": "Gerda Opsmans"}))
    call(server, "GET", "/login?" + urlencode({"next": "/offices/?q=Gerda Opsmans"}))


def client_area_login(server: ServerProcess, token: str) -> None:
    """Open the login link as the client's browser does, press the button, land in the client area."""
    cookies: dict[str, str] = {}
    status, page, _ = call(server, "GET", f"/client/login/{token}", cookies=cookies)
    assert status == 200, status
    fields = {"nonce": hidden(page, "nonce")} if 'name="nonce"' in page else {}
    status, _, response = call(server, "POST", f"/client/login/{token}", body=urlencode(fields).encode(),
                               cookies=cookies, headers={"Content-Type": "application/x-www-form-urlencoded",
                                                         "Origin": server.url,
                                                         "Referer": f"{server.url}/client/login/{token}"})
    assert status == 302 and response.headers["Location"].endswith("/client/"), status
    status, page, _ = call(server, "GET", "/client/", cookies=cookies,
                           headers={"Referer": f"{server.url}/client/login/{token}"})
    assert status == 200 and "Opsmans Accountants" in page


def secret_links(server: ServerProcess, secrets: dict[str, str]) -> None:
    """Every kind of secret link opened as a mail reader or a calendar program opens it (GET)."""
    assert call(server, "GET", f"/feeds/{secrets['feed_token']}.ics")[0] == 200
    assert call(server, "GET", f"/reset/{secrets['reset_token']}")[0] == 200
    for key in ("confirm_url", "unsubscribe_url", "consent_url", "withdraw_url"):
        assert call(server, "GET", path_of(secrets[key]))[0] == 200, key
    # a mistyped or cut-off link, and an address pasted into the client area's path
    call(server, "GET", f"/client/login/{secrets['client_token']}/extra")
    call(server, "GET", "/client/" + quote("theodora.loggerhuis@klant.nl"))


@pytest.mark.parametrize("server_name", SERVERS)
def test_no_token_search_term_address_or_name_reaches_the_servers_log(request, installation, server_name):
    server = request.getfixturevalue(server_name)
    secrets = installation["secrets"]
    before = len(server.output())
    staff_searches(server, secrets)
    secret_links(server, secrets)
    time.sleep(0.5)  # the access line is written after the answer
    written = server.output()[before:]
    leaked = [value for value in forbidden(secrets) if value.lower() in written.lower()]
    assert not leaked, f"{server_name} logged {leaked}:\n{written[:3000]}"
    # the lines are there, masked: the log is on and still tells the operator what was asked for
    assert "/offices/?q=[redacted]&page=[redacted]" in written, written[:3000]
    assert "/feeds/[redacted].ics" in written and "/reset/[redacted]" in written
    assert "/consent/[redacted]/withdraw" in written and "/r/unsubscribe/[redacted]" in written


@pytest.mark.parametrize("server_name", SERVERS)
def test_the_client_area_login_link_never_reaches_the_servers_log(request, installation, server_name):
    server = request.getfixturevalue(server_name)
    token = installation["secrets"]["client_token" if server_name == "dev_server" else "client_token_2"]
    before = len(server.output())
    client_area_login(server, token)
    time.sleep(0.5)
    written = server.output()[before:]
    assert token not in written and token[:20] not in written, written
    assert written.count("/client/login/[redacted]") >= 2, written  # the GET and the POST, masked


def chunked_post(server: ServerProcess, path: str, headers: dict[str, str], first: bytes, rest: bytes) -> int:
    """POST a chunked body: the first chunk, a pause for an early answer, then the rest. Returns the status."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        head = "".join(f"{k}: {v}\r\n" for k, v in {"Host": f"127.0.0.1:{server.port}",
                                                     "Transfer-Encoding": "chunked", **headers}.items())
        end = b"" if rest else b"0\r\n\r\n"
        sock.sendall(f"POST {path} HTTP/1.1\r\n{head}\r\n".encode() + b"%x\r\n%s\r\n" % (len(first), first) + end)
        sock.settimeout(5)
        try:
            answer = sock.recv(65536)
        except TimeoutError:
            answer = b""
        if not answer:  # the server is still reading: the limit did not stop it; send the rest
            sock.settimeout(60)
            for start in range(0, len(rest), 65536):
                piece = rest[start:start + 65536]
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sock.sendall(b"0\r\n\r\n")
            answer = sock.recv(65536)
    return int(answer.split(b" ", 2)[1])


@pytest.mark.parametrize("server_name", SERVERS)
def test_a_chunked_api_body_past_8_kb_is_refused(request, installation, server_name):
    server = request.getfixturevalue(server_name)
    body = json.dumps({"name": "Chunky Sender", "email": f"chunky.{server_name}@example.nl"}).encode()
    first = body + b" " * (9 * 1024 - len(body))
    status = chunked_post(server, "/api/registrations", {
        "Authorization": f"Bearer {installation['secrets']['api_key']}", "Content-Type": "application/json",
        "Connection": "close"}, first, b" " * (1024 * 1024))
    assert status == 413
    # the same body in one small chunk is accepted: the refusal is about size, not about chunking
    status = chunked_post(server, "/api/registrations", {
        "Authorization": f"Bearer {installation['secrets']['api_key']}", "Content-Type": "application/json",
        "Connection": "close"}, body, b"")
    assert status == 202
