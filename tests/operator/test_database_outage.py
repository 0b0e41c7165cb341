"""Fault 1 of issue 17: the database goes away under a running gunicorn, then comes back.

Users get the friendly 503 (Dutch, incident id, Retry-After) rendered without the database; the log gets
a line per incident, not per request (and no SQL, no values); the liveness check stays 200 while the
readiness check says 503; and after the database returns, no request fails (``pool_pre_ping``).
"""

from __future__ import annotations

import re

import pytest

from tests.operator.ops_support import PG_URL, Installation, block_database, pg_database, unblock_database

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (PRACLOX_TEST_DATABASE_URL)")

PAGES = ("/", "/offices/", "/dates/", "/login")


def test_database_outage_gives_a_503_page_one_log_line_per_incident_and_recovers_without_a_500(tmp_path):
    with pg_database() as url:
        install = Installation(tmp_path / "instance", url)
        install.prepare()
        with install.gunicorn(workers=2) as server:
            user = server.client()
            user.login()
            anonymous = server.client()
            assert server.client().get("/health/ready").status == 200

            block_database(url)
            log_before = len(server.process.output().splitlines())
            answers = [c.get(path) for _ in range(10) for c in (user, anonymous) for path in PAGES]
            outage_log = server.process.output().splitlines()[log_before:]

            # a signed-in user needs the database on every page (the session check): the 503, never gunicorn's
            # bare 500; an anonymous visitor is sent to the login page, which needs none
            failed = [a for a in answers if a.status not in (200, 302)]
            assert len(failed) == 10 * len(PAGES), [(a.status, a.body[:300]) for a in failed]
            assert all(a.status == 503 for a in failed), [(a.status, a.body[:300]) for a in failed]
            for answer in failed:
                assert answer.headers.get("Retry-After") == "30"
                assert "Tijdelijk niet beschikbaar" in answer.body
                assert re.search(r"<code[^>]*>[0-9a-f]{12}</code>", answer.body)
                assert "Traceback" not in answer.body and "psycopg" not in answer.body
            ids = {re.search(r"<code[^>]*>([0-9a-f]{12})</code>", a.body).group(1) for a in failed}
            # one incident per worker process, quoted by the users and named in the log
            assert 1 <= len(ids) <= 2
            incident_lines = [line for line in outage_log if "incident" in line]
            assert {i for i in ids if any(i in line for line in incident_lines)} == ids
            # the log: a line per incident per worker, not a traceback per request
            assert len(outage_log) <= 4, "\n".join(outage_log)
            joined = "\n".join(outage_log)
            for leak in ("SELECT", "Traceback", "operator@praclox.nl", "password"):
                assert leak not in joined

            assert server.client().get("/health/live").status == 200
            assert server.client().get("/health").status == 200
            ready = server.client().get("/health/ready")
            assert ready.status == 503 and ready.headers.get("Retry-After") == "30"

            unblock_database(url)
            after = [c.get(path) for _ in range(6) for c in (user, anonymous) for path in PAGES]
            # the pooled connections died with the outage; pre-ping replaces them: no 500, no 503
            assert [a.status for a in after if a.status >= 500] == []
            assert [user.get(path).status for path in PAGES] == [200, 200, 200, 302]
            assert server.client().get("/health/ready").status == 200
