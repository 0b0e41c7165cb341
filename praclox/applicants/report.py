"""The privacy officer's retention report: what is due, what is overdue, what was purged, which consents hold.

No names: applicants appear by their number and vacancy, purged ones only as counts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from praclox.applicants import services
from praclox.applicants.models import OPEN_STATUSES, RULES, Applicant, Consent, Tombstone, Vacancy
from praclox.applicants.purge import JOB_ID, DueItem, iter_due
from praclox.clock import add_months, today
from praclox.extensions import db
from praclox.jobs.models import JobRun
from praclox.jobs.services import counts_of
from praclox.settings import services as settings

DUE_WINDOW_DAYS = 30
MONTHS_SHOWN = 24


@dataclass
class RetentionReport:
    as_of: date
    due_soon: list[DueItem] = field(default_factory=list)
    overdue: list[DueItem] = field(default_factory=list)
    #: (month, {rule: count}) newest month first
    purged: list[tuple[date, dict[str, int]]] = field(default_factory=list)
    purged_total: int = 0
    consents: list[Any] = field(default_factory=list)
    holds: list[Any] = field(default_factory=list)
    stale: list[Any] = field(default_factory=list)
    runs: list[tuple[JobRun, dict[str, Any]]] = field(default_factory=list)
    #: website registrations purged per month, newest first: {"month": "2026-11", <reason>: n, "total": n}
    registrations: list[dict[str, Any]] = field(default_factory=list)


def due_and_overdue(as_of: date) -> tuple[list[DueItem], list[DueItem]]:
    """Due within the window (from today on) and overdue (should have gone before today)."""
    soon, late = [], []
    for batch in iter_due(as_of + timedelta(days=DUE_WINDOW_DAYS)):
        for item in batch:
            (late if item.due_on < as_of else soon).append(item)
    return sorted(soon, key=lambda i: i.due_on), sorted(late, key=lambda i: i.due_on)


def overdue_count(as_of: date | None = None) -> int:
    as_of = as_of or today()
    return sum(1 for batch in iter_due(as_of - timedelta(days=1)) for _ in batch)


def purged_per_month(as_of: date) -> tuple[list[tuple[date, dict[str, int]]], int]:
    start = date(as_of.year - MONTHS_SHOWN // 12, as_of.month, 1)
    months: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(RULES, 0))
    rows = db.session.execute(
        select(Tombstone.purged_on, Tombstone.rule, func.count())
        .where(Tombstone.purged_on >= start).group_by(Tombstone.purged_on, Tombstone.rule)
    )
    for day, rule, count in rows:
        months[day.replace(day=1)][rule] += count
    total = db.session.scalar(select(func.count()).select_from(Tombstone)) or 0
    return sorted(months.items(), reverse=True), total


def build_report(as_of: date | None = None) -> RetentionReport:
    """Every figure of the report as of a day (today by default)."""
    as_of = as_of or today()
    report = RetentionReport(as_of=as_of)
    report.due_soon, report.overdue = due_and_overdue(as_of)
    report.purged, report.purged_total = purged_per_month(as_of)
    report.consents = db.session.execute(
        select(Consent.applicant_id, Vacancy.title, Consent.given_on, Consent.method, Consent.expires_on,
               Consent.withdrawn_on)
        .join(Applicant, Applicant.id == Consent.applicant_id).join(Vacancy, Vacancy.id == Applicant.vacancy_id)
        .order_by(Consent.expires_on)
    ).all()
    report.holds = db.session.execute(
        select(Applicant.id, Vacancy.title, Applicant.status, Applicant.decided_on, Applicant.legal_hold_reason)
        .join(Vacancy, Vacancy.id == Applicant.vacancy_id).where(Applicant.legal_hold.is_(True))
        .order_by(Applicant.id)
    ).all()
    stale_before = add_months(as_of, -int(settings.get(services.STALE_MONTHS)))
    report.stale = db.session.execute(
        select(Applicant.id, Vacancy.title, Applicant.status, Applicant.last_activity_on)
        .join(Vacancy, Vacancy.id == Applicant.vacancy_id)
        .where(Applicant.status.in_(OPEN_STATUSES), Applicant.last_activity_on < stale_before)
        .order_by(Applicant.last_activity_on)
    ).all()
    runs = db.session.scalars(
        select(JobRun).where(JobRun.job == JOB_ID).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(10)
    ).all()
    report.runs = [(run, counts_of(run)) for run in runs]
    report.registrations = registration_purges()
    return report


def registration_purges() -> list[dict[str, Any]]:
    """The website registrations purged per month (issue 6), shown next to the applicants; counts only."""
    from praclox.registrations.retention import purge_counts_by_month

    return purge_counts_by_month()[:MONTHS_SHOWN]


def csv_header() -> list[str]:
    from praclox.csvutil import time_header

    return [_("section"), _("applicant"), _("vacancy"), _("status or rule"), time_header(_("date or time")),
            _("due or expires"), _("count"), _("note")]


def csv_rows(report: RetentionReport) -> tuple[list[str], list[list[Any]]]:
    """The report as one table in the reader's language: a section column, then the figures (for the CSV
    export and the CLI). Dates are ISO dates, times local (the zone is in the header) for spreadsheets."""
    from praclox.applicants.forms import rule_labels, status_labels
    from praclox.applicants.models import ConsentMethod
    from praclox.csvutil import local_time
    from praclox.registrations.retention import REASONS, reason_labels

    sections, rules, statuses, methods = section_labels(), rule_labels(), status_labels(), dict(ConsentMethod.choices())
    rows: list[list[Any]] = []
    for section, items in (("overdue", report.overdue), ("due", report.due_soon)):
        rows += [[sections[section], i.applicant_id, i.vacancy_title, rules.get(i.rule, i.rule), i.decided_on,
                  i.due_on, "", ""] for i in items]
    for month, per_rule in report.purged:
        rows += [[sections["purged"], "", "", rules.get(rule, rule), month.strftime("%Y-%m"), "", count, ""]
                 for rule, count in per_rule.items() if count]
    reasons = reason_labels()
    for row in report.registrations:
        rows += [[sections["registrations_purged"], "", "", reasons[reason], row["month"], "", row[reason], ""]
                 for reason in REASONS if row[reason]]
    for c in report.consents:
        note = _("withdrawn on %(date)s", date=c.withdrawn_on.isoformat()) if c.withdrawn_on else ""
        rows.append([sections["consent"], c.applicant_id, c.title, methods.get(c.method, c.method), c.given_on,
                     c.expires_on, "", note])
    rows += [[sections["legal_hold"], h.id, h.title, statuses.get(h.status, h.status), h.decided_on or "", "", "",
              h.legal_hold_reason] for h in report.holds]
    rows += [[sections["stale"], s.id, s.title, statuses.get(s.status, s.status), s.last_activity_on, "", "", ""]
             for s in report.stale]
    for run, counts in report.runs:
        rows.append([sections["purge_run"], "", "", run_outcome(run), local_time(run.started_at), "",
                     counts.get("purged", ""), run.message or ""])
    return [str(h) for h in csv_header()], rows


def section_labels() -> dict[str, Any]:
    return {
        "overdue": _l("overdue"), "due": _l("due soon"), "purged": _l("purged applicants"),
        "registrations_purged": _l("purged registrations"), "consent": _l("consent"), "legal_hold": _l("legal hold"),
        "stale": _l("no activity"), "purge_run": _l("purge run"),
    }


def run_outcome(run: Any) -> str:
    outcomes = {"running": _("running"), "ok": _("ok"), "failed": _("failed"), "skipped": _("skipped"),
                "interrupted": _("interrupted")}
    outcome = outcomes.get(run.outcome, run.outcome)
    return _("%(outcome)s (dry run)", outcome=outcome) if run.dry_run else outcome
