"""``praclox retention purge`` and ``praclox retention report``."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask.cli import AppGroup

from praclox.cli_groups import refuse_ahead_of_today

retention_cli = AppGroup("retention", help="Retention of applicants' data: the purge and the report.")


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007  (a calendar day, no time)
    except ValueError as exc:
        raise click.BadParameter("use the form YYYY-MM-DD", param_hint="--as-of") from exc


@retention_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would be purged; change nothing.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Purge as if it were this day (default today).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scripts).")
def purge_command(dry_run: bool, as_of: str | None, yes: bool) -> None:
    """Purge every applicant whose retention period ended (the daily job does the same)."""
    from praclox.applicants.purge import iter_due, run_purge
    from praclox.clock import today
    from praclox.jobs.services import SKIPPED_EXIT, counts_of
    from praclox.privacy.ondisk import not_gone, sentence_for

    day = _as_of(as_of)
    refuse_ahead_of_today(day, dry_run=dry_run)
    if not dry_run and not yes:
        due = sum(len(batch) for batch in iter_due(day or today()))
        click.confirm(f"This deletes {due} applicant(s) and everything about them for good. Go on?", abort=True)
    run = run_purge(day, dry_run=dry_run)
    counts = counts_of(run)
    label = "would purge" if dry_run else "purged"
    click.echo(f"{run.outcome}: {label} {counts.get('due' if dry_run else 'purged', 0)} applicant(s); "
               + ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    on_disk = sentence_for(counts)
    if on_disk:
        click.echo(on_disk)
    if run.outcome == "failed" or counts.get("failed") or not_gone(counts):
        raise SystemExit(1)
    if run.outcome == "skipped":  # another live process runs it: try again later (EX_TEMPFAIL)
        raise SystemExit(SKIPPED_EXIT)


@retention_cli.command("report")
@click.option("--format", "fmt", type=click.Choice(["text", "csv"]), default="text", show_default=True)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="The report as of this day (default today).")
def report_command(fmt: str, as_of: str | None) -> None:
    """Print the retention report: due, overdue, purged per month, consents, legal holds, last runs."""
    from praclox.applicants.report import build_report, csv_rows
    from praclox.csvutil import write_csv

    report = build_report(_as_of(as_of))
    if fmt == "csv":
        click.echo(write_csv(*csv_rows(report)), nl=False)
        return
    click.echo(f"Retention report as of {report.as_of.isoformat()}")
    click.echo(f"Overdue (should be gone): {len(report.overdue)}")
    for item in report.overdue:
        click.echo(f"  ALARM applicant #{item.applicant_id} ({item.vacancy_title}): due {item.due_on}, {item.rule}")
    click.echo(f"Due in the next 30 days: {len(report.due_soon)}")
    for item in report.due_soon:
        click.echo(f"  applicant #{item.applicant_id} ({item.vacancy_title}): due {item.due_on}, {item.rule}")
    click.echo(f"Purged in total: {report.purged_total}")
    for month, per_rule in report.purged:
        click.echo(f"  {month:%Y-%m}: " + ", ".join(f"{r}={n}" for r, n in per_rule.items() if n))
    click.echo(f"Website registrations purged: {sum(row['total'] for row in report.registrations)}")
    for row in report.registrations:
        click.echo(f"  {row['month']}: " + ", ".join(f"{k}={v}" for k, v in row.items() if k != "month" and v))
    click.echo(f"Consents: {len(report.consents)}")
    for c in report.consents:
        state = f"withdrawn {c.withdrawn_on}" if c.withdrawn_on else f"expires {c.expires_on}"
        click.echo(f"  applicant #{c.applicant_id} ({c.title}): given {c.given_on} by {c.method}, {state}")
    click.echo(f"Legal holds: {len(report.holds)}")
    for h in report.holds:
        click.echo(f"  applicant #{h.id} ({h.title}): {h.legal_hold_reason}")
    click.echo(f"Open applications without activity: {len(report.stale)}")
    click.echo("Last purge runs:")
    for run, counts in report.runs:
        dry = " (dry run)" if run.dry_run else ""
        click.echo(f"  {run.started_at:%Y-%m-%d %H:%M} {run.outcome}{dry} purged={counts.get('purged', 0)}")


def _add_sweep() -> None:
    # the sweep lives with the file store; its command sits in this group next to the purge, where it began
    from praclox.files.sweep import sweep_command

    retention_cli.add_command(sweep_command)


_add_sweep()
