"""``praclox import dates`` and ``praclox feed create``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import func, select

from praclox.auth.models import User
from praclox.cli_groups import import_cli
from praclox.dates import feeds, importer
from praclox.dates.models import KIND_VALUES
from praclox.extensions import db
from praclox.i18n import for_cli
from praclox.importing import cli_rejected, count_rows
from praclox.progress import progress

feed_cli = AppGroup("feed", help="iCal feeds of personal dates.")
dates_cli = AppGroup("dates", help="Personal dates: reminder e-mails.")


@import_cli.command("dates")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_dates(file: Path) -> None:
    """Import personal dates: columns office, first_name, last_name, kind, date, person_name (all or none).

    kind is birthday, child_birthday or wedding; date is YYYY-MM-DD, or --MM-DD when the year is unknown.
    """
    try:
        raw = file.read_bytes()
        with progress(for_cli(_l("Importing dates, row by row")), count_rows(raw)) as bar:
            result = importer.import_csv(raw, actor=None, on_row=bar.advance)
    except importer.ImportRejected as exc:
        db.session.rollback()
        raise cli_rejected(exc) from exc
    db.session.commit()
    click.echo(for_cli(_l("Imported %(dates)s and %(contacts)s; %(skipped)s already there.",
                          dates=lazy_ngettext("%(num)d date", "%(num)d dates", result.dates),
                          contacts=lazy_ngettext("%(num)d new contact", "%(num)d new contacts", result.contacts),
                          skipped=lazy_ngettext("%(num)d date was", "%(num)d dates were", result.skipped))))


@feed_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="A name for the feed, e.g. phone.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KIND_VALUES),
              help="Include only these kinds (repeatable); default all.")
@click.option("--child-names/--no-child-names", default=False, help="Show children's names (default off).")
def create_feed(email: str, name: str, kinds: tuple[str, ...], child_names: bool) -> None:
    """Create a feed for a user and print its URL (shown only this once)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        raise click.ClickException(for_cli(_l("no user with e-mail %(email)s", email=email)))
    if not user.active:
        raise click.ClickException(for_cli(_l("this user is deactivated")))
    try:
        _feed, token = feeds.create_feed(user, name, kinds=kinds or KIND_VALUES, show_child_names=child_names,
                                         actor=None)
    except feeds.FeedError as exc:
        raise click.ClickException(for_cli(_l("invalid %(what)s", what=exc))) from exc
    db.session.commit()
    click.echo(feeds.feed_url(token))


@dates_cli.command("remind")
@click.option("--dry-run", is_flag=True, help="Only count the digests that are due; send and record nothing.")
def remind(dry_run: bool) -> None:
    """Send the reminder digests that are due now (what the 07:00 job does), recorded as a job run."""
    from flask import current_app

    from praclox.dates import reminders
    from praclox.jobs.services import SKIPPED_EXIT, counts_of, run_recorded

    if dry_run:
        counts = reminders.send_digests(dry_run=True)
        db.session.rollback()
        click.echo(for_cli(_l("dry run: %(queued)s would be sent, %(empty)s with nothing to report",
                              queued=lazy_ngettext("%(num)d digest", "%(num)d digests", counts["queued"]),
                              empty=lazy_ngettext("%(num)d digest", "%(num)d digests", counts["empty"]))))
        return
    if not current_app.config.get("SMTP_HOST"):
        click.echo(for_cli(_l("no SMTP host configured (PRACLOX_SMTP_HOST): digests are skipped")))
    run = run_recorded(reminders.JOB_ID, reminders.job)
    click.echo(f"{run.outcome} {counts_of(run) or run.message or ''}")
    if run.outcome == "failed":
        raise SystemExit(1)
    if run.outcome == "skipped":  # another live process runs it: try again later (EX_TEMPFAIL)
        raise SystemExit(SKIPPED_EXIT)
