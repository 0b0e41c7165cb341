"""The dates block on the dashboard (today, this week, next 30 days) and the dates on a contact's page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from praclox.clock import today
from praclox.dates import occasions, services
from praclox.dates.forms import CongratulateForm
from praclox.offices.forms import ConfirmForm

#: the panel lists at most this many lines of the "next 30 days" part; the month view has them all
PANEL_LIMIT = 40


def panel_context() -> dict[str, Any]:
    day = today()
    entries = services.entries_between(day, day + timedelta(days=30))
    week_end = day + timedelta(days=7)
    groups = {
        "today": [e for e in entries if e.occ.on == day],
        "week": [e for e in entries if day < e.occ.on <= week_end],
        "month": [e for e in entries if e.occ.on > week_end],
    }
    more = max(0, len(groups["month"]) - PANEL_LIMIT)
    groups["month"] = groups["month"][:PANEL_LIMIT]
    return {"groups": groups, "more": more, "today": day, "congratulate": CongratulateForm(), "confirm": ConfirmForm()}


def contact_dates(contact: Any) -> list[tuple[Any, occasions.Occurrence | None, str]]:
    """A contact's dates with their next occurrence and its words (ended dates last, without one)."""
    day = today()
    cutoff = services.cutoff_age()
    out = []
    for item in services.dates_of_contact(contact.id):
        occ = None if item.ended_on else occasions.next_occurrence(item, day, cutoff_age=cutoff)
        out.append((item, occ, occasions.words(item, occ) if occ else ""))
    return out


def month_name(month: int) -> str:
    from babel.dates import get_month_names
    from flask_babel import get_locale

    return get_month_names("wide", locale=str(get_locale() or "nl"))[month]


def end_reason_label(reason: str | None) -> str:
    from praclox.dates.forms import reason_choices

    return str(dict(reason_choices()).get(reason or "", reason or ""))
