"""Document files that no row names: found and removed by a daily job, with counts in its run.

The rows are the truth, and the order of every write keeps it so: a new document's file is written before
its row commits, and a removed document's file is unlinked only after the row's removal commits. A crash
in between can therefore leave a file without a row, never a row without its file. This sweep removes
such files. A file younger than ``GRACE`` is left alone: its upload may still be on its way to the commit.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from praclox.applicants.documents import storage_dir
from praclox.applicants.models import Document
from praclox.extensions import db

log = logging.getLogger("praclox.applicants.sweep")

JOB_ID = "documents-sweep"
#: longer than any upload takes from writing its file to committing its row
GRACE = timedelta(hours=1)


def sweep_orphans(*, dry_run: bool = False, grace: timedelta = GRACE) -> dict[str, int]:
    """Remove stored files that no document row names and that are older than ``grace``; returns counts."""
    known = set(db.session.scalars(select(Document.stored_name)))
    db.session.rollback()  # the names are read; hold no transaction open while walking the folder
    cutoff = time.time() - grace.total_seconds()
    counts = {"files": 0, "orphans": 0, "removed": 0, "recent": 0, "errors": 0}
    with os.scandir(storage_dir()) as entries:
        for entry in entries:
            if not entry.is_file(follow_symlinks=False):
                continue
            counts["files"] += 1
            if entry.name in known:
                continue
            counts["orphans"] += 1
            try:
                if entry.stat(follow_symlinks=False).st_mtime > cutoff:
                    counts["recent"] += 1
                    continue
                if not dry_run:
                    os.unlink(entry.path)
                    counts["removed"] += 1
            except FileNotFoundError:
                continue
            except OSError:
                counts["errors"] += 1
    log.info("document sweep%s: %s", " (dry run)" if dry_run else "",
             ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return counts


@click.command("sweep-documents")
@click.option("--dry-run", is_flag=True, help="Count orphan files; remove nothing.")
@with_appcontext
def sweep_command(dry_run: bool) -> None:
    """Remove document files that no document row names (left by a crash); the daily job does the same."""
    from praclox.jobs.services import SKIPPED_EXIT, counts_of, run_recorded

    run = run_recorded(JOB_ID, lambda: sweep_orphans(dry_run=dry_run), dry_run=dry_run)
    counts = counts_of(run)
    click.echo(f"{run.outcome}: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    if run.outcome == "failed" or counts.get("errors"):
        raise SystemExit(1)
    if run.outcome == "skipped":
        raise SystemExit(SKIPPED_EXIT)
