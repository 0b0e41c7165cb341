"""What every analysis page is filtered by: a period of whole months (and, where offices exist, more)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from praclox.clock import add_months, today

DEFAULT_MONTHS = 24
MAX_MONTHS = 60
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Filters:
    #: the first day of the first month
    start: date
    #: the first day after the last month
    end: date
    errors: Mapping[str, str] = field(default_factory=dict)

    @property
    def months(self) -> list[str]:
        """``2025-01`` … for every month of the period."""
        found, day = [], self.start
        while day < self.end:
            found.append(day.strftime("%Y-%m"))
            day = add_months(day, 1)
        return found

    def args(self) -> dict[str, str]:
        """The query arguments that give these filters back (links, CSV downloads)."""
        return {"from": self.start.strftime("%Y-%m"), "to": add_months(self.end, -1).strftime("%Y-%m")}


def _month(raw: str) -> date | None:
    found = _MONTH.match(raw.strip())
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        return None
    return date(int(found.group(1)), int(found.group(2)), 1)


def default_filters() -> Filters:
    this_month = today().replace(day=1)
    return Filters(add_months(this_month, 1 - DEFAULT_MONTHS), add_months(this_month, 1))


def parse(args: Mapping[str, str]) -> Filters:
    """The filters from the query string; a bad value gives the default period and an error naming it."""
    default = default_filters()
    errors: dict[str, str] = {}
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
    if not errors and last < start:
        errors["to"] = _("The last month comes before the first month.")
    elif not errors and len(Filters(start, add_months(last, 1)).months) > MAX_MONTHS:
        errors["from"] = _("Choose at most %(months)d months.", months=MAX_MONTHS)
    if errors:
        return Filters(default.start, default.end, errors)
    return Filters(start, add_months(last, 1))
