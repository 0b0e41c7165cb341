"""The registrations API under a flood, served by gunicorn with three workers, judged on HTTP answers and the
raw bytes the SMTP relay received (issue 11, finding 5).

The attack test mailed 200 addresses in 3 seconds and carried a name that wrote its own lines into the mail.
Here 40 registrations race through three worker processes: the per-key limit holds for all of them together
(the counts live in the database), refused ones get 429 with Retry-After and no mail, and the issue's name is
refused with 400 before anything is mailed.
"""

from __future__ import annotations

import json
import re
import socket
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from operator_http import Browser, Server

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent

KEY_LIMIT = 20
WORKERS = 3
ISSUE_NAME = "Jan,\n\nUw registratie is geblokkeerd. Herstel via https://evil.example/herstel\n\n--\n"


@pytest.fixture(scope="module")
def api_instance(make_instance):
    return make_instance(API_RATE_PER_KEY=str(KEY_LIMIT), API_RATE_PER_ADDRESS="1000")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def workers(api_instance, tmp_path_factory):
    port = _free_port()
    log_dir = tmp_path_factory.mktemp("gunicorn")
    command = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "wsgi:app"]
    server = Server.start(command, cwd=ROOT, env=api_instance.env, port=port, log_dir=log_dir)
    assert server.wait_ready(), server.output()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def key(api_instance, workers):
    from operator_http import login_over_http

    api_instance.create_user("api.admin@praclox.example", "admin", name="Api Beheerder")
    admin = login_over_http(workers, api_instance, "api.admin@praclox.example")
    keys = []
    for name in ("website", "second website"):
        made = admin.submit("/registrations/api-keys", name=name)
        assert made.status == 200, made.text[:300]
        keys.append(re.search(r"prx_[A-Za-z0-9_-]+", made.text).group(0))
    return keys


def register(server, key, name, email, source="192.0.2.1"):
    body = json.dumps({"name": name, "email": email}).encode()
    return Browser(server.base_url).request("POST", "/api/registrations", body=body, headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json", "X-Forwarded-For": source})


def test_three_workers_share_one_per_key_limit_and_refused_requests_are_not_mailed(workers, key, smtp_relay):
    assert workers.output().count("Booting worker") == WORKERS
    addresses = [f"flood{n}@example.org" for n in range(40)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda n: register(workers, key[0], "Jan Jansen", addresses[n], f"198.51.100.{n}"),
                                range(40)))
    accepted = [a for a, answer in zip(addresses, answers, strict=True) if answer.status == 202]
    refused = [answer for answer in answers if answer.status == 429]
    # workers counting at the same instant may overshoot by at most the number of workers minus one
    assert KEY_LIMIT <= len(accepted) <= KEY_LIMIT + WORKERS - 1, [a.status for a in answers]
    assert len(accepted) + len(refused) == 40
    assert all(0 < int(answer.headers["retry-after"]) <= 60 for answer in refused)
    for address in accepted:
        mail = smtp_relay.wait_for(address)[0]
        assert b"\r\nSubject: " in mail.raw
    time.sleep(1)
    mailed = {r.lower() for m in smtp_relay.messages for r in m.recipients}
    assert not mailed & (set(addresses) - set(accepted))


def test_the_issue_name_is_refused_before_anything_is_mailed(workers, key, smtp_relay):
    answer = register(workers, key[1], ISSUE_NAME, "victim@example.org", source="203.0.113.77")
    assert answer.status == 400 and json.loads(answer.text)["field"] == "name"
    time.sleep(1)
    assert smtp_relay.to("victim@example.org") == []
