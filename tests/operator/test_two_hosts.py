"""Several hosts (issue 17): two app servers, each with an instance folder of its own, on one PostgreSQL
database, behind a balancer that may send any request to either. The operator shares what the instance
folder would otherwise generate per host, the session key and the encryption keys, through the environment
file, as the README's "Several app hosts" says. Whichever host answers: a session goes on and ends, an
upload downloads, failed sign-ins and API calls are counted together, a calendar feed answers and is revoked.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

import operator_data as data
import pytest
from cryptography.fernet import Fernet
from operator_http import Browser, login_over_http
from ops_support import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="several app hosts share one PostgreSQL database")

RECRUITER = "hosts.recruiter@praclox.example"
STAFF = "hosts.staff@praclox.example"
ADMIN = "hosts.admin@praclox.example"
API_LIMIT = 6
#: what the operator puts in /etc/praclox/praclox.env on every host
SHARED = {"SECRET_KEY": secrets.token_hex(32), "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
          "API_RATE_PER_KEY": str(API_LIMIT), "API_RATE_PER_ADDRESS": "1000"}


@dataclass
class Hosts:
    first: Any  # the tier's Instance: one installation's folder and environment
    second: Any
    a: Any  # the servers
    b: Any


def on(server, browser: Browser) -> Browser:
    """The same browser, its next request sent by the balancer to ``server``."""
    moved = Browser(server.base_url)
    moved.cookies = browser.cookies  # one cookie jar: it is one browser
    return moved


@pytest.fixture(scope="module")
def hosts(make_instance, start_server, tmp_path_factory):
    first = make_instance(**SHARED)
    folder = tmp_path_factory.mktemp("second-host") / "instance"
    second = type(first)(path=folder, env={**first.env, "PRACLOX_INSTANCE_PATH": str(folder)},
                      database_url=first.database_url, factors=first.factors, passwords=first.passwords)
    a, b = start_server(first), start_server(second)
    first.create_user(RECRUITER, "recruiter", name="Hanna Hosts")
    first.create_user(STAFF, "staff", name="Stijn Hosts")
    second.create_user(ADMIN, "admin", name="Beheer Hosts")  # the CLI of either host: one database
    assert first.path != second.path and second.path.is_dir()
    # nothing of the keys was generated into either folder: both hosts read them from the environment
    assert not {"secret_key", "encryption_keys"} & {p.name for p in [*first.path.iterdir(), *folder.iterdir()]}
    return Hosts(first, second, a, b)


def test_signed_in_on_one_host_a_user_goes_on_on_the_other_and_signing_out_there_ends_it_on_both(hosts):
    on_a = login_over_http(hosts.a, hosts.first, STAFF)
    on_b = on(hosts.b, on_a)
    assert on_b.get("/offices/").status == 200
    made = on_b.submit("/offices/new", name="Twee Hosts BV", kind="prospect")
    assert made.status == 302, made.text[:500]
    assert "Twee Hosts BV" in on_a.get("/offices/").text
    assert on_b.post("/logout", on_b.form("/offices/", "/logout")).status == 302
    assert "/login" in on(hosts.a, on_b).get("/offices/").location


def test_a_document_uploaded_on_one_host_downloads_on_the_other_and_is_deleted_for_both(hosts):
    on_a = login_over_http(hosts.a, hosts.first, RECRUITER)
    applicant = data.applicant(on_a, data.vacancy(on_a, "Two hosts"))
    on_b = on(hosts.b, on_a)
    download = on_b.get(applicant.document_url)
    assert download.status == 200 and download.body == applicant.cv
    assert hosts.first.sql("SELECT count(*) FROM stored_files") == [(1,)]
    assert not (hosts.first.path / "documents").exists() and not (hosts.second.path / "documents").exists()
    deleted = on_b.submit(f"/applicants/{applicant.id}", applicant.document_url + "/delete")
    assert deleted.status == 302, deleted.text[:300]
    assert on_a.get(applicant.document_url).status == 404


def _guess(server, password: str, source: str = "198.51.100.77"):
    browser = Browser(server.base_url)
    headers = {"X-Forwarded-For": source}
    token = browser.form(browser.get("/login", headers=headers))["csrf_token"]
    return browser.post("/login", {"csrf_token": token, "email": STAFF, "password": password}, headers=headers)


def test_failed_sign_ins_on_both_hosts_count_together_for_the_lockout(hosts):
    for server in (hosts.a, hosts.b, hosts.a, hosts.b, hosts.a):  # five guesses, spread over the hosts
        assert _guess(server, "not the password").status == 200
    for server in (hosts.a, hosts.b):  # now even the right password is refused from that address, on both
        assert _guess(server, hosts.first.passwords[STAFF]).status == 429
    assert login_over_http(hosts.b, hosts.first, STAFF).get("/").status == 200  # the owner, elsewhere


def _register(server, key: str, n: int):
    body = json.dumps({"name": "Jan Hosts", "email": f"hosts{n}@example.org"}).encode()
    return Browser(server.base_url).request("POST", "/api/registrations", body=body, headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json", "X-Forwarded-For": "192.0.2.9"})


def test_the_api_rate_limit_counts_the_calls_to_both_hosts(hosts):
    admin = login_over_http(hosts.b, hosts.second, ADMIN)
    made = admin.submit("/registrations/api-keys", name="website on two hosts")
    key = re.search(r"prx_[A-Za-z0-9_-]+", made.text).group(0)
    answers = [_register(hosts.a if n % 2 else hosts.b, key, n).status for n in range(API_LIMIT)]
    assert answers == [202] * API_LIMIT
    refused = [_register(server, key, API_LIMIT + n) for n, server in enumerate((hosts.a, hosts.b))]
    assert [answer.status for answer in refused] == [429, 429]


def test_a_calendar_feed_made_on_one_host_answers_on_the_other_and_is_revoked_for_both(hosts):
    on_a = login_over_http(hosts.a, hosts.first, STAFF)
    page = on_a.submit("/dates/account", "/dates/account/feeds", name="Telefoon")
    url = re.search(r"/feeds/[A-Za-z0-9_-]+\.ics", page.text)
    assert page.status == 200 and url, page.text[:500]
    feed = Browser(hosts.b.base_url).get(url.group(0))
    assert feed.status == 200 and feed.body.startswith(b"BEGIN:VCALENDAR")
    on_b = on(hosts.b, on_a)
    revoked = on_b.submit("/dates/account", "/revoke")
    assert revoked.status == 302, revoked.text[:300]
    assert Browser(hosts.a.base_url).get(url.group(0)).status == 404
