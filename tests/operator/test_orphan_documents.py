"""Fault 3 of issue 17: a purge killed between its commit and the file removal left a document file that no
row named. The documents now live in the database's file store and go in the purge's own transaction: a
purge killed right after a commit leaves neither a file without its row nor a row without its file, and the
daily sweep (counts in its job run) finds nothing to remove.
"""

from __future__ import annotations

import json
from pathlib import Path

from ops_support import query, run_python

HERE = Path(__file__).parent


def _files(instance) -> set[str]:
    return {name for (name,) in query(instance, "SELECT name FROM stored_files")}


def _rows(instance) -> set[str]:
    return {name for (name,) in query(instance, "SELECT stored_name FROM applicant_documents")}


def test_a_purge_killed_after_its_commit_leaves_no_file_without_its_row(make_instance):
    instance = make_instance()
    assert run_python(instance, HERE / "seed_applicants.py", "5", "--documents").returncode == 0
    assert len(_files(instance)) == 5 and _files(instance) == _rows(instance)
    assert not (instance.path / "documents").exists()

    killed = run_python(instance, HERE / "fault_after_commit.py", "kill", "applicant_documents",
                        "retention", "purge", "--yes")
    assert killed.returncode == -9, killed.stdout + killed.stderr
    assert len(_rows(instance)) < 5 and _files(instance) == _rows(instance)

    instance.praclox("jobs", "run", "documents-sweep")
    (counts,) = query(instance, "SELECT counts FROM job_runs WHERE job = 'documents-sweep' ORDER BY id DESC")[0]
    found = json.loads(counts)
    assert (found["files"], found["orphans"], found["removed"]) == (len(_rows(instance)), 0, 0), found

    instance.praclox("retention", "purge", "--yes")
    assert _files(instance) == set() and _rows(instance) == set()
