"""``praclox keys init|check|rotate``, ``praclox db upgrade`` with its keys, ``praclox privacy purge-audit``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from praclox.audit.services import record
from praclox.extensions import db
from praclox.i18n import for_cli
from praclox.privacy import audit_trail, keys

keys_cli = AppGroup("keys", help="Encryption keys.")
privacy_cli = AppGroup("privacy", help="The privacy officer's maintenance commands.")


def _made(names: list[str]) -> None:
    for name in names:
        if name == "encryption_keys":
            made = _l("Made instance/%(name)s (mode 0600). Back it up: without it encrypted data cannot be read.",
                      name=name)
        else:
            made = _l("Made instance/%(name)s (mode 0600). Back it up: without it sessions and links end.", name=name)
        click.echo(for_cli(made))


def _keys_or_exit(step: Any) -> Any:
    """Run a key step; a key problem ends the command with its message (exit 1), not a traceback."""
    try:
        return step(current_app._get_current_object())  # type: ignore[attr-defined]
    except keys.KeyConfigurationError as exc:
        raise click.ClickException(str(exc)) from exc


@keys_cli.command("init")
@with_appcontext
def init() -> None:
    """Make the secret key and the encryption key the configuration lacks (into the instance folder), then
    check that the keys read the stored data. Safe to repeat: existing keys are kept."""
    made = _keys_or_exit(keys.init_keys)
    _made(made)
    click.echo(for_cli(_l("Keys made and checked.") if made else _l("Keys present and checked; nothing made.")))


@keys_cli.command("check")
@with_appcontext
def check() -> None:
    """Check that a secret key and encryption keys are configured and read the stored data (exit 1 if not)."""
    _keys_or_exit(keys.require_keys)
    click.echo(for_cli(_l("Keys present; the stored data reads with them.")))


def migrate_with_keys(upgrade: Callable[[], Any]) -> None:
    """Make the keys the configuration lacks (a migration may encrypt), run ``upgrade``, then check that the
    keys read the stored data."""
    _made(_keys_or_exit(keys.init_keys))
    upgrade()
    _keys_or_exit(keys.check_keys)


def db_cli() -> AppGroup:
    """Flask-Migrate's ``db`` commands, where ``db upgrade`` first makes the keys the configuration lacks
    (a migration may encrypt) and afterwards checks that they read the stored data."""
    from flask_migrate.cli import db as migrate_db

    group = AppGroup("db", params=migrate_db.params, callback=migrate_db.callback, help=migrate_db.help)
    for name, command in migrate_db.commands.items():
        group.add_command(command, name)
    migrate_upgrade = migrate_db.commands["upgrade"]

    @click.pass_context
    @with_appcontext
    def upgrade(ctx: click.Context, **options: Any) -> None:
        migrate_with_keys(lambda: ctx.invoke(migrate_upgrade, **options))

    group.add_command(click.Command("upgrade", params=migrate_upgrade.params, callback=upgrade,
                                    help=migrate_upgrade.help, short_help=migrate_upgrade.short_help))
    return group


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
    record("key_rotation", None, record_type="encryption_keys", fields=sorted(report.columns) + sorted(report.files),
           actor=None)  # an operator's command: no user of the CRM
    db.session.commit()
    for name, count in {**report.columns, **report.files}.items():
        click.echo(for_cli(lazy_ngettext("%(name)s: %(num)d value checked", "%(name)s: %(num)d values checked",
                                         count, name=name)))
    click.echo(for_cli(_l("Re-encrypted %(rotated)s; %(current)s already under the newest key.",
                          rotated=lazy_ngettext("%(num)d value", "%(num)d values", report.rotated),
                          current=lazy_ngettext("%(num)d was", "%(num)d were", report.current))))
    back = keys.read_back(batch_size=batch_size)
    if back.missing:
        click.echo(for_cli(lazy_ngettext(
            "%(num)d stored file is missing from the instance folder (no key can bring it back).",
            "%(num)d stored files are missing from the instance folder (no key can bring them back).", back.missing)))
    if back.unreadable:
        click.echo(for_cli(_l("Read back with the newest key alone: %(num)d value(s) and file(s); these could NOT be "
                              "read: %(unreadable)s", num=back.checked,
                              unreadable=", ".join(f"{name} {n}" for name, n in sorted(back.unreadable.items())))))
        click.echo(for_cli(_l("Keep every key in PRACLOX_ENCRYPTION_KEYS and run `praclox keys rotate` again.")))
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
    click.echo(for_cli(state.sentence()))
    if state.state == "left":
        raise SystemExit(1)
