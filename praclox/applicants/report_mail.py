"""The monthly e-mail of the retention report, for privacy officers who subscribe."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from praclox import mail
from praclox.applicants import report as reports
from praclox.applicants.forms import rule_labels
from praclox.applicants.models import ReportSubscription
from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.clock import today
from praclox.extensions import db
from praclox.i18n import month_label


def is_subscribed(user: Any) -> bool:
    return db.session.get(ReportSubscription, user.id) is not None


def toggle_subscription(user: Any) -> bool:
    """Subscribe or unsubscribe a user; returns whether they are subscribed now. The caller commits."""
    found = db.session.get(ReportSubscription, user.id)
    if found is None:
        db.session.add(ReportSubscription(user_id=user.id))
    else:
        db.session.delete(found)
    audit("update", None, record_type="retention_report_subscriptions", record_id=user.id, fields=["subscribed"],
          actor=user)
    db.session.flush()
    return found is None


def send_monthly_reports() -> dict[str, int]:
    """Send this month's report once to every subscriber who still may see it; counts only."""
    month = today().replace(day=1)
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    subscriptions = db.session.scalars(select(ReportSubscription)).all()
    if not subscriptions:
        return counts
    report = reports.build_report()
    for subscription in subscriptions:
        if subscription.last_sent_month == month:
            continue
        user = db.session.get(User, subscription.user_id)
        if user is None or not user.active or not user.has_role("privacy_officer", "admin"):
            counts["skipped"] += 1
            continue
        with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
            subject = _("Retention report %(month)s", month=month_label(month))
            body = render_template("applicants/mail/report.txt", report=report, rules=rule_labels(),
                                   window=reports.DUE_WINDOW_DAYS, run_outcome=reports.run_outcome)
        mail.queue_mail(user.email, subject, body, kind="applicants.report",
                        key=f"applicants.report:{user.id}:{month.isoformat()}")
        subscription.last_sent_month = month
        db.session.commit()
        counts["sent"] += 1
    return counts
