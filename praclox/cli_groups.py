"""Command groups and option checks that several domains' commands share."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup

#: ``praclox import offices|dates|...``
import_cli = AppGroup("import", help="Import data from files.")


def refuse_ahead_of_today(day: date | None, *, dry_run: bool) -> None:
    """A clear usage error, before anything is asked or recorded, for a real purge dated after today."""
    from praclox.clock import AheadOfToday, check_not_ahead

    try:
        check_not_ahead(day, dry_run=dry_run)
    except AheadOfToday as exc:
        raise click.UsageError(f"--as-of {exc}. Nothing was changed.") from exc
