"""A set of stored values with their labels, declared once as an enum.

The CHECK constraint, the form choices, the templates' words, the privacy register's labels and CSV headers
are all built from the enum, so a value is added or renamed in one place::

    class DateKind(Vocabulary):
        BIRTHDAY = "birthday", _l("Birthday")
"""

from __future__ import annotations

import enum
from typing import Any


class Vocabulary(enum.StrEnum):
    """A ``StrEnum`` whose members carry a (lazy) label: ``DateKind.BIRTHDAY.label``."""

    label: Any

    def __new__(cls, value: str, label: Any = None) -> Vocabulary:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label if label is not None else value
        return member

    @classmethod
    def values(cls) -> tuple[str, ...]:
        return tuple(member.value for member in cls)

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        """``(value, label)`` pairs for a form's choices, in declaration order."""
        return [(member.value, member.label) for member in cls]

    @classmethod
    def label_of(cls, value: str | None) -> str:
        """The label of a stored value in the reader's language; an unknown value as it is."""
        try:
            return str(cls(value).label)
        except ValueError:
            return value or ""

    @classmethod
    def check(cls, column: str) -> str:
        """The CHECK constraint's text: ``kind IN ('birthday', 'child_birthday', 'wedding')``."""
        return f"{column} IN ({', '.join(repr(v) for v in cls.values())})"
