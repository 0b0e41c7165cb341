"""Fault 3 of issue 17: a purge killed between its commit and the file removal leaves a document file that no
row names; the daily sweep finds it (counts in its job run) and removes it once it is past the grace period.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from ops_support import query, run_python

HERE = Path(__file__).parent


def _files(instance) -> set[str]:
    return {p.name for p in (instance.path / "documents").iterdir()}


def _rows(instance) -> set[str]:
    return {name for (name,) in query(instance, "SELECT stored_name FROM applicant_documents")}


def test_a_file_left_by_a_kill_after_the_commit_is_swept_with_counts_in_the_job_run(make_instance):
    instance = make_instance()
    assert run_python(instance, HERE / "seed_applicants.py", "5", "--documents").returncode == 0
    assert len(_files(instance)) == 5 and _files(instance) == _rows(instance)

    killed = run_python(instance, HERE / "fault_after_commit.py", "kill", "applicant_documents",
                        "retention", "purge", "--yes")
    assert killed.returncode == -9, killed.stdout + killed.stderr
    orphans = _files(instance) - _rows(instance)
    assert orphans and len(orphans) + len(_rows(instance)) == 5  # rows gone, their files not
    assert _rows(instance) <= _files(instance)  # never a row without its file

    # just orphaned: it could be an upload on its way to its commit, so the sweep leaves it this time
    first = instance.praclox("retention", "sweep-documents")
    assert f"recent={len(orphans)}" in first.stdout and "removed=0" in first.stdout, first.stdout
    assert orphans <= _files(instance)

    an_hour_and_more_ago = time.time() - 3700
    for orphan in orphans:
        os.utime(instance.path / "documents" / orphan, (an_hour_and_more_ago, an_hour_and_more_ago))
    instance.praclox("jobs", "run", "documents-sweep")
    assert _files(instance) == _rows(instance)
    (counts,) = query(instance, "SELECT counts FROM job_runs WHERE job = 'documents-sweep' ORDER BY id DESC")[0]
    assert json.loads(counts) == {"errors": 0, "files": 5, "orphans": len(orphans), "recent": 0,
                                  "removed": len(orphans)}

    instance.praclox("retention", "purge", "--yes")
    assert _files(instance) == set() and _rows(instance) == set()
