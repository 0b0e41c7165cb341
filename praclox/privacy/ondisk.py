"""After personal data is deleted, make the deletion true on disk too, and say honestly whether it is.

SQLite (with ``secure_delete``, set on every connection in ``praclox/db.py``) zeroes deleted rows in the
database file, but in WAL mode the pages as they were before the deletion stay in ``-wal`` until a
checkpoint copies the log back and truncates it. The web server keeps its connections open, so the log is
not removed when the purge's process ends. ``settle`` runs a TRUNCATE checkpoint; a reader in the middle
of a transaction (a long page or export) blocks it, so it retries with a growing pause for
``CHECKPOINT_PATIENCE_SECONDS`` (30) and then reports that the log still holds old pages: the caller
then says so (job run counts, command output, flash) instead of "gone".

PostgreSQL keeps a deleted row in its data page until VACUUM reclaims it, and in its WAL until the segment
is recycled: ``settle`` vacuums the touched tables (where the database user may) and reports "vacuumed",
never "gone". README, "Gone means gone", says what remains and for how long.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy.exc import SQLAlchemyError

from praclox.extensions import db

log = logging.getLogger("praclox.privacy.ondisk")

DEFAULT_PATIENCE = 30.0
FIRST_PAUSE = 0.05
LONGEST_PAUSE = 2.0
#: a bound on attempts too, should the clock stand still (a test's frozen time)
MAX_ATTEMPTS = 200


@dataclass(frozen=True)
class DiskState:
    """What an operator may be told after a deletion."""

    #: "gone" (SQLite: the log is empty), "left" (SQLite: a reader kept old pages in the log),
    #: "vacuumed" (PostgreSQL: dead rows reclaimed; its WAL still holds them), "not_vacuumed"
    state: str
    attempts: int = 0
    waited: float = 0.0

    @property
    def gone(self) -> bool:
        return self.state == "gone"

    def counts(self) -> dict[str, int]:
        """For a job run's counts: numbers only."""
        return {"disk_gone": int(self.gone), "disk_checkpoint_attempts": self.attempts,
                "disk_vacuumed": int(self.state == "vacuumed")}

    def sentence(self) -> Any:
        """One line for the command's output (a lazy string: the command prints it ``for_cli``)."""
        if self.state == "gone":
            return _l("On disk: gone (the SQLite write-ahead log was emptied; deleted rows are zeroed).")
        if self.state == "left":
            return _l("On disk: NOT yet gone. A reader kept the SQLite write-ahead log busy for %(seconds)s s "
                      "(%(attempts)s); it still holds the old pages. Run `praclox privacy settle-disk` "
                      "when the server is quiet, or the next purge empties it.", seconds=f"{self.waited:.0f}",
                      attempts=lazy_ngettext("%(num)d attempt", "%(num)d attempts", self.attempts))
        if self.state == "vacuumed":
            return _l("On disk: the tables were vacuumed; PostgreSQL's WAL (and any archive or replica) keeps the "
                      "old rows until its segments are recycled (see README, \"Gone means gone\").")
        return _l("On disk: the deleted rows stay in PostgreSQL's data pages until autovacuum reclaims them "
                  "(VACUUM was not allowed for this database user).")


def _sqlite_path() -> Path | None:
    database = db.engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database)


def _checkpoint_once(path: Path) -> bool:
    """One TRUNCATE checkpoint on a connection of its own that does not wait: True when the log is empty."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.OperationalError:  # a writer holds the lock right now
        busy = 1
    finally:
        conn.close()
    wal = Path(f"{path}-wal")
    return not busy and (not wal.exists() or wal.stat().st_size == 0)


def checkpoint(path: Path, patience: float) -> DiskState:
    """Retry the checkpoint with a doubling pause until it empties the log or ``patience`` runs out."""
    started, pause, attempts = time.monotonic(), FIRST_PAUSE, 0
    while True:
        attempts += 1
        if _checkpoint_once(path):
            return DiskState("gone", attempts, time.monotonic() - started)
        waited = time.monotonic() - started
        if waited >= patience or attempts >= MAX_ATTEMPTS:
            return DiskState("left", attempts, waited)
        time.sleep(min(pause, max(patience - waited, 0.01)))
        pause = min(pause * 2, LONGEST_PAUSE)


def vacuum(tables: Iterable[str]) -> DiskState:
    """VACUUM each touched table outside a transaction (PostgreSQL allows nothing else)."""
    try:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in tables:
                conn.exec_driver_sql(f'VACUUM "{table}"')
    except SQLAlchemyError:
        log.warning("VACUUM after a deletion was refused; autovacuum will reclaim the rows")
        return DiskState("not_vacuumed")
    return DiskState("vacuumed")


def settle(tables: Iterable[str]) -> DiskState:
    """After deletions are committed: make them true on disk (SQLite) or as far as PostgreSQL allows.

    ``tables`` are the constant names of the tables the deletion touched (for VACUUM). The caller has
    committed: a transaction of this process still open would itself block the checkpoint.
    """
    db.session.rollback()  # nothing is pending (the caller committed); this only hands back the connection
    if db.engine.dialect.name == "postgresql":
        state = vacuum(tables)
    else:
        path = _sqlite_path()
        if path is None:
            return DiskState("gone")
        state = checkpoint(path, float(current_app.config.get("CHECKPOINT_PATIENCE_SECONDS", DEFAULT_PATIENCE)))
    if state.state in ("left", "not_vacuumed"):
        log.warning("deleted data not yet gone from disk: %s after %d attempt(s)", state.state, state.attempts)
    return state


def settled(func: Callable[[], Mapping[str, int] | None], tables: Iterable[str], *, dry_run: bool = False
            ) -> Callable[[], dict[str, Any]]:
    """Wrap a purge for ``run_recorded``: run it, settle the disk, and add the outcome to its counts."""

    def run() -> dict[str, Any]:
        counts = dict(func() or {})
        if not dry_run:
            counts.update(settle(tables).counts())
        return counts

    return run


def not_gone(counts: Mapping[str, Any]) -> bool:
    """Whether a real run's counts say SQLite's log still holds deleted pages (a failure to report)."""
    return "disk_gone" in counts and not counts["disk_gone"] and not counts.get("disk_vacuumed")


def sentence_for(counts: Mapping[str, Any]) -> Any:
    """The command-output line (lazy) for a job run's counts (None for a dry run, which deleted nothing)."""
    if "disk_gone" not in counts:
        return None
    if counts["disk_gone"]:
        return DiskState("gone").sentence()
    if counts.get("disk_vacuumed"):
        return DiskState("vacuumed").sentence()
    if counts.get("disk_checkpoint_attempts"):
        return DiskState("left", counts["disk_checkpoint_attempts"],
                         float(current_app.config.get("CHECKPOINT_PATIENCE_SECONDS", DEFAULT_PATIENCE))).sentence()
    return DiskState("not_vacuumed").sentence()
