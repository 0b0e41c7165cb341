"""What every file import shares: all lines correct or nothing saved, with every bad line reported.

A domain's importer reads its file with ``read_table``, collects a ``RowError`` per bad line and raises
``ImportRejected`` with all of them; its CLI command turns that into a clear message with ``cli_rejected``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import click
from babel.lists import format_list
from flask_babel import LazyString, get_locale, lazy_ngettext
from flask_babel import lazy_gettext as _l

from praclox.csvutil import CsvDecodeError, read_csv, restore
from praclox.i18n import for_cli

#: an XLSX file is a zip archive: this much unpacked XML at most, however small the upload (a zip bomb)
XLSX_MAX_UNPACKED = 64 * 1024 * 1024


@dataclass
class RowError:
    """One bad line of an imported file (line 1 is the header, or the file as a whole)."""

    line: int
    #: a lazy string where it can be (``joined``): said in the language of whoever reads it
    reason: Any

    def __post_init__(self) -> None:
        if hasattr(self.reason, "__html__"):  # a lazy string: escaped on the page, it may quote the file
            self.reason = _PlainText(self.reason)


class _PlainText:
    """Lazy text that a template escapes: flask_babel's LazyString declares itself safe HTML (``__html__``),
    but a reason quotes the uploaded file (a date, a name), which must reach the page escaped."""

    __slots__ = ("_said",)

    def __init__(self, said: Any) -> None:
        self._said = said

    def __str__(self) -> str:
        return str(self._said)


def one_of(words: Callable[[], Iterable[Any]]) -> LazyString:
    """What a cell may say, "a, b or c", in the reader's language when shown: ``one_of(lambda: OfficeKind.values())``
    for codes, or the labels of a vocabulary."""
    return LazyString(lambda: format_list([str(w) for w in words()], style="or", locale=get_locale() or "en"))


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
               max_rows: int, aliases: Mapping[str, str] | None = None) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV (or XLSX) file with its line numbers; raises ImportRejected when the file cannot be
    read, misses a required column, has an unknown column, has no rows or more than ``max_rows``. ``aliases``
    maps other names a column may have (lower case, e.g. its translated label) to the column."""
    try:
        header, rows = read_xlsx(raw) if raw.startswith(b"PK\x03\x04") else read_csv(raw)
    except CsvDecodeError as exc:
        raise ImportRejected([RowError(1, str(exc))]) from exc
    if aliases:
        header = [aliases.get(h, h) for h in header]
        rows = [(line, {aliases.get(k, k): v for k, v in row.items()}) for line, row in rows]
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


def read_xlsx(raw: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The first sheet of an XLSX workbook as ``read_csv`` gives a CSV file: header and numbered rows, every
    cell as text (whole numbers without ``.0``). Formulas count as the value Excel last computed."""
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            if sum(item.file_size for item in archive.infolist()) > XLSX_MAX_UNPACKED:
                raise CsvDecodeError("the workbook unpacks to more than 64 MB; save it as CSV")
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except CsvDecodeError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise CsvDecodeError("the file is not a readable XLSX workbook") from exc
    try:
        lines = [[_cell_text(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()
    if not lines or not any(lines[0]):
        raise CsvDecodeError("the file is empty")
    header = [h.strip().lower() for h in lines[0]]
    while header and not header[-1]:
        header.pop()
    rows = []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if any(c.strip() for c in cells[len(header):]):
            rows.append((number, {"__extra__": "1"}))
            continue
        rows.append((number, {h: restore(cells[i].strip()) if i < len(cells) else "" for i, h in enumerate(header)}))
    return header, rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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
