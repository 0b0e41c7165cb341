"""``praclox backup create`` and ``praclox backup restore FILE --yes``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from praclox.i18n import for_cli

backup_cli = AppGroup("backup", help="Encrypted backups of the database and documents; restores that keep erasures.")


@backup_cli.command("create")
def create_command() -> None:
    """Back up the database and the documents while the server runs (encrypted, mode 0600, in BACKUP_DIR)."""
    from praclox.backup.archive import BackupError, create

    try:
        path = create()
    except BackupError as exc:
        raise click.ClickException(for_cli(exc.message)) from exc
    click.echo(for_cli(_l("backup written: %(path)s", path=path)))


@backup_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database and documents without asking (for scripts).")
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database and documents with FILE, then redo every erasure and purge since it was taken.
    Stop the web server and the scheduler first."""
    from praclox.backup.archive import BackupError, restore

    if not yes:
        click.confirm(for_cli(_l("Replace the database and all documents with %(file)s?", file=file)), abort=True)
    try:
        done = restore(file)
    except BackupError as exc:
        raise click.ClickException(for_cli(exc.message)) from exc
    click.echo(for_cli(_l("restored the backup of %(taken_at)s; re-applied %(entries)s (%(changes)s)",
                          taken_at=done.taken_at.isoformat(),
                          entries=lazy_ngettext("%(num)d erasure/purge ledger entry",
                                                "%(num)d erasure/purge ledger entries", done.entries),
                          changes=lazy_ngettext("%(num)d change", "%(num)d changes", done.changes))))


@backup_cli.command("prune")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
def prune_command(dry_run: bool) -> None:
    """Delete backups older than the retention setting (Settings, "Backups") and the ledger entries before them."""
    from praclox.backup.retention import prune

    counts = prune(dry_run=dry_run)
    backups = lazy_ngettext("%(num)d backup", "%(num)d backups", counts["backups_deleted"])
    entries = lazy_ngettext("%(num)d ledger entry", "%(num)d ledger entries", counts["ledger_entries_removed"])
    if dry_run:
        said = _l("would delete %(backups)s, kept %(kept)d; would delete %(entries)s",
                  backups=backups, kept=counts["backups_kept"], entries=entries)
    else:
        said = _l("deleted %(backups)s, kept %(kept)d; deleted %(entries)s",
                  backups=backups, kept=counts["backups_kept"], entries=entries)
    click.echo(for_cli(said))
