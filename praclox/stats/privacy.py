"""The use analysis keeps no one's data: its pages count in SQL, and its one table counts page opens per day.

The counter table is declared so the register states its purpose and retention, with nobody in it. The
charts about people (applicants, registrations) apply the small-count rule (``stats.small_count_threshold``).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from praclox.auth.models import User
from praclox.privacy.registry import Hit, PersonalField, SubjectQuery
from praclox.stats.services import RETENTION_KEY

FIELDS: list[PersonalField] = [
    PersonalField("endpoint_uses", "endpoint", "use analysis",
                  _l("Seeing which pages of the CRM are used, to improve it: a count per page per day, without "
                     "user, session, address or time."),
                  "legitimate interest", RETENTION_KEY, visible_to=("staff", "admin")),
]

NOT_PERSONAL: dict[str, tuple[str, ...]] = {"endpoint_uses": ("day", "count")}


def find(query: SubjectQuery) -> list[Hit]:
    """No record here is about a person."""
    del query
    return []


def export(hits: list[Hit]) -> dict[str, Any]:
    del hits
    return {}


def erase(hits: list[Hit], *, actor: User | None) -> dict[str, int]:
    del hits
    return {}
