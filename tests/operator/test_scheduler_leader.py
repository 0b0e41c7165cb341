"""Fault 5 of issue 17: two ``praclox scheduler`` processes on one database; one leads, one stands by.

The second says once in its log that it stands by and fires nothing; when the leader is killed with -9, the
standby takes over within a few of its checks (1 s here, ``PRACLOX_SCHEDULER_LEADER_POLL_SECONDS``).
"""

from __future__ import annotations

import time

from tests.operator.ops_support import Installation, any_database

LEADS = "this scheduler leads"
STANDS_BY = "standing by"


def test_a_second_scheduler_stands_by_and_takes_over_when_the_first_dies(tmp_path):
    with any_database(tmp_path) as url:
        install = Installation(tmp_path / "instance", url, {"PRACLOX_SCHEDULER_LEADER_POLL_SECONDS": "1"})
        install.cli("db", "upgrade")
        first = install.spawn("scheduler", log_name="scheduler-1.log")
        second = None
        try:
            first.wait_for(LEADS)
            second = install.spawn("scheduler", log_name="scheduler-2.log")
            second.wait_for(STANDS_BY)
            time.sleep(4)  # four of its checks
            standby_log = second.output()
            assert standby_log.count(STANDS_BY) == 1, standby_log
            assert LEADS not in standby_log and "job " not in standby_log, standby_log
            runs_before = install.query("SELECT count(*) FROM job_runs WHERE outcome = 'skipped'")[0][0]
            assert runs_before == 0  # the standby fires nothing, so nothing is skipped

            first.kill9()
            started = time.monotonic()
            second.wait_for(LEADS, timeout=20)
            took_over_in = time.monotonic() - started
            assert took_over_in < 10, took_over_in
            assert second.proc.poll() is None
        finally:
            first.stop()
            if second is not None:
                second.stop()
        assert second.proc.returncode == 0, second.output()  # SIGTERM: a clean stop
