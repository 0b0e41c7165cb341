"""What every analysis page is filtered by: a period of whole months (and, where offices exist, more)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from praclox.auth.models import User
from praclox.clock import add_months, today
from praclox.extensions import db

DEFAULT_MONTHS = 24
MAX_MONTHS = 60
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Filters:
    #: the first day of the first month
    start: date
    #: the first day after the last month
    end: date
    #: the offices' account manager: a user id, ``none`` (offices without one) or "" (every office)
    manager: str = ""
    #: an office tag's id, or None
    tag: int | None = None
    errors: Mapping[str, str] = field(default_factory=dict)

    @property
    def months(self) -> list[str]:
        """``2025-01`` … for every month of the period."""
        found, day = [], self.start
        while day < self.end:
            found.append(day.strftime("%Y-%m"))
            day = add_months(day, 1)
        return found

    @property
    def offices_narrowed(self) -> bool:
        return bool(self.manager or self.tag)

    def args(self) -> dict[str, str]:
        """The query arguments that give these filters back (links, CSV downloads)."""
        found = {"from": self.start.strftime("%Y-%m"), "to": add_months(self.end, -1).strftime("%Y-%m")}
        if self.manager:
            found["manager"] = self.manager
        if self.tag is not None:
            found["tag"] = str(self.tag)
        return found


def _month(raw: str) -> date | None:
    found = _MONTH.match(raw.strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        return None
    return date(int(found.group(1)), int(found.group(2)), 1)


def default_filters() -> Filters:
    this_month = today().replace(day=1)
    return Filters(add_months(this_month, 1 - DEFAULT_MONTHS), add_months(this_month, 1))


def _offices(args: Mapping[str, str], errors: dict[str, str]) -> tuple[str, int | None]:
    """The account manager and the tag asked for, each one the office list offers; an unknown one is an error."""
    from praclox.offices import listing
    from praclox.offices.models import Tag

    manager, tag = args.get("manager", "").strip(), args.get("tag", "").strip()
    if manager and manager != "none":
        known = manager.isdigit() and len(manager) < 10 and db.session.scalar(
            listing.manager_filter_choices().where(User.id == int(manager))) is not None
        if not known:
            errors["manager"], manager = _("Choose an account manager from the list."), ""
    tag_id = int(tag) if tag.isdigit() and len(tag) < 10 else None
    if tag and (tag_id is None or db.session.get(Tag, tag_id) is None):
        errors["tag"], tag_id = _("Choose a tag from the list."), None
    return manager, tag_id


def parse(args: Mapping[str, str]) -> Filters:
    """The filters from the query string; a bad value is left out, with an error naming it."""
    default = default_filters()
    errors: dict[str, str] = {}
    manager, tag = _offices(args, errors)
    start, last = default.start, add_months(default.end, -1)
    for name in ("from", "to"):
        raw = args.get(name, "")
        if not raw:
            continue
        value = _month(raw)
        if value is None:
            errors[name] = _("Give a month as year-month, for example 2026-03.")
        elif name == "from":
            start = value
        else:
            last = value
    period_read = not {"from", "to"} & set(errors)
    if period_read and last < start:
        errors["to"] = _("The last month comes before the first month.")
    elif period_read and len(Filters(start, add_months(last, 1)).months) > MAX_MONTHS:
        errors["from"] = _("Choose at most %(months)d months.", months=MAX_MONTHS)
    if {"from", "to"} & set(errors):
        start, last = default.start, add_months(default.end, -1)
    return Filters(start, add_months(last, 1), manager, tag, errors)
