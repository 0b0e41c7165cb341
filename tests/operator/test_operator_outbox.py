"""The outbox on the production shape (issue 17, fault 4), judged on HTTP answers and raw SMTP bytes.

Before the outbox, web workers mailed synchronously: a relay that accepts and never answers held a worker for
the whole SMTP timeout per registration (``/health`` took 9.98 s behind four of them), failed mail was never
retried and concurrent registrations of one address mailed up to eight times. Here gunicorn's workers only
write outbox rows; ``praclox jobs run outbox.send`` (the job the scheduler runs every minute) talks to the relay.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from operator_http import Browser, Server, login_over_http

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORKERS = 3
RELAY_TIMEOUT = 4  # seconds: the product's SMTP timeout in this installation


class HungRelay:
    """A TCP server that accepts connections and never says a word: the issue's hung relay."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)  # kept open, never answered

    def close(self) -> None:
        for conn in self.accepted:
            conn.close()
        self.sock.close()


@pytest.fixture(scope="module")
def hung_relay() -> Iterator[HungRelay]:
    relay = HungRelay()
    yield relay
    relay.close()


@pytest.fixture(scope="module")
def outbox_instance(make_instance, hung_relay):
    # the relay of this installation hangs; the tests point single runs at the real relay when it "recovers"
    return make_instance(SMTP_PORT=str(hung_relay.port), SMTP_TIMEOUT=str(RELAY_TIMEOUT),
                         OUTBOX_FIRST_RETRY_SECONDS="1", API_RATE_PER_KEY="1000", API_RATE_PER_ADDRESS="1000")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def workers(outbox_instance, tmp_path_factory) -> Iterator[Server]:
    port = _free_port()
    command = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "wsgi:app"]
    server = Server.start(command, cwd=ROOT, env=outbox_instance.env, port=port,
                          log_dir=tmp_path_factory.mktemp("gunicorn"))
    assert server.wait_ready(), server.output()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def key(outbox_instance, workers) -> str:
    outbox_instance.create_user("outbox.admin@praclox.example", "admin", name="Outbox Beheerder")
    admin = login_over_http(workers, outbox_instance, "outbox.admin@praclox.example")
    made = admin.submit("/registrations/api-keys", name="website")
    assert made.status == 200, made.text[:300]
    return re.search(r"prx_[A-Za-z0-9_-]+", made.text).group(0)


def register(server: Server, key: str, email: str, name: str = "Jan Jansen") -> int:
    body = json.dumps({"name": name, "email": email, "newsletter": True}).encode()
    return Browser(server.base_url).request("POST", "/api/registrations", body=body, headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json"}).status


def send_outbox(instance, **env: str):
    """``praclox jobs run outbox.send``: what the scheduler does every minute."""
    return instance.praclox("jobs", "run", "outbox.send", env={f"PRACLOX_{k}": v for k, v in env.items()},
                            check=False, timeout=120)


def health_seconds(server: Server) -> float:
    started = time.monotonic()
    assert Browser(server.base_url).get("/health").status == 200
    return time.monotonic() - started


def test_a_hung_relay_never_holds_a_web_request(outbox_instance, workers, key, hung_relay, smtp_relay):
    addresses = [f"hung{n}@example.org" for n in range(2 * WORKERS + 2)]
    with ThreadPoolExecutor(max_workers=len(addresses) + 1) as pool:
        answers = pool.map(lambda a: register(workers, key, a), addresses)
        during = [pool.submit(health_seconds, workers) for _ in range(3)]
        assert list(answers) == [202] * len(addresses)
        slowest = max(f.result() for f in during)
    # before the outbox each registration held a worker for the relay's whole timeout; now no request waits on it
    assert slowest < RELAY_TIMEOUT
    assert hung_relay.accepted == []  # no web worker ever opened a connection to the relay
    run = send_outbox(outbox_instance)
    # the run itself is fine (recorded "ok"); its counts say one mail failed and waits for its retry
    assert run.returncode == 0 and '"failed": 1' in run.stdout and '"sent": 0' in run.stdout, run.stdout + run.stderr
    assert len(hung_relay.accepted) == 1  # the first timeout ends the run: not one timeout per queued mail
    assert health_seconds(workers) < RELAY_TIMEOUT
    time.sleep(1.5)  # the relay recovers; the failed mail's first retry (1 s here) is due
    assert send_outbox(outbox_instance, SMTP_PORT=str(smtp_relay.port)).returncode == 0
    for address in addresses:  # every queued mail arrives, each exactly once
        assert len(smtp_relay.wait_for(address)) == 1


def test_failed_mail_is_retried_and_arrives_later_as_raw_bytes(outbox_instance, workers, key, smtp_relay):
    assert register(workers, key, "retry@example.org", name="Retry Registrant") == 202
    refused = send_outbox(outbox_instance, SMTP_PORT="1")  # nothing listens there: the relay is down
    assert '"failed": 1' in refused.stdout, refused.stdout + refused.stderr
    assert smtp_relay.to("retry@example.org") == []
    time.sleep(1.5)  # the first retry waits OUTBOX_FIRST_RETRY_SECONDS=1 in this installation
    sent = send_outbox(outbox_instance, SMTP_PORT=str(smtp_relay.port))
    assert sent.returncode == 0, sent.stdout + sent.stderr
    [mail] = smtp_relay.wait_for("retry@example.org")
    head, body = mail.raw.split(b"\r\n\r\n", 1)
    assert b"\r\nTo: retry@example.org\r\n" in b"\r\n" + head + b"\r\n"
    assert b"From: crm@praclox.example" in head and b"Subject: " in head
    assert re.search(rb"https://crm\.example\.test/\S*confirm\S*", body.replace(b"=\r\n", b"")), body[:400]
    assert b"Retry Registrant" in body.replace(b"=\r\n", b"")
    assert send_outbox(outbox_instance, SMTP_PORT=str(smtp_relay.port)).returncode == 0
    time.sleep(0.5)
    assert len(smtp_relay.to("retry@example.org")) == 1


def test_eight_concurrent_registrations_of_one_new_address_send_one_confirmation(outbox_instance, workers, key,
                                                                                 smtp_relay):
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: register(workers, key, "samen@example.org"), range(8)))
    assert answers == [202] * 8
    assert send_outbox(outbox_instance, SMTP_PORT=str(smtp_relay.port)).returncode == 0
    smtp_relay.wait_for("samen@example.org")
    send_outbox(outbox_instance, SMTP_PORT=str(smtp_relay.port))
    time.sleep(0.5)
    assert len(smtp_relay.to("samen@example.org")) == 1


def test_the_jobs_page_counts_the_outbox(outbox_instance, workers, key, smtp_relay):
    assert register(workers, key, "telling@example.org") == 202
    assert send_outbox(outbox_instance, SMTP_PORT=str(smtp_relay.port)).returncode == 0
    admin = login_over_http(workers, outbox_instance, "outbox.admin@praclox.example")
    page = admin.get("/admin/jobs")
    assert page.status == 200
    counts = re.search(r'id="outbox-counts">(.*?)</p>', page.text, re.S).group(1)
    numbers = [int(n) for n in re.findall(r"<strong>(\d+)</strong>", counts)]
    assert numbers[0] == numbers[1] == numbers[3] == 0 and numbers[2] >= 1, counts  # queued, failed, sent, given up
    assert "outbox.send" in page.text
