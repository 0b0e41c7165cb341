"""``praclox retention purge`` and ``praclox retention report``."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from praclox.cli_groups import refuse_ahead_of_today
from praclox.i18n import for_cli

retention_cli = AppGroup("retention", help="Retention of applicants' data: the purge and the report.")


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007  (a calendar day, no time)
    except ValueError as exc:
        raise click.BadParameter(for_cli(_l("use the form YYYY-MM-DD")), param_hint="--as-of") from exc


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
        click.confirm(for_cli(lazy_ngettext(
            "This deletes %(num)d applicant and everything about them for good. Go on?",
            "This deletes %(num)d applicants and everything about them for good. Go on?", due)), abort=True)
    run = run_purge(day, dry_run=dry_run)
    counts = counts_of(run)
    details = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))  # the counters' own names, for grep
    if dry_run:
        said = lazy_ngettext("%(outcome)s: would purge %(num)d applicant; %(details)s",
                             "%(outcome)s: would purge %(num)d applicants; %(details)s", counts.get("due", 0),
                             outcome=run.outcome, details=details)
    else:
        said = lazy_ngettext("%(outcome)s: purged %(num)d applicant; %(details)s",
                             "%(outcome)s: purged %(num)d applicants; %(details)s", counts.get("purged", 0),
                             outcome=run.outcome, details=details)
    click.echo(for_cli(said))
    on_disk = sentence_for(counts)
    if on_disk:
        click.echo(for_cli(on_disk))
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
    _say(_l("Retention report as of %(day)s", day=report.as_of.isoformat()))
    _say(_l("Overdue (should be gone): %(num)d", num=len(report.overdue)))
    for item in report.overdue:
        _say(_l("  ALARM applicant #%(id)s (%(title)s): due %(due)s, %(rule)s", id=item.applicant_id,
                title=item.vacancy_title, due=item.due_on, rule=item.rule))
    _say(_l("Due in the next 30 days: %(num)d", num=len(report.due_soon)))
    for item in report.due_soon:
        _say(_l("  applicant #%(id)s (%(title)s): due %(due)s, %(rule)s", id=item.applicant_id,
                title=item.vacancy_title, due=item.due_on, rule=item.rule))
    _say(_l("Purged in total: %(num)d", num=report.purged_total))
    for month, per_rule in report.purged:  # the rules' own names, as in the CSV
        click.echo(f"  {month:%Y-%m}: " + ", ".join(f"{r}={n}" for r, n in per_rule.items() if n))
    _say(_l("Website registrations purged: %(num)d", num=sum(row["total"] for row in report.registrations)))
    for row in report.registrations:
        click.echo(f"  {row['month']}: " + ", ".join(f"{k}={v}" for k, v in row.items() if k != "month" and v))
    _say(_l("Consents: %(num)d", num=len(report.consents)))
    for c in report.consents:
        state = (_l("withdrawn %(day)s", day=c.withdrawn_on) if c.withdrawn_on
                 else _l("expires %(day)s", day=c.expires_on))
        _say(_l("  applicant #%(id)s (%(title)s): given %(given)s by %(method)s, %(state)s", id=c.applicant_id,
                title=c.title, given=c.given_on, method=c.method, state=for_cli(state)))
    _say(_l("Legal holds: %(num)d", num=len(report.holds)))
    for h in report.holds:
        _say(_l("  applicant #%(id)s (%(title)s): %(reason)s", id=h.id, title=h.title, reason=h.legal_hold_reason))
    _say(_l("Open applications without activity: %(num)d", num=len(report.stale)))
    _say(_l("Last purge runs:"))
    for run, counts in report.runs:  # "purged=" stays as it is: operators grep for it
        dry = for_cli(_l(" (dry run)")) if run.dry_run else ""
        click.echo(f"  {run.started_at:%Y-%m-%d %H:%M} {run.outcome}{dry} purged={counts.get('purged', 0)}")


def _say(text: object) -> None:
    click.echo(for_cli(text))


def _add_sweep() -> None:
    # the sweep lives with the file store; its command sits in this group next to the purge, where it began
    from praclox.files.sweep import sweep_command

    retention_cli.add_command(sweep_command)


_add_sweep()
