"""Fault 2 of issue 17: a purge killed with SIGKILL does not block the next one, and "skipped" tells the truth.

Real ``praclox retention purge`` processes on the suite's database (SQLite, or PostgreSQL when asked). The
first is stopped (SIGSTOP) after its first committed batch: a live but hung holder, so a second run is skipped
(exit 75, "try again later"). Then the first is killed with -9: the next run takes the lock at once, finishes
the purge and marks the killed run interrupted.
"""

from __future__ import annotations

import time
from pathlib import Path

from ops_support import Process, query, run_python

HERE = Path(__file__).parent
SEED = HERE / "seed_applicants.py"
APPLICANTS = 1200  # two batches of the purge (praclox.applicants.purge.BATCH_SIZE: 1,000 each)


def _wait_until_stopped(process: Process, timeout: float = 120) -> None:
    """Until the process is in state T (stopped) according to /proc."""
    deadline = time.monotonic() + timeout
    stat = Path(f"/proc/{process.proc.pid}/stat")
    while time.monotonic() < deadline:
        assert process.proc.poll() is None, "the purge ended before its first batch was committed:\n" + process.output()
        if stat.read_text().rsplit(")", 1)[1].split()[0] == "T":
            return
        time.sleep(0.05)
    raise AssertionError("the purge never committed a batch:\n" + process.output())


def test_a_killed_purge_is_taken_over_at_once_and_marked_interrupted(make_instance):
    instance = make_instance()
    seeded = run_python(instance, SEED, str(APPLICANTS))
    assert seeded.returncode == 0, seeded.stderr

    first = Process.spawn_python(instance, HERE / "fault_after_commit.py", "stop", "applicants",
                                 "retention", "purge", "--yes", log_name="purge-1.log")
    try:
        _wait_until_stopped(first)
        # a live holder: the second run is skipped, says so, and exits 75 (EX_TEMPFAIL: try again later)
        second = instance.praclox("retention", "purge", "--yes", check=False)
        assert second.returncode == 75, second.stdout + second.stderr
        assert second.stdout.startswith("skipped")
    finally:
        first.kill9()
    left = query(instance, "SELECT count(*) FROM applicants")[0][0]
    assert 0 < left < APPLICANTS, "the kill did not land mid-purge"

    third = instance.praclox("retention", "purge", "--yes", check=False)
    assert third.returncode == 0, third.stdout + third.stderr
    assert third.stdout.startswith("ok: purged")
    assert query(instance, "SELECT count(*) FROM applicants")[0][0] == 0
    outcomes = query(instance, "SELECT outcome FROM job_runs WHERE job = 'applicants-purge' ORDER BY id")
    assert [o for (o,) in outcomes] == ["interrupted", "skipped", "ok"]
