"""``praclox keys rotate`` and ``praclox privacy purge-audit``."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from praclox.audit.services import record
from praclox.extensions import db
from praclox.i18n import for_cli
from praclox.privacy import audit_trail, keys

keys_cli = AppGroup("keys", help="Encryption keys.")
privacy_cli = AppGroup("privacy", help="The privacy officer's maintenance commands.")


@keys_cli.command("rotate")
@click.option("--batch-size", default=keys.DEFAULT_BATCH, show_default=True, type=click.IntRange(1, 100000))
def rotate(batch_size: int) -> None:
    """Re-encrypt every encrypted value and file under the newest key (the first in the list).

    Resumable: values already under the newest key are skipped, so run it again after an interruption.
    Then everything is read back with the newest key alone; only when all of it reads does it say the
    old keys can be removed from PRACLOX_ENCRYPTION_KEYS (otherwise it exits 1 and says what did not).
    """
    from praclox.jobs.services import JobLocked, job_lock
    from praclox.progress import progress

    try:
        with job_lock("keys_rotate"), progress(for_cli(_l("Re-encrypting values")), keys.count_encrypted()) as bar:
            report = keys.rotate_all(batch_size=batch_size, on_checked=bar.advance)
    except JobLocked as exc:
        busy = _l("another key rotation is running; try again when it has finished")
        raise click.ClickException(for_cli(busy)) from exc
    record("key_rotation", None, record_type="encryption_keys", fields=sorted(report.columns) + sorted(report.files))
    db.session.commit()
    for name, count in {**report.columns, **report.files}.items():
        click.echo(f"{name}: {count} value(s) checked")
    click.echo(f"Re-encrypted {report.rotated} value(s); {report.current} were already under the newest key.")
    back = keys.read_back(batch_size=batch_size)
    if back.missing:
        click.echo(f"{back.missing} stored file(s) are missing from the instance folder (no key can bring them back).")
    if back.unreadable:
        click.echo(f"Read back with the newest key alone: {back.checked} value(s) and file(s); these could NOT be "
                   "read: " + ", ".join(f"{name} {n}" for name, n in sorted(back.unreadable.items())))
        click.echo("Keep every key in PRACLOX_ENCRYPTION_KEYS and run `praclox keys rotate` again.")
        raise SystemExit(1)
    click.echo(for_cli(_l("Read back with the newest key alone: all %(num)d value(s) and file(s).", num=back.checked)))
    click.echo(for_cli(_l("Everything is now under the first key; the other keys can be removed from "
                          "PRACLOX_ENCRYPTION_KEYS.")))


@privacy_cli.command("purge-audit")
@click.option("--months", type=click.IntRange(1, 1200), default=None, help="Default: the retention setting.")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed.")
def purge_audit(months: int | None, dry_run: bool) -> None:
    """Remove audit entries older than the retention period (24 months unless set otherwise)."""
    from praclox.privacy.models import AUDIT_RETENTION_KEY
    from praclox.progress import progress
    from praclox.settings import services as settings

    months = months or int(settings.get(AUDIT_RETENTION_KEY))
    if dry_run:
        counts = audit_trail.purge_old(months, dry_run=True)
    else:
        due = audit_trail.purge_old(months, dry_run=True)["would_remove"]
        with progress(for_cli(_l("Removing old audit entries")), due) as bar:
            counts = audit_trail.purge_old(months, on_removed=bar.advance)
    count = next(iter(counts.values()))
    if dry_run:
        said = lazy_ngettext("Would remove %(num)d audit entry older than %(months)d months.",
                             "Would remove %(num)d audit entries older than %(months)d months.", count, months=months)
    else:
        said = lazy_ngettext("Removed %(num)d audit entry older than %(months)d months.",
                             "Removed %(num)d audit entries older than %(months)d months.", count, months=months)
    click.echo(for_cli(said))


@privacy_cli.command("settle-disk")
def settle_disk() -> None:
    """Empty SQLite's write-ahead log (PostgreSQL: VACUUM) so deleted data is gone from disk; says if not."""
    from praclox.privacy.ondisk import settle

    state = settle(table.name for table in db.metadata.sorted_tables)
    click.echo(state.sentence())
    if state.state == "left":
        raise SystemExit(1)
