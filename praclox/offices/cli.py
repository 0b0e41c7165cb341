"""``praclox import offices`` and ``praclox demo-data``."""

from __future__ import annotations

import random
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from praclox.cli_groups import import_cli
from praclox.domain import DemoRun, registry
from praclox.extensions import db
from praclox.i18n import for_cli
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
        with progress(for_cli(_l("Importing offices, row by row")), count_rows(raw)) as bar:
            result = importer.import_offices(raw, on_row=bar.advance)
    except importer.ImportRejected as exc:
        db.session.rollback()
        raise cli_rejected(exc) from exc
    db.session.commit()
    click.echo(for_cli(_l("Imported %(offices)s and %(contacts)s; %(skipped)s already there.",
                          offices=lazy_ngettext("%(num)d office", "%(num)d offices", result.offices),
                          contacts=lazy_ngettext("%(num)d contact", "%(num)d contacts", result.contacts),
                          skipped=lazy_ngettext("%(num)d contact was", "%(num)d contacts were", result.skipped))))


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
