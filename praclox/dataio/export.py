"""The export files: CSV that Excel opens by double-click, XLSX, and vCard 4.0 for phones and mail clients.

Every text cell is neutralised against formula injection: in CSV a leading ``= + - @`` gets a quote
(``csvutil.neutralise``, which the import takes off again); in XLSX the cell is stored as text with Excel's
"quote prefix" style, so it shows as typed and stays text when someone edits it.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from praclox import phones
from praclox.csvutil import FORMULA_START, write_csv
from praclox.offices.columns import VCARD
from praclox.offices.models import Contact

#: the separator Excel expects by double-click: Dutch Windows lists use ";", English ones ","
DELIMITERS = {"nl": ";", "en": ","}
#: contacts' vCard UIDs: stable per contact, so a phone updates a card instead of adding a second one
UID_NAMESPACE = uuid.UUID("1b1f6d0e-3a2c-5d7e-9f00-0f1ce5c0a7a1")


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], language: str) -> bytes:
    """UTF-8 with a byte order mark (without it Excel reads the file as ANSI), separated as the language's
    Excel expects."""
    body = write_csv(header, rows, delimiter=DELIMITERS.get(language, ","))
    return ("\ufeff" + body).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str) -> bytes:
    """One sheet, the header in row 1; numbers stay numbers, every text is a text cell."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"

    def cell(value: Any) -> Any:
        if isinstance(value, int) or value is None or value == "":
            return value if value != "" else None
        text = str(value)
        if not text.startswith(FORMULA_START):
            return text
        item = WriteOnlyCell(sheet, value=text)
        item.data_type = "s"  # openpyxl would store "=..." as a formula
        item.quotePrefix = True
        return item

    sheet.append([cell(h) for h in header])
    for row in rows:
        sheet.append([cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- vCard 4.0 (RFC 6350), written by hand: a dozen properties do not need a library ----------------------


def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (never inside a character)."""
    if len(line) <= 25 or len(line.encode("utf-8")) <= 75:
        return line
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > 75:
            out.append(current.decode("utf-8"))
            current = b" "
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n".join(out)


def _tel(kind: str, number: str | None) -> str | None:
    if not number:
        return None
    normal = phones.normalise(number)
    if normal:
        return f'TEL;VALUE=uri;TYPE="{kind}":tel:+{normal}'
    return f'TEL;VALUE=text;TYPE="{kind}":{_escape(number)}'


def _address(office: Any) -> list[str]:
    if not (office.visit_street or office.visit_city):
        return []
    return ["ADR;TYPE=work:;;" + ";".join(_escape(v or "") for v in (
        office.visit_street, office.visit_city, None, office.visit_postcode)) + ";"]


#: how each declared property (``praclox.offices.columns.VCARD``) is written: a card holds exactly those
_PROPERTIES: dict[str, Callable[[Contact], list[str]]] = {
    "UID": lambda c: [f"UID:urn:uuid:{uuid.uuid5(UID_NAMESPACE, f'contact:{c.id}')}"],
    "FN": lambda c: [f"FN:{_escape(c.full_name)}"],
    "N": lambda c: [f"N:{_escape(c.last_name)};{_escape(c.first_name)};;;"],
    "ORG": lambda c: [f"ORG:{_escape(c.office.name)}"],
    "TITLE": lambda c: [f"TITLE:{_escape(c.job_title)}"] if c.job_title else [],
    "EMAIL": lambda c: [f"EMAIL;TYPE=work:{_escape(c.email)}"] if c.email else [],
    "TEL": lambda c: [t for t in (_tel("work,voice", c.phone), _tel("cell", c.mobile)) if t],
    "ADR": lambda c: _address(c.office),
}


def contact_card(contact: Contact) -> str:
    """A contact as phones and mail clients read it: the properties ``columns.VCARD`` declares (name, office,
    job title, e-mail, numbers and the office's visiting address), which the processing register lists too."""
    lines = ["BEGIN:VCARD", "VERSION:4.0", "KIND:individual"]
    for name in VCARD:
        lines += _PROPERTIES[name](contact)
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)


def vcard_bytes(contacts: Iterable[Contact]) -> bytes:
    return "".join(contact_card(c) for c in contacts).encode("utf-8")
