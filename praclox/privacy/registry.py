"""How each domain declares its personal data and answers data-subject requests.

Every domain that stores personal data has a ``privacy.py`` that defines ``FIELDS`` and the three
functions of ``DomainPrivacy``, and registers itself in its ``init_app`` with ``register_domain``. The
privacy officer's toolkit, the processing register and the public statement only collect from here, so a
new domain cannot be forgotten: a test fails when a column holds personal data that no domain declares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import Flask, current_app


@dataclass(frozen=True)
class PersonalField:
    """One personal field, declared once, with everything the register and the statement need."""

    table: str
    column: str
    category: str  # e.g. "contact details", "identity", "special dates", "application"
    purpose: str  # why we hold it, in one English sentence (translated where shown)
    legal_basis: str  # "contract", "legitimate interest", "consent", "legal obligation"
    retention: str  # a retention rule key or a sentence; live settings are filled in by the register
    encrypted: bool = False
    visible_to: tuple[str, ...] = ("staff", "admin")


@dataclass(frozen=True)
class SubjectQuery:
    """What the privacy officer searches a person by. At least one part is given."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None

    def is_empty(self) -> bool:
        return not (self.name or self.email or self.phone)


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


class DomainPrivacy(Protocol):
    FIELDS: list[PersonalField]

    def find(self, query: SubjectQuery) -> list[Hit]: ...

    def export(self, hits: list[Hit]) -> dict[str, Any]:
        """Everything held for these hits (values included), as JSON-ready data."""
        ...

    def erase(self, hits: list[Hit]) -> dict[str, int]:
        """Remove or neutralise the person's data; return counts per kind. The caller commits."""
        ...


def register_domain(app: Flask, name: str, module: Any) -> None:
    app.extensions.setdefault("praclox_privacy", {})[name] = module


def domains() -> dict[str, DomainPrivacy]:
    return current_app.extensions.get("praclox_privacy", {})


def all_fields() -> list[PersonalField]:
    return [f for module in domains().values() for f in module.FIELDS]
