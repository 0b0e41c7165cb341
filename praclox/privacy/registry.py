"""How each domain declares its personal data and answers data-subject requests.

Every domain that stores personal data has a ``privacy.py`` that defines ``FIELDS`` and the three
functions of ``DomainPrivacy``, and names it in its ``Domain(privacy=...)`` (praclox/domain.py). The
privacy officer's toolkit, the processing register and the public statement only collect from here, so a
new domain cannot be forgotten: a test fails when a column holds personal data that no domain declares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from praclox.domain import registry


@dataclass(frozen=True)
class Retention:
    """A retention sentence whose ``%(period)s`` is a live setting, named by its key constant:
    ``Retention(_l("Deleted %(period)s after …"), REJECTED_DAYS)``; the register fills in value and unit.
    A sentence that names a second setting says which: ``more=(("unconfirmed", UNCONFIRMED_AFTER),)`` for
    ``%(unconfirmed)s``."""

    sentence: Any
    setting: str
    more: tuple[tuple[str, str], ...] = ()

    def periods(self) -> dict[str, str]:
        """Each placeholder of the sentence with the setting key that fills it."""
        return {"period": self.setting, **dict(self.more)}

    def __str__(self) -> str:
        return str(self.sentence)


@dataclass(frozen=True)
class PersonalField:
    """One personal field, declared once, with everything the register and the statement need."""

    table: str
    column: str
    category: str  # e.g. "contact details", "identity", "special dates", "application"
    purpose: str  # why we hold it, in one English sentence (translated where shown)
    legal_basis: str  # "contract", "legitimate interest", "consent", "legal obligation"
    #: a setting key, a sentence, or a ``Retention``; live settings are filled in by the register
    retention: Any
    encrypted: bool = False
    visible_to: tuple[str, ...] = ("staff", "admin")
    #: "column" for a database column; "file" for content kept in an (encrypted) file named by the table's rows
    stored_in: str = "column"


@dataclass(frozen=True)
class SubjectQuery:
    """What the privacy officer searches a person by. At least one part is given."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None

    def is_empty(self) -> bool:
        return not (self.name or self.email or self.phone)


@dataclass(frozen=True)
class Identity:
    """What a found record tells about who the person is: the search widens from it to free text.

    ``first_names``/``last_names`` alone name the person only within ``own`` (records that are theirs:
    ``("contact", id)``) and, for the last name, ``near`` (their office: ``("office", id)``)."""

    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    first_names: tuple[str, ...] = ()
    last_names: tuple[str, ...] = ()
    own: frozenset[tuple[str, int]] = frozenset()
    near: frozenset[tuple[str, int]] = frozenset()

    def __or__(self, other: Identity) -> Identity:
        def both(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(dict.fromkeys(v for v in (*a, *b) if v))

        return Identity(both(self.names, other.names), both(self.emails, other.emails),
                        both(self.phones, other.phones), both(self.first_names, other.first_names),
                        both(self.last_names, other.last_names), self.own | other.own, self.near | other.near)


@dataclass(frozen=True)
class Hit:
    """One record that holds data about the person searched for."""

    domain: str
    record_type: str  # table name
    record_id: int
    #: groups hits of one person across domains: a lower-cased e-mail when known, else the name
    person_key: str
    label: str  # short description shown to the privacy officer, e.g. "Contact at Jansen BV"
    extra: dict[str, Any] = field(default_factory=dict)
    #: who the record says the person is (names, addresses, numbers): the search reads free text for these
    identity: Identity = field(default_factory=Identity)


class DomainPrivacy(Protocol):
    FIELDS: list[PersonalField]

    def find(self, query: SubjectQuery) -> list[Hit]: ...

    def export(self, hits: list[Hit]) -> dict[str, Any]:
        """Everything held for these hits (values included), as JSON-ready data."""
        ...

    def erase(self, hits: list[Hit], *, actor: Any) -> dict[str, int]:
        """Remove or neutralise the person's data as ``actor`` (the privacy officer, or None for a system
        action); return counts per kind. The caller commits."""
        ...


def domains() -> dict[str, DomainPrivacy]:
    """Each domain's privacy module, by domain name."""
    return registry().privacy


def all_fields() -> list[PersonalField]:
    return [f for module in domains().values() for f in module.FIELDS]


def all_exports() -> list[Any]:
    """The export files every domain declares in its privacy module's optional ``EXPORTS`` (``ExportFile``s of
    ``praclox.offices.columns``: title, formats, purpose, columns with the fields they show)."""
    return [e for module in domains().values() for e in getattr(module, "EXPORTS", [])]


# --- what the register-completeness check accepts as not personal -------------------------------

#: Columns of the foundation's tables that hold no personal data on their own. Everything else must be
#: declared as a PersonalField by some domain, or listed by that domain in an optional module attribute
#: ``NOT_PERSONAL = {"table": ("column", ...)}``. Primary keys, foreign keys, booleans and the
#: ``created_at``/``updated_at`` timestamps are never personal by themselves and need no listing.
NOT_PERSONAL: dict[str, frozenset[str]] = {
    "users": frozenset({"session_version"}),
    "user_roles": frozenset({"role"}),
    "audit_entries": frozenset({"at", "action", "record_type", "record_id", "fields", "row_count", "merged_id"}),
    "job_runs": frozenset({"job", "started_at", "finished_at", "outcome", "counts", "message"}),
    "job_locks": frozenset({"holder", "acquired_at", "expires_at"}),
    "settings": frozenset({"key"}),
    # the file store: encrypted bytes under a random name; what they are, and whose, is declared by the row
    # that owns the file (``applicant_documents.content``, the attachments' ``content``), which subject access
    # exports and erasure removes together with its file
    "stored_files": frozenset({"content", "stored_at"}),
}

#: column names that are bookkeeping timestamps in every table
BOOKKEEPING = frozenset({"created_at", "updated_at"})


def not_personal_columns() -> dict[str, set[str]]:
    """The foundation's list plus what each registered domain lists in its ``NOT_PERSONAL``."""
    merged: dict[str, set[str]] = {table: set(cols) for table, cols in NOT_PERSONAL.items()}
    for module in domains().values():
        for table, cols in getattr(module, "NOT_PERSONAL", {}).items():
            merged.setdefault(table, set()).update(cols)
    return merged


def is_plainly_not_personal(column: Any) -> bool:
    """Keys, flags and bookkeeping timestamps: never personal by themselves."""
    from sqlalchemy import Boolean

    return bool(
        column.primary_key or column.foreign_keys or isinstance(column.type, Boolean) or column.name in BOOKKEEPING
    )


def undeclared_columns(metadata: Any) -> list[str]:
    """Every ``table.column`` that is neither declared personal nor known not to be personal."""
    declared = {(f.table, f.column) for f in all_fields()}
    exempt = not_personal_columns()
    missing = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if (table.name, column.name) in declared or column.name in exempt.get(table.name, set()):
                continue
            if is_plainly_not_personal(column):
                continue
            missing.append(f"{table.name}.{column.name}")
    return missing


class ErasureRefused(Exception):
    """A domain cannot erase these hits (e.g. the acting user's own account); nothing is changed."""


# ``export`` returns ``{table: [ {column: value, ...}, ... ]}`` where it can: the access page then shows
# the purpose and retention declared in FIELDS next to every value. Other JSON shapes are shown as they are.
# A Hit whose record is kept (only scrubbed) may set ``extra["keep_audit"] = True``; the audit entries of
# every other hit are removed with the erasure.
#
# What else a domain declares about personal data lives in its ``Domain`` (praclox/domain.py):
# ``watch_erased`` (warn when an erased person's e-mail address comes back), ``file_rotators`` (re-encrypt
# stored files in ``praclox keys rotate``) with their ``file_checkers`` (read them back after a rotation, and
# sample them at start) and ``support_scopes`` (what a support grant may open). Also:
# - ``NOT_PERSONAL = {"table": ("column", ...)}`` in its privacy.py for columns that hold no personal data;
# - records linked to a contact: find them through ``praclox.offices.privacy.matching_contacts(query)`` and
#   group them with ``contact_key(contact)``, so a name, address or phone finds them like the contact;
# - ``RECORDS = [praclox.privacy.records.RecordKind(...)]`` in its privacy.py: every kind of record with free
#   text (the subject search reads it for the person and erasure redacts it) and what the privacy officer may
#   correct in it from a hit (through the domain's own service function); a text column in no RecordKind
#   fails a test;
# - a ``seed_subject`` in ``tests/<domain>/seeders.py``, so the access/erasure test covers the domain.
