"""Fault 2 of issue 17: a purge killed with SIGKILL does not block the next one, and "skipped" tells the truth.

Real ``praclox retention purge`` processes on the suite's database (SQLite, or PostgreSQL when asked): while
one runs, a second is skipped (exit 75, "try again later"); after the first is killed with -9, the next run
takes the lock at once, finishes the purge and marks the killed run interrupted.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.operator.ops_support import Installation, any_database

SEED = Path(__file__).with_name("seed_applicants.py")
APPLICANTS = 1500


def _wait_for_progress(install: Installation, process, timeout: float = 60) -> None:
    """Until the purge has recorded its run and purged some applicants, but not all."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.proc.poll() is None, "the purge ended before it could be killed:\n" + process.output()
        running = install.query("SELECT count(*) FROM job_runs WHERE job = 'applicants-purge' "
                                "AND outcome = 'running'")[0][0]
        purged = install.query("SELECT count(*) FROM applicant_tombstones")[0][0]
        if running and purged:
            return
        time.sleep(0.05)
    raise AssertionError("the purge made no progress:\n" + process.output())


def test_a_killed_purge_is_taken_over_at_once_and_marked_interrupted(tmp_path):
    with any_database(tmp_path) as url:
        install = Installation(tmp_path / "instance", url)
        install.cli("db", "upgrade")
        install.python(SEED, str(APPLICANTS))

        first = install.spawn("retention", "purge", "--yes", log_name="purge-1.log")
        _wait_for_progress(install, first)

        # a live holder: the second run is skipped, says so, and exits 75 (EX_TEMPFAIL: try again later)
        second = install.cli("retention", "purge", "--yes", check=False)
        assert second.returncode == 75, second.stdout + second.stderr
        assert second.stdout.startswith("skipped")

        first.kill9()
        left = install.query("SELECT count(*) FROM applicants")[0][0]
        assert 0 < left < APPLICANTS, "the kill did not land mid-purge"

        third = install.cli("retention", "purge", "--yes", check=False)
        assert third.returncode == 0, third.stdout + third.stderr
        assert third.stdout.startswith("ok: purged")
        assert install.query("SELECT count(*) FROM applicants")[0][0] == 0
        outcomes = install.query("SELECT outcome FROM job_runs WHERE job = 'applicants-purge' ORDER BY id")
        assert [o for (o,) in outcomes] == ["interrupted", "skipped", "ok"]
