"""Reminder e-mails: a digest of the coming occasions, daily at 07:00 or weekly on Monday, once per period."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select

from praclox import mail
from praclox.auth.models import User, UserRole
from praclox.clock import today, zone
from praclox.dates import agenda, services
from praclox.dates.access import DATE_ROLES, may_see_personal_dates
from praclox.dates.feeds import locale_of
from praclox.dates.models import ReminderPreference, ReminderSent
from praclox.extensions import db
from praclox.followups import digest as follow_up_digest
from praclox.forms import one_line

log = logging.getLogger("praclox.dates.reminders")

JOB_ID = "dates-reminders"
FREQUENCIES = ("off", "daily", "weekly")
#: how far ahead each digest looks (today included)
HORIZON = {"daily": 7, "weekly": 14}


def frequency_of(user_id: int) -> str:
    pref = db.session.get(ReminderPreference, user_id)
    return pref.frequency if pref else "off"


def set_frequency(user_id: int, frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise ValueError(frequency)
    pref = db.session.get(ReminderPreference, user_id)
    if pref is None:
        db.session.add(ReminderPreference(user_id=user_id, frequency=frequency))
    else:
        pref.frequency = frequency


def period_of(frequency: str, day: date) -> str:
    """The period a digest covers: the day for daily digests, the ISO week for weekly ones."""
    if frequency == "weekly":
        year, week, _weekday = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def due_users(day: date) -> list[tuple[User, str]]:
    """Active staff who opted in and have no digest for the current period yet."""
    rows = db.session.execute(
        select(User, ReminderPreference.frequency)
        .join(ReminderPreference, ReminderPreference.user_id == User.id)
        .where(ReminderPreference.frequency != "off", User.active.is_(True))
        .where(User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(DATE_ROLES))))
        .order_by(User.id)
    ).all()
    due = []
    for user, frequency in rows:
        if not may_see_personal_dates(user):  # the query narrows, this decides: the same rule as the feeds
            continue
        sent = db.session.scalar(
            select(ReminderSent.id).where(ReminderSent.user_id == user.id,
                                          ReminderSent.period == period_of(frequency, day))
        )
        if sent is None:
            due.append((user, frequency))
    return due


def _digest_line(entry: services.Entry, show_day: bool) -> str:
    # a list mark first: a line never starts with a stored name
    when = format_date(entry.occ.on, "EEE d MMM") + "  " if show_day else "  - "
    star = " ★" if entry.occ.milestone else ""
    done = _(" (congratulated)") if entry.mark else ""
    return f"{when}{one_line(entry.title)}{star} — {one_line(entry.row.office_name)}{done}"


def digest_lines(ag: agenda.Agenda, month_url: str) -> list[str]:
    """The agenda as text, grouped like the dashboard: today and the week in full, then milestones per day."""
    lines: list[str] = []
    for heading, days in ((_("Today"), [ag.today]), (_("This week"), ag.week), (_("Later"), ag.later)):
        days = [d for d in days if d.entries or d.folded]
        if not days:
            continue
        lines += [heading, ""] if not lines else ["", heading, ""]
        for day in days:
            lines.append(format_date(day.on, "EEEE d MMMM"))
            lines += [_digest_line(entry, False) for entry in day.entries]
            if day.folded:
                lines.append("  - " + _("and %(n)d more on this day: %(url)s", n=day.folded,
                                      url=f"{month_url}?year={day.on.year}&month={day.on.month}"))
    return lines


def build_digest(user: User, frequency: str, day: date) -> tuple[str, str, int]:
    """Subject, text and the number of occasions and follow-ups (the user's open ones, overdue or due in the
    period), in the user's language."""
    end = day + timedelta(days=HORIZON[frequency] - 1)
    ag = agenda.build(day, HORIZON[frequency] - 1)
    with force_locale(locale_of(user)):
        url = current_app.config["BASE_URL"].rstrip("/") + "/dates/"
        lines = digest_lines(ag, url)
        tasks, task_count = follow_up_digest.lines(user.id, day, end, current_app.config["BASE_URL"])
        span = {"start": format_date(day, "d MMM"), "end": format_date(end, "d MMM")}
        subject = _("Follow-ups, birthdays and anniversaries %(start)s – %(end)s", **span) if task_count else \
            _("Birthdays and anniversaries %(start)s – %(end)s", **span)
        parts = [_("Hello %(name)s,", name=one_line(user.name)), ""]
        parts += [*tasks, ""] if tasks else []
        parts += [_("The coming birthdays and anniversaries of our contacts:"), ""]
        parts += lines or [_("Nothing in this period.")]
        parts += ["", _("★ marks a milestone."), _("The calendar: %(url)s", url=url), "",
                  _("You receive this because you chose reminder e-mails in Praclox CRM; change it at %(url)s",
                    url=url + "account")]
        text = "\n".join(parts) + "\n"
    return subject, text, ag.count + task_count


def send_digests(day: date | None = None, *, dry_run: bool = False) -> Mapping[str, int]:
    """Send every due digest. The job's function: counts for the job run; failures raise after the rest.

    With ``dry_run`` nothing is sent or recorded: the counts say what would happen.
    """
    day = day or today()
    due = due_users(day)
    counts = {"queued": 0, "empty": 0, "skipped": 0}
    if not due:
        return counts
    if dry_run:
        for user, frequency in due:
            counts["empty" if build_digest(user, frequency, day)[2] == 0 else "queued"] += 1
        return counts
    if not mail.is_configured():
        log.info("reminder digests skipped: no SMTP host configured (%d due)", len(due))
        counts["skipped"] = len(due)
        return counts
    for user, frequency in due:
        subject, text, count = build_digest(user, frequency, day)
        record = ReminderSent(user_id=user.id, period=period_of(frequency, day), occasions=count)
        if count == 0:
            db.session.add(record)
            db.session.commit()
            counts["empty"] += 1
            continue
        # queued with its record in one commit; the outbox retries it until sent or until the day is over
        mail.queue_mail(user.email, subject, text, kind="dates.digest", key=f"dates.digest:{user.id}:{record.period}",
                        send_before=end_of(day))
        db.session.add(record)
        db.session.commit()
        counts["queued"] += 1
    log.info("reminder digests: %s", counts)
    return counts


def end_of(day: date) -> datetime:
    """Midnight after ``day`` in the office's time zone: a digest for ``day`` is worthless after it."""
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone())


def job() -> Mapping[str, int]:
    return send_digests()
