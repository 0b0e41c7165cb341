"""Fault 5 of issue 17: two ``praclox scheduler`` processes on one database; one leads, one stands by.

The second says once in its log that it stands by and fires nothing; when the leader is killed with -9, the
standby takes over within a few of its checks (1 s here, ``PRACLOX_SCHEDULER_LEADER_POLL_SECONDS``).
"""

from __future__ import annotations

import time

from ops_support import Process, query

LEADS = "this scheduler leads"
STANDS_BY = "standing by"


def test_a_second_scheduler_stands_by_and_takes_over_when_the_first_dies(make_instance):
    instance = make_instance(SCHEDULER_LEADER_POLL_SECONDS="1")
    first = Process.spawn(instance, "scheduler", log_name="scheduler-1.log")
    second = None
    try:
        first.wait_for(LEADS)
        second = Process.spawn(instance, "scheduler", log_name="scheduler-2.log")
        second.wait_for(STANDS_BY)
        time.sleep(4)  # four of its checks
        standby_log = second.output()
        assert standby_log.count(STANDS_BY) == 1, standby_log
        assert LEADS not in standby_log and "job " not in standby_log, standby_log
        # the standby fires nothing, so no run is skipped for it
        assert query(instance, "SELECT count(*) FROM job_runs WHERE outcome = 'skipped'")[0][0] == 0

        first.kill9()
        started = time.monotonic()
        second.wait_for(LEADS, timeout=20)
        assert time.monotonic() - started < 10
        assert second.proc.poll() is None
    finally:
        first.stop()
        if second is not None:
            second.stop()
    assert second.proc.returncode == 0, second.output()  # SIGTERM: a clean stop
