"""Backups older than the retention setting are deleted, and so are the ledger entries no kept backup needs.

A backup holds whatever the database held when it was taken, erased people included, until it is deleted:
the setting is how long that can be, and the public statement says so. A backup is recognised by its name
(``praclox-<UTC time>.praclox-backup``, as ``backup create`` writes it); other files in the folder are left
alone. The ledger keeps entries for the same period (and the restore's overlap), since a restore only reads
the entries after its backup was taken.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from praclox.backup import ledger
from praclox.backup.archive import OVERLAP, SUFFIX
from praclox.clock import now
from praclox.settings import services as settings

KEEP_DAYS = "backup.keep_days"
JOB_ID = "backup.prune"
_STAMP = "%Y%m%dT%H%M%S%fZ"


def taken_at(path: Path) -> datetime | None:
    """When the backup at ``path`` was taken, from its name; None for a file that is not one of ours."""
    stamp = path.name.removeprefix("praclox-").removesuffix(SUFFIX)
    if not path.name.startswith("praclox-") or not path.name.endswith(SUFFIX):
        return None
    try:
        return datetime.strptime(stamp, _STAMP).replace(tzinfo=timezone.utc)  # noqa: UP017
    except ValueError:
        return None


def prune(*, dry_run: bool = False) -> dict[str, int]:
    """Delete the backups older than the setting and trim the ledger to the same period; return the counts."""
    cutoff = now() - timedelta(days=int(settings.get(KEEP_DAYS)))
    deleted = kept = 0
    for path in sorted(ledger.backup_dir().glob(f"*{SUFFIX}")):
        when = taken_at(path)
        if when is None:
            continue
        if when < cutoff:
            deleted += 1
            if not dry_run:
                path.unlink(missing_ok=True)
        else:
            kept += 1
    trimmed = ledger.trim(cutoff - OVERLAP, dry_run=dry_run)
    return {"backups_deleted": deleted, "backups_kept": kept, "ledger_entries_removed": trimmed}


def scheduled_prune() -> dict[str, int]:
    return prune()
