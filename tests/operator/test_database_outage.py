"""Fault 1 of issue 17: the database goes away under the running web server, then comes back.

Users get the friendly 503 (Dutch, incident id, Retry-After) rendered without the database; the log gets
a line per incident, not per request (and no SQL, no values); the liveness check stays 200 while the
readiness check says 503; and after the database returns, no request fails (``pool_pre_ping``). The
scheduler, whose leader lock died with its connection, stops firing, waits, and leads again afterwards.
"""

from __future__ import annotations

import re

import pytest
from operator_http import Browser
from ops_support import PG_URL, Process, block_database, unblock_database

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (PRACLOX_TEST_DATABASE_URL)")

PAGES = ("/", "/offices/", "/dates/", "/login")
INCIDENT = re.compile(r"<code[^>]*>([0-9a-f]{12})</code>")


def test_database_outage_gives_a_503_page_one_log_line_per_incident_and_recovers_without_a_500(
    make_instance, start_server, login
):
    instance = make_instance(SCHEDULER_LEADER_POLL_SECONDS="1")
    instance.create_user("outage.staff@praclox.example", "staff", name="Storing Medewerker")
    server = start_server(instance)
    scheduler = Process.spawn(instance, "scheduler", log_name="scheduler.log")
    scheduler.wait_for("this scheduler leads")
    user = login(server, instance, "outage.staff@praclox.example")
    anonymous = Browser(server.base_url)
    assert user.get("/").status == 200 and Browser(server.base_url).get("/health/ready").status == 200

    block_database(instance)
    # stdout (the access log) and stderr (everything else) grow apart: take what each gained
    before = (len(server.stdout().splitlines()), len(server.stderr().splitlines()))
    answers = [c.get(path) for _ in range(10) for c in (user, anonymous) for path in PAGES]
    outage_log = server.stdout().splitlines()[before[0]:] + server.stderr().splitlines()[before[1]:]

    # a signed-in user needs the database on every page (the session check): the 503, never the bare 500;
    # an anonymous visitor is sent to the login page, which needs none
    failed = [a for a in answers if a.status not in (200, 302)]
    assert len(failed) == 10 * len(PAGES), [(a.status, a.text[:300]) for a in failed]
    assert all(a.status == 503 for a in failed), [(a.status, a.text[:300]) for a in failed]
    for answer in failed:
        assert answer.headers.get("retry-after") == "30"
        assert "Tijdelijk niet beschikbaar" in answer.text and INCIDENT.search(answer.text)
        assert "Traceback" not in answer.text and "psycopg" not in answer.text
    ids = {INCIDENT.search(a.text).group(1) for a in failed}
    assert 1 <= len(ids) <= 2  # one incident per server process (two gunicorn workers at most)
    assert all(any(i in line for line in outage_log) for i in ids)  # the id users quote is in the log
    # the log: a line per incident and process, not a traceback per request
    assert len([line for line in outage_log if "GET /" not in line]) <= 2, "\n".join(outage_log)
    joined = "\n".join(outage_log)
    for leak in ("SELECT", "Traceback", "outage.staff@praclox.example", "Storing"):
        assert leak not in joined

    probe = Browser(server.base_url)
    assert probe.get("/health/live").status == 200 and probe.get("/health").status == 200
    ready = probe.get("/health/ready")
    assert ready.status == 503 and ready.headers.get("retry-after") == "30"

    scheduler.wait_for("lost its leader lock")
    unblock_database(instance)
    assert scheduler.wait_for(r"(?s)lost its leader lock.*this scheduler leads", timeout=30)
    assert scheduler.proc.poll() is None
    scheduler.stop()
    assert "Traceback" not in scheduler.output() and scheduler.proc.returncode == 0, scheduler.output()
    after = [c.get(path) for _ in range(6) for c in (user, anonymous) for path in PAGES]
    # the pooled connections died with the outage; pre-ping replaces them: no 500, no 503
    assert [a.status for a in after if a.status >= 500] == []
    assert [user.get(path).status for path in PAGES] == [200, 200, 200, 302]
    assert probe.get("/health/ready").status == 200
