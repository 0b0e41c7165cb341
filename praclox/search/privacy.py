"""The search index holds keyed hashes of the words of offices, contacts and contact moments.

They are derived from data the offices domain declares, go with their record (a foreign key deletes them;
an edit or a redaction on erasure rewrites them in the same flush) and say nothing without the key. Subject
access therefore has nothing of its own to show here, and erasure nothing of its own to remove.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from praclox.auth.models import User
from praclox.privacy.registry import Hit, PersonalField, SubjectQuery

_PURPOSE = _l("Finding offices, contacts and contact moments by a word, without keeping the words readable.")
_RETENTION = _l("As long as the record it was made from; rebuilt when the keys rotate.")

FIELDS: list[PersonalField] = [
    PersonalField(table, "term", "client history", _PURPOSE, "legitimate interest", _RETENTION)
    for table in ("office_search_terms", "contact_search_terms", "interaction_search_terms")
]

NOT_PERSONAL: dict[str, tuple[str, ...]] = {
    "office_search_terms": ("weight",), "contact_search_terms": ("weight",),
    "interaction_search_terms": ("weight",), "search_index_state": ("key_check", "built_at"),
}


def find(query: SubjectQuery) -> list[Hit]:
    """Nothing: a term cannot be read back to a word; the records it was made from are found by their domain."""
    return []


def export(hits: list[Hit]) -> dict[str, Any]:
    return {}


def erase(hits: list[Hit], *, actor: User | None) -> dict[str, int]:
    """Nothing of its own: the terms go with the erased records and are rewritten with the redacted text."""
    return {}
