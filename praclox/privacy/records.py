"""The kinds of record a privacy officer opens from a hit: what free text they hold, what may be corrected.

Each domain lists its kinds in ``RECORDS`` in its ``privacy.py``. The subject search reads every
``free_text`` column for the person (``praclox.privacy.mentions``); the privacy officer's record page
shows the record and corrects the ``fields`` through the domain's own service function (``save``), so a
correction follows the same rules and leaves the same audit entry (field names, never values) as a
colleague's edit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from praclox.privacy.registry import domains


@dataclass(frozen=True)
class Correctable:
    """A field the privacy officer may correct (art. 16 GDPR): the person's own data, never a decision,
    a piece of evidence or the audit trail."""

    name: str
    label: Any
    #: "text" (one line), "long" (several lines), "email" or "phone": the shared form field of that kind
    kind: str = "text"
    max_length: int = 200
    required: bool = False


@dataclass(frozen=True)
class RecordKind:
    table: str
    model: type
    #: a short description of one record for the privacy officer (it may name the office, never a value)
    describe: Callable[[Any], str]
    #: columns with free text that may name a person; read by the subject search, redacted by erasure
    free_text: tuple[str, ...] = ()
    #: what the privacy officer may correct; empty: the page only shows the record
    fields: tuple[Correctable, ...] = ()
    #: the domain's service function that writes a correction: ``save(record, {field: value}, actor=user)
    #: -> changed``
    save: Callable[..., list[str]] | None = None
    #: columns that place the record near a person: {"office_id": "office", "contact_id": "contact", ...}
    scopes: dict[str, str] = field(default_factory=dict)
    #: who else may edit this kind of record, named on the page (e.g. "an administrator")
    corrected_by: Any = None


def kinds() -> dict[str, RecordKind]:
    """Every registered record kind by table name."""
    return {kind.table: kind for module in domains().values() for kind in getattr(module, "RECORDS", [])}


def scopes_of(kind: RecordKind, row: Any) -> frozenset[tuple[str, int]]:
    """The (scope, id) pairs of one row (an object or a row with the scope columns)."""
    found = {(scope, value) for column, scope in kind.scopes.items() if (value := getattr(row, column)) is not None}
    return frozenset(found)


#: text columns of the foundation that hold no text a person typed about someone (the app writes them)
NOT_FREE_TEXT: dict[str, tuple[str, ...]] = {
    "job_runs": ("counts", "message"), "audit_entries": ("fields",), "settings": ("value",),
    "privacy_tombstones": ("counts",), "totp_factors": ("secret",),
}


def undeclared_free_text(metadata: Any) -> list[str]:
    """Every long text column (unbounded, or 500 characters and more) that no record kind reads as free text
    and no domain lists in its ``NOT_FREE_TEXT``: the subject search would not see a person named there."""
    from sqlalchemy import String, Text

    read = {(kind.table, c) for kind in kinds().values() for c in kind.free_text}
    exempt = {(t, c) for t, cols in NOT_FREE_TEXT.items() for c in cols}
    for module in domains().values():
        exempt |= {(t, c) for t, cols in getattr(module, "NOT_FREE_TEXT", {}).items() for c in cols}
    missing = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            impl = getattr(column.type, "impl", column.type)
            length = getattr(impl, "length", None)
            if isinstance(impl, String | Text) and (length is None or length >= 500) and (
                    (table.name, column.name) not in read | exempt):
                missing.append(f"{table.name}.{column.name}")
    return missing
