"""``praclox import offices`` and ``praclox demo-data``."""

from __future__ import annotations

import random
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext, ngettext
from flask_babel.speaklater import LazyString

from praclox.cli_groups import import_cli
from praclox.domain import DemoRun, registry
from praclox.extensions import db
from praclox.i18n import for_cli
from praclox.importing import cli_rejected
from praclox.offices import importer


@import_cli.command("offices")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--update", is_flag=True,
              help="Offices and contacts the file names (by id, else by name) take its values.")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option("--allow-duplicates", is_flag=True, help="Create new offices even when they look like existing ones.")
def import_offices(file: Path, update: bool, dry_run: bool, allow_duplicates: bool) -> None:
    """Import offices and contacts from a CSV or XLSX file (all rows or none)."""
    from praclox.importing import count_rows
    from praclox.progress import progress

    raw = file.read_bytes()
    try:
        with progress(for_cli(_l("Importing offices, row by row")), count_rows(raw)) as bar:
            result = importer.import_offices(raw, update=update, actor=None, on_row=bar.advance)
    except importer.ImportRejected as exc:
        db.session.rollback()
        raise cli_rejected(exc) from exc
    for change in result.changes:
        click.echo(for_cli(LazyString(importer.change_line, change)))
    for warning in result.warnings:
        click.echo(for_cli(LazyString(importer.warning_line, warning)), err=True)
    if dry_run or (result.warnings and not allow_duplicates):
        db.session.rollback()
        if not dry_run:
            raise click.ClickException(for_cli(_l(
                "possible duplicates; nothing was imported. Merge or rename them, or run again with "
                "--allow-duplicates")))
    else:
        db.session.commit()
    click.echo(for_cli(LazyString(_summary, result, update=update, dry_run=dry_run)))


def _summary(result: importer.ImportResult, *, update: bool, dry_run: bool) -> str:
    counts = {"offices": ngettext("%(num)d office", "%(num)d offices", result.offices),
              "contacts": ngettext("%(num)d contact", "%(num)d contacts", result.contacts),
              "skipped": ngettext("%(num)d contact was", "%(num)d contacts were", result.skipped)}
    updated = {"updated_offices": ngettext("%(num)d office", "%(num)d offices", result.updated_offices),
               "updated_contacts": ngettext("%(num)d contact", "%(num)d contacts", result.updated_contacts)}
    if dry_run:
        return _("Dry run, nothing was changed: would import %(offices)s and %(contacts)s and update "
                 "%(updated_offices)s and %(updated_contacts)s; %(skipped)s already there.", **counts, **updated)
    text = _("Imported %(offices)s and %(contacts)s; %(skipped)s already there.", **counts)
    if update:
        text += " " + _("Updated %(updated_offices)s and %(updated_contacts)s.", **updated)
    return text


@click.command("demo-data")
@click.option("--offices", "count", default=40, show_default=True, type=click.IntRange(1, 100000))
@click.option("--seed", default=None, type=int, help="Same seed, same data.")
@with_appcontext
def demo_data(count: int, seed: int | None) -> None:
    """Fill the database with a realistic Dutch demo data set."""
    from praclox.progress import progress

    run = DemoRun(random.Random(seed), count)  # noqa: S311 -- demo data, not security  # nosec B311
    domains = list(registry().demo_order())
    with progress(for_cli(_l("Demo data, domain by domain")), len(domains)) as bar:
        for domain in domains:
            run.made[domain.name] = domain.demo.generate(run)  # type: ignore[union-attr]
            bar.advance()
    db.session.commit()
    click.echo(for_cli(lazy_ngettext("Added %(num)d demo office.", "Added %(num)d demo offices.",
                                    len(run.made["offices"]))))
