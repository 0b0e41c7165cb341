"""``praclox registrations ...``: the purge and the newsletter from the command line."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from praclox.cli_groups import refuse_ahead_of_today
from praclox.i18n import for_cli
from praclox.jobs.services import SKIPPED_EXIT, counts_of, run_recorded
from praclox.registrations import retention

registrations_cli = AppGroup("registrations", help="Website registrations and the newsletter.")

JOB_ID = "registrations_purge"
#: the purge's reasons as the operator reads them
REASON_LABELS = {"unsubscribed": _l("unsubscribed"), "closed": _l("closed"), "unconfirmed": _l("unconfirmed")}


def _per_reason(counts: dict[str, int]) -> str:
    return ", ".join(f"{for_cli(REASON_LABELS[reason])} {counts.get(reason, 0)}" for reason in retention.REASONS)


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        # parsed in the command, not an option callback: the message needs the app for the operator's language
        raise click.BadParameter(for_cli(_l("use YYYY-MM-DD")), param_hint="--as-of") from exc


@registrations_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be purged.")
@click.option("--as-of", "as_of_text", metavar="YYYY-MM-DD", help="Purge as if today were YYYY-MM-DD.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def purge(dry_run: bool, as_of_text: str | None, yes: bool) -> None:
    """Purge registrations past their retention period; prints counts only."""
    as_of = _day(as_of_text)
    refuse_ahead_of_today(as_of, dry_run=dry_run)
    if not dry_run and not yes:
        due = {reason: len(ids) for reason, ids in retention.due_ids(as_of or _today()).items()}
        click.echo(for_cli(_l("Due: %(due)s", due=_per_reason(due))))
        if not sum(due.values()):
            click.echo(for_cli(_l("Nothing to purge.")))
            return
        click.confirm(for_cli(_l("Purge these registrations for good?")), abort=True)
    from praclox.privacy.ondisk import not_gone, sentence_for, settled
    from praclox.progress import progress

    total = 0 if dry_run else sum(len(ids) for ids in retention.due_ids(as_of or _today()).values())
    with progress(for_cli(_l("Purging registrations")), total) as bar:
        run = run_recorded(JOB_ID, settled(lambda: retention.purge(as_of, dry_run=dry_run, on_deleted=bar.advance),
                                           retention.TOUCHED_TABLES, dry_run=dry_run), dry_run=dry_run)
    counts = counts_of(run)
    per_reason = _per_reason(counts)
    if dry_run:
        click.echo(for_cli(_l("%(outcome)s: would purge %(counts)s", outcome=run.outcome, counts=per_reason)))
    else:
        click.echo(for_cli(_l("%(outcome)s: purged %(counts)s", outcome=run.outcome, counts=per_reason)))
    on_disk = sentence_for(counts)
    if on_disk:
        click.echo(for_cli(on_disk))
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
    from praclox.extensions import db
    from praclox.progress import progress
    from praclox.registrations import mailing, services

    if not mail.is_configured():
        raise click.ClickException(for_cli(_l("no SMTP relay configured (PRACLOX_SMTP_HOST)")))
    with current_app.test_request_context():
        body = body_file.read_text(encoding="utf-8")
        with progress(for_cli(_l("Queueing the newsletter")), len(services.confirmed_list())) as bar:
            counts = mailing.send_newsletter(subject, body, on_sent=bar.advance)
        db.session.commit()
    # the scheduler's outbox job sends them, a batch a minute, with retries
    click.echo(for_cli(_l("queued %(num)d for the outbox", num=counts["queued"])))
