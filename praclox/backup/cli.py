"""``praclox backup create`` and ``praclox backup restore FILE --yes``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

backup_cli = AppGroup("backup", help="Encrypted backups of the database and documents; restores that keep erasures.")


@backup_cli.command("create")
def create_command() -> None:
    """Back up the database and the documents while the server runs (encrypted, mode 0600, in BACKUP_DIR)."""
    from praclox.backup.archive import BackupError, create

    try:
        path = create()
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"backup written: {path}")


@backup_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database and documents without asking (for scripts).")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database and documents with FILE, then redo every erasure and purge since it was taken.
    Stop the web server and the scheduler first."""
    from praclox.backup.archive import BackupError, restore

    if not yes:
        click.confirm(f"Replace the database and all documents with {file}?", abort=True)
    try:
        done = restore(file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"restored the backup of {done.taken_at.isoformat()}; re-applied {done.entries} erasure/purge "
               f"ledger entries ({done.changes} changes)")


@backup_cli.command("prune")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
def prune_command(dry_run: bool) -> None:
    """Delete backups older than the retention setting (Settings, "Backups") and the ledger entries before them."""
    from praclox.backup.retention import prune

    counts = prune(dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"{verb} {counts['backups_deleted']} backup(s), kept {counts['backups_kept']}; "
               f"{verb} {counts['ledger_entries_removed']} ledger entries")
