"""CSV in and out: decoding uploads, and exports a spreadsheet cannot be tricked by."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from flask import Response

#: a cell starting with one of these is run as a formula by spreadsheet programs
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CsvDecodeError(ValueError):
    pass


def neutralise(value: Any) -> str:
    """A cell value safe to open in a spreadsheet: a leading formula character is quoted away."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def restore(text: str) -> str:
    """A cell read back from a file this app exported: the quote ``neutralise`` put before a leading formula
    character comes off, so a round trip through a spreadsheet gives back what was exported."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], *, delimiter: str = ",") -> str:
    """CSV text; ``delimiter=";"`` is what Excel set to Dutch opens by a double click."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", delimiter=delimiter)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return buffer.getvalue()


def read_csv(raw: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Decode UTF-8 (with or without BOM), detect ``;`` or ``,`` and return header and numbered rows."""
    if b"\x00" in raw:
        raise CsvDecodeError("the file contains NUL bytes; it is not a text CSV file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvDecodeError("the file is not UTF-8 encoded") from exc
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise CsvDecodeError("the file is empty")
    first = lines[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
        rows = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                rows.append((reader.line_num, {"__extra__": "1"}))
                continue
            cells = {h: (restore(row[i].strip()) if i < len(row) else "") for i, h in enumerate(header)}
            rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise CsvDecodeError(f"the file is not valid CSV: {exc}") from exc
    return header, rows


def local_time(moment: datetime | None) -> str:
    """A stored moment (UTC) in the installation's time zone, as spreadsheets read it: ``2026-11-27 12:05:01``.

    CSV files give every time in this zone (the one the pages show) and name the zone in the column header.
    """
    if moment is None:
        return ""
    from praclox.clock import zone

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone()).strftime("%Y-%m-%d %H:%M:%S")


def time_header(label: str) -> str:
    """A time column's header naming the zone: ``tijdstip (Europe/Amsterdam)``."""
    from praclox.clock import zone

    return f"{label} ({zone().key})"


#: exactly this, once: ``Response(mimetype=...)`` would append a second charset to a value that has one
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


def csv_response(body: str, filename: str, *, bom: bool = False) -> Response:
    """A CSV download; ``bom`` puts the byte order mark first so that Excel reads the file as UTF-8."""
    return Response(("\ufeff" if bom else "") + body, content_type=CSV_CONTENT_TYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
