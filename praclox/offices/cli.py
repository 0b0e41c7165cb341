"""``praclox import offices`` and ``praclox demo-data``."""

from __future__ import annotations

import random
from pathlib import Path

import click
from flask.cli import with_appcontext

from praclox.cli_groups import import_cli
from praclox.domain import DemoRun, registry
from praclox.extensions import db
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
        with progress("Importing offices, row by row", count_rows(raw)) as bar:
            result = importer.import_offices(raw, update=update, on_row=bar.advance)
    except importer.ImportRejected as exc:
        db.session.rollback()
        raise cli_rejected(exc) from exc
    for change in result.changes:
        fields = f": {', '.join(change.fields)}" if change.fields else ""
        click.echo(f"line {change.line}: {change.action} {change.record} {change.label}{fields}")
    for warning in result.warnings:
        click.echo(f"line {warning.line}: new office {warning.label} looks like office #{warning.twin.id} "
                   f"{warning.twin.name} (same {', '.join(warning.reasons)})", err=True)
    if dry_run or (result.warnings and not allow_duplicates):
        db.session.rollback()
        if not dry_run:
            raise click.ClickException("possible duplicates; nothing was imported. Merge or rename them, or "
                                       "run again with --allow-duplicates")
        click.echo("Dry run: nothing was changed.")
    else:
        db.session.commit()
    made, changed = ("Would import", "would update") if dry_run else ("Imported", "updated")
    click.echo(f"{made} {result.offices} office(s) and {result.contacts} contact(s); "
               + (f"{changed} {result.updated_offices} office(s) and {result.updated_contacts} contact(s); "
                  if update else "")
               + f"{result.skipped} contact(s) were already there.")


@click.command("demo-data")
@click.option("--offices", "count", default=40, show_default=True, type=click.IntRange(1, 100000))
@click.option("--seed", default=None, type=int, help="Same seed, same data.")
@with_appcontext
def demo_data(count: int, seed: int | None) -> None:
    """Fill the database with a realistic Dutch demo data set."""
    from praclox.progress import progress

    run = DemoRun(random.Random(seed), count)  # noqa: S311 -- demo data, not security  # nosec B311
    domains = list(registry().demo_order())
    with progress("Demo data, domain by domain", len(domains)) as bar:
        for domain in domains:
            run.made[domain.name] = domain.demo.generate(run)  # type: ignore[union-attr]
            bar.advance()
    db.session.commit()
    click.echo(f"Added {len(run.made['offices'])} demo offices.")
