"""What every file import shares: all lines correct or nothing saved, with every bad line reported.

A domain's importer reads its file with ``read_table``, collects a ``RowError`` per bad line and raises
``ImportRejected`` with all of them; its CLI command turns that into a clear message with ``cli_rejected``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import click
from flask_babel import LazyString, lazy_ngettext
from flask_babel import lazy_gettext as _l

from praclox.csvutil import CsvDecodeError, read_csv
from praclox.i18n import for_cli


@dataclass
class RowError:
    """One bad line of an imported file (line 1 is the header, or the file as a whole)."""

    line: int
    #: a lazy string where it can be (``joined``): said in the language of whoever reads it
    reason: Any


def joined(reasons: Sequence[Any]) -> LazyString:
    """Several reasons for one line, "; "-separated, evaluated in the reader's language when shown."""
    return LazyString(lambda: "; ".join(str(r) for r in reasons))


@dataclass
class ImportRejected(Exception):
    """The file was refused; nothing was saved."""

    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(f"line {e.line}: {e.reason}" for e in self.errors[:20])


def read_table(raw: bytes, columns: Sequence[str], required: Sequence[str],
               max_rows: int) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV file with its line numbers; raises ImportRejected when the file cannot be read,
    misses a required column, has an unknown column, has no rows or more than ``max_rows``."""
    try:
        header, rows = read_csv(raw)
    except CsvDecodeError as exc:
        raise ImportRejected([RowError(1, str(exc))]) from exc
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in columns]
    if missing or unknown:
        reasons: list[Any] = []
        if missing:
            reasons.append(_l("missing column(s): %(columns)s", columns=", ".join(missing)))
        if unknown:
            reasons.append(_l("unknown column(s): %(columns)s", columns=", ".join(unknown)))
        reasons.append(_l("(expected: %(columns)s)", columns=", ".join(columns)))
        raise ImportRejected([RowError(1, LazyString(lambda: "; ".join(str(r) for r in reasons[:-1]) + " "
                                                    + str(reasons[-1])))])
    if not rows:
        raise ImportRejected([RowError(1, _l("the file has a header but no rows"))])
    if len(rows) > max_rows:
        raise ImportRejected([RowError(1, _l("more than %(num)d rows; split the file", num=max_rows))])
    return rows


def valid_email(value: str) -> bool:
    """Whether an imported address is one the forms would accept (syntax only, nothing is looked up)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def cli_rejected(exc: ImportRejected) -> click.ClickException:
    """Print every bad line to stderr; the exception to raise (exit code 1) says nothing was imported."""
    for error in exc.errors:
        click.echo(for_cli(_l("line %(line)d: %(reason)s", line=error.line, reason=error.reason)), err=True)
    return click.ClickException(for_cli(lazy_ngettext("%(num)d bad line; nothing was imported",
                                                      "%(num)d bad lines; nothing was imported", len(exc.errors))))


def count_rows(raw: bytes) -> int:
    """About how many data rows a CSV file holds (lines after the header), for an import's progress."""
    return max(raw.count(b"\n") - (0 if raw.endswith(b"\n") else -1) - 1, 0)
