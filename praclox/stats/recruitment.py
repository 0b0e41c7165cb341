"""Recruitment, counts only: applicants per vacancy and stage, days to a decision, reasons for rejection."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from praclox.applicants.models import Applicant, RejectionReason, StatusChange, Vacancy
from praclox.extensions import db
from praclox.stats.charts import ROWS, Chart, Series
from praclox.stats.filters import Filters
from praclox.stats.series import average, local_start, pivot
from praclox.stats.sql import days_between

STAGES = ("new", "conversation", "offer", "hired", "rejected", "withdrawn")


def _stage_labels() -> dict[str, str]:
    return {"new": _("New"), "conversation": _("In conversation"), "offer": _("Offer made"), "hired": _("Hired"),
            "rejected": _("Rejected"), "withdrawn": _("Withdrawn")}


def _applied(filters: Filters) -> list[object]:
    return [Applicant.applied_on >= filters.start, Applicant.applied_on < filters.end]


def funnel(filters: Filters) -> Chart:
    """Applicants who applied in the period, per vacancy and the stage they are in now."""
    rows = db.session.execute(
        select(Vacancy.id, Vacancy.title, Applicant.status, func.count())
        .join(Applicant, Applicant.vacancy_id == Vacancy.id).where(*_applied(filters))
        .group_by(Vacancy.id, Vacancy.title, Applicant.status).order_by(Vacancy.title, Vacancy.id)).all()
    vacancies = {str(vid): title for vid, title, _status, _count in rows}
    labels = _stage_labels()
    series = pivot([(str(vid), s, n) for vid, _t, s, n in rows], list(vacancies), list(labels), labels)
    return Chart("funnel", _("Applicants per vacancy and stage"), _("Vacancy"), list(vacancies.values()), series,
                 kind=ROWS, people=True)


def time_to_decision(filters: Filters, threshold: int) -> Chart:
    """The average days from application to decision per vacancy, for decisions within the period."""
    rows = db.session.execute(
        select(Vacancy.id, Vacancy.title, func.count(),
               func.sum(days_between(Applicant.applied_on, Applicant.decided_on)))
        .join(Applicant, Applicant.vacancy_id == Vacancy.id)
        .where(Applicant.decided_on >= filters.start, Applicant.decided_on < filters.end)
        .group_by(Vacancy.id, Vacancy.title).order_by(Vacancy.title, Vacancy.id)).all()
    days = [average(float(total or 0), count, threshold=threshold) for _vid, _title, count, total in rows]
    return Chart("decision", _("Average days from application to decision"), _("Vacancy"),
                 [title for _vid, title, _count, _total in rows], [Series(_("Days"), days)], kind=ROWS,
                 people=True, unit=_("days"),
                 columns=[Series(_("Decisions"), [int(count) for _vid, _title, count, _total in rows])])


def rejection_reasons(filters: Filters) -> Chart:
    """Rejections within the period by the reason chosen."""
    rows = db.session.execute(
        select(RejectionReason.label, func.count())
        .select_from(StatusChange).outerjoin(RejectionReason, RejectionReason.id == StatusChange.reason_id)
        .where(StatusChange.to_status == "rejected", StatusChange.at >= local_start(filters.start),
               StatusChange.at < local_start(filters.end))
        .group_by(RejectionReason.label).order_by(RejectionReason.label)).all()
    names = [label or _("No reason given") for label, _count in rows]
    return Chart("reasons", _("Reasons for rejection"), _("Reason"), names,
                 [Series(_("Rejections"), [int(count) for _label, count in rows])], kind=ROWS, people=True)


def charts(filters: Filters, threshold: int) -> list[Chart]:
    return [funnel(filters), time_to_decision(filters, threshold), rejection_reasons(filters)]
