"""``praclox registrations ...``: the purge and the newsletter from the command line."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from praclox.cli_groups import refuse_ahead_of_today
from praclox.jobs.services import SKIPPED_EXIT, counts_of, run_recorded
from praclox.registrations import retention

registrations_cli = AppGroup("registrations", help="Website registrations and the newsletter.")

JOB_ID = "registrations_purge"


def _day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise click.BadParameter("use YYYY-MM-DD") from exc


@registrations_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be purged.")
@click.option("--as-of", callback=_day, help="Purge as if today were YYYY-MM-DD.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge(dry_run: bool, as_of: date | None, yes: bool) -> None:
    """Purge registrations past their retention period; prints counts only."""
    refuse_ahead_of_today(as_of, dry_run=dry_run)
    if not dry_run and not yes:
        due = {reason: len(ids) for reason, ids in retention.due_ids(as_of or _today()).items()}
        click.echo("Due: " + ", ".join(f"{reason} {n}" for reason, n in due.items()))
        if not sum(due.values()):
            click.echo("Nothing to purge.")
            return
        click.confirm("Purge these registrations for good?", abort=True)
    from praclox.privacy.ondisk import not_gone, sentence_for, settled
    from praclox.progress import progress

    total = 0 if dry_run else sum(len(ids) for ids in retention.due_ids(as_of or _today()).values())
    with progress("Purging registrations", total) as bar:
        run = run_recorded(JOB_ID, settled(lambda: retention.purge(as_of, dry_run=dry_run, on_deleted=bar.advance),
                                           retention.TOUCHED_TABLES, dry_run=dry_run), dry_run=dry_run)
    counts = counts_of(run)
    label = "would purge" if dry_run else "purged"
    click.echo(f"{run.outcome}: {label} " + ", ".join(f"{reason} {counts.get(reason, 0)}"
                                                      for reason in retention.REASONS))
    on_disk = sentence_for(counts)
    if on_disk:
        click.echo(on_disk)
    if run.outcome == "failed" or not_gone(counts):
        raise SystemExit(1)
    if run.outcome == "skipped":  # another live process runs it: try again later (EX_TEMPFAIL)
        raise SystemExit(SKIPPED_EXIT)


def _today() -> date:
    from praclox.clock import today

    return today()


@registrations_cli.command("send-newsletter")
@click.option("--subject", required=True, help="The subject line.")
@click.argument("body_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def send_newsletter(subject: str, body_file: Path) -> None:
    """Mail BODY_FILE (plain text) to the confirmed list, each with a one-click unsubscribe link."""
    from praclox import mail
    from praclox.progress import progress
    from praclox.registrations import mailing, services

    try:
        with current_app.test_request_context():
            body = body_file.read_text(encoding="utf-8")
            with progress("Sending the newsletter", len(services.confirmed_list())) as bar:
                counts = mailing.send_newsletter(subject, body, on_sent=bar.advance)
    except mail.MailNotConfigured as exc:
        raise click.ClickException("no SMTP relay configured (PRACLOX_SMTP_HOST)") from exc
    click.echo(f"sent {counts['sent']}, failed {counts['failed']}")
