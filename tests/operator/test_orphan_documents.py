"""Fault 3 of issue 17: a purge killed between its commit and the file removal leaves a document file that no
row names; the daily sweep finds it (counts in its job run) and removes it once it is past the grace period.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.operator.ops_support import REPO, Installation, any_database

HERE = Path(__file__).parent


def _files(install: Installation) -> set[str]:
    return {p.name for p in (install.instance / "documents").iterdir()}


def _rows(install: Installation) -> set[str]:
    return {name for (name,) in install.query("SELECT stored_name FROM applicant_documents")}


def test_a_file_left_by_a_kill_after_the_commit_is_swept_with_counts_in_the_job_run(tmp_path):
    with any_database(tmp_path) as url:
        install = Installation(tmp_path / "instance", url)
        install.cli("db", "upgrade")
        install.python(HERE / "seed_applicants.py", "5", "--documents")
        assert len(_files(install)) == 5 and _files(install) == _rows(install)

        killed = subprocess.run([sys.executable, str(HERE / "kill_after_commit.py"), "retention", "purge", "--yes"],
                                env=install.env(PYTHONPATH=str(REPO)), cwd=install.instance, capture_output=True,
                                text=True, timeout=120, check=False)
        assert killed.returncode == -9, killed.stdout + killed.stderr
        orphans = _files(install) - _rows(install)
        assert len(orphans) == 1 and len(_rows(install)) == 4  # the row is gone, its file is not
        assert _rows(install) <= _files(install)  # never a row without its file

        # just orphaned: it could be an upload on its way to its commit, so the sweep leaves it this time
        first = install.cli("retention", "sweep-documents")
        assert "recent=1" in first.stdout and "removed=0" in first.stdout, first.stdout
        assert orphans <= _files(install)

        (orphan,) = orphans
        an_hour_and_more_ago = time.time() - 3700
        os.utime(install.instance / "documents" / orphan, (an_hour_and_more_ago, an_hour_and_more_ago))
        second = install.cli("jobs", "run", "documents-sweep")
        assert second.returncode == 0
        assert _files(install) == _rows(install)
        (counts,) = install.query("SELECT counts FROM job_runs WHERE job = 'documents-sweep' ORDER BY id DESC")[0]
        assert json.loads(counts) == {"errors": 0, "files": 5, "orphans": 1, "recent": 0, "removed": 1}

        install.cli("retention", "purge", "--yes")
        assert _files(install) == set() and _rows(install) == set()
