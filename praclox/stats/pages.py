"""The analysis pages: which charts each shows, and who may see it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from praclox.domain import roles
from praclox.settings import services as settings
from praclox.stats import clients, contacts, followups, recruitment, usage, website, wishes
from praclox.stats.charts import Chart, protect
from praclox.stats.filters import Filters
from praclox.stats.services import THRESHOLD_KEY

STAFF = roles("staff", "admin")
RECRUITERS = roles("recruiter", "admin")
EVERYONE = STAFF | RECRUITERS


@dataclass(frozen=True)
class Page:
    key: str
    title: Any  # lazy string
    intro: Any  # lazy string
    roles: frozenset[str]
    build: Callable[[Filters, int], list[Chart]]
    #: its charts count offices, so the account manager and tag filters apply
    office_filters: bool = False


def _plain(module: Any) -> Callable[[Filters, int], list[Chart]]:
    return lambda filters, threshold: module.charts(filters)


PAGES: dict[str, Page] = {p.key: p for p in (
    Page("contacts", _l("Contact moments"), _l("When clients are in touch, and which offices drift away."),
         STAFF, _plain(contacts), office_filters=True),
    Page("wishes", _l("Services asked for"), _l("Open wishes, what is asked for most, and how long it takes."),
         STAFF, _plain(wishes), office_filters=True),
    Page("clients", _l("Clients and prospects"), _l("Conversions, and offices gained and lost."),
         STAFF, _plain(clients), office_filters=True),
    Page("followups", _l("Follow-ups"), _l("Open, overdue and done follow-ups per owner and per week."),
         STAFF, _plain(followups), office_filters=True),
    Page("website", _l("Website registrations"), _l("Registrations, confirmations, unsubscribes, list size."),
         STAFF, _plain(website)),
    Page("usage", _l("Use of the CRM"), _l("Which pages are used: counted per page per day, never who."),
         STAFF, _plain(usage)),
    Page("recruitment", _l("Recruitment"), _l("Applicants per vacancy and stage, days to decision, reasons."),
         RECRUITERS, recruitment.charts),
)}


def threshold() -> int:
    return int(settings.get(THRESHOLD_KEY))


def visible(user: Any) -> list[Page]:
    return [p for p in PAGES.values() if user.has_role(*p.roles)]


def charts(page: Page, filters: Filters) -> list[Chart]:
    """The page's charts with the small-count rule applied to every count about people."""
    limit = threshold()
    return [protect(chart, limit) for chart in page.build(filters, limit)]
