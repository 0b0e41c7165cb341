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
def import_offices(file: Path) -> None:
    """Import offices and contacts from a CSV file (all rows or none)."""
    from praclox.importing import count_rows
    from praclox.progress import progress

    raw = file.read_bytes()
    try:
        with progress("Importing offices, row by row", count_rows(raw)) as bar:
            result = importer.import_offices(raw, on_row=bar.advance)
    except importer.ImportRejected as exc:
        db.session.rollback()
        raise cli_rejected(exc) from exc
    db.session.commit()
    click.echo(f"Imported {result.offices} office(s) and {result.contacts} contact(s); "
               f"{result.skipped} contact(s) were already there.")


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
