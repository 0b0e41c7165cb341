"""Stored files that no owner row names, and the files an older version kept in ``instance/documents``.

An owner's row and its stored file are written and removed in one transaction, so a crash leaves neither
without the other; a stored file without an owner can only come from a fault outside that rule (a hand-made
deletion, a bug). The daily job finds such files and removes them once they are older than ``GRACE``.

Before the store was in the database, applicants' documents were files in ``instance/documents``. The
migration copied each into the store; this sweep then removes the copied files (only those the database
holds, read after the migration's commit) and, past the grace period, the ones no row ever named.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Column, and_, delete, exists, func, not_, select

from praclox.clock import now
from praclox.db import Base
from praclox.extensions import db
from praclox.files.models import StoredFile

log = logging.getLogger("praclox.files.sweep")

JOB_ID = "documents-sweep"
#: longer than any upload takes from its first write to its commit
GRACE = timedelta(hours=1)
LEGACY_FOLDER = "documents"


def owner_columns() -> list[Column]:
    """Every column of every domain's table that points at a stored file (found by its foreign key)."""
    return [fk.parent for table in Base.metadata.sorted_tables for fk in table.foreign_keys
            if fk.column.table.name == StoredFile.__tablename__]


def _unowned() -> object:
    return and_(*(not_(exists().where(column == StoredFile.name)) for column in owner_columns()))


def sweep_store(*, dry_run: bool, grace: timedelta) -> dict[str, int]:
    """Count the stored files, and remove those no owner names that are older than ``grace``."""
    counts = {"files": db.session.scalar(select(func.count()).select_from(StoredFile)) or 0}
    orphans = list(db.session.scalars(select(StoredFile.name).where(_unowned())))
    old = set(db.session.scalars(select(StoredFile.name).where(_unowned(), StoredFile.stored_at < now() - grace)))
    counts.update(orphans=len(orphans), recent=len(orphans) - len(old), removed=0)
    if old and not dry_run:
        counts["removed"] = db.session.execute(
            delete(StoredFile).where(StoredFile.name.in_(old), _unowned())
            .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return counts


def sweep_legacy_folder(*, dry_run: bool, grace: timedelta) -> dict[str, int]:
    """Remove ``instance/documents`` files the store holds, and those no row names once past ``grace``."""
    folder = Path(current_app.instance_path) / LEGACY_FOLDER
    counts = {"moved": 0, "errors": 0}
    if not folder.is_dir():
        return counts
    stored = set(db.session.scalars(select(StoredFile.name)))
    db.session.rollback()  # the names are read; hold no transaction open while walking the folder
    cutoff = time.time() - grace.total_seconds()
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                if not entry.is_file(follow_symlinks=False):
                    continue
                if entry.name not in stored and entry.stat(follow_symlinks=False).st_mtime > cutoff:
                    continue
                counts["moved"] += 1
                if not dry_run:
                    os.unlink(entry.path)
            except FileNotFoundError:
                continue
            except OSError:
                counts["errors"] += 1
    if not dry_run and not any(folder.iterdir()):
        folder.rmdir()
    return counts


def sweep_orphans(*, dry_run: bool = False, grace: timedelta = GRACE) -> dict[str, int]:
    """The job: both sweeps; returns their counts (numbers only, never names)."""
    counts = sweep_store(dry_run=dry_run, grace=grace) | sweep_legacy_folder(dry_run=dry_run, grace=grace)
    log.info("file sweep%s: %s", " (dry run)" if dry_run else "",
             ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return counts


@click.command("sweep-documents")
@click.option("--dry-run", is_flag=True, help="Count orphan files; remove nothing.")
@with_appcontext
def sweep_command(dry_run: bool) -> None:
    """Remove stored files no row names, and the files the store took over from instance/documents."""
    from praclox.jobs.services import SKIPPED_EXIT, counts_of, run_recorded

    run = run_recorded(JOB_ID, lambda: sweep_orphans(dry_run=dry_run), dry_run=dry_run)
    counts = counts_of(run)
    click.echo(f"{run.outcome}: " + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    if run.outcome == "failed" or counts.get("errors"):
        raise SystemExit(1)
    if run.outcome == "skipped":
        raise SystemExit(SKIPPED_EXIT)
