"""What an upload must be before the store takes it: not empty, not too large, its type read from its bytes and
matching the name it will be downloaded under, and no archive that unpacks into a bomb."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Collection
from pathlib import Path

#: the largest upload, in MB (the forms and their error messages say it)
MAX_MB = 10
MAX_BYTES = MAX_MB * 1024 * 1024
#: an office document (a zip) whose members together inflate past this, or that holds more entries, is refused:
#: the office program of whoever opens it would unpack all of it
MAX_INFLATED_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 1000
#: the longest file name kept; longer names are cut in the middle, never at the extension
MAX_NAME = 200

#: every type the store knows: the file name endings it may carry, and the type it is downloaded as
TYPES: dict[str, tuple[tuple[str, ...], str]] = {
    "pdf": ((".pdf",), "application/pdf"),
    "docx": ((".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": ((".odt",), "application/vnd.oasis.opendocument.text"),
    "xlsx": ((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ods": ((".ods",), "application/vnd.oasis.opendocument.spreadsheet"),
    "png": ((".png",), "image/png"),
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg"),
    "gif": ((".gif",), "image/gif"),
    "webp": ((".webp",), "image/webp"),
}
#: an OpenDocument's ``mimetype`` member says which kind it is
_OPENDOCUMENT = {b"application/vnd.oasis.opendocument.text": "odt",
                 b"application/vnd.oasis.opendocument.spreadsheet": "ods"}
#: an Office Open XML package is known by the main part it holds
_OFFICE_OPEN_XML = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
_IMAGES = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"))


class FileRejected(Exception):
    """The upload is not what it must be; ``code`` says what (``size``, ``type``, ``mismatch``, ``empty``,
    ``archive``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def stored_name(filename: str) -> str:
    """The name kept and used at download: the last path part, at most MAX_NAME characters, its extension kept."""
    name = Path(filename.replace("\\", "/")).name
    if len(name) <= MAX_NAME:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        return name[:MAX_NAME]
    return stem[:MAX_NAME - len(extension) - 1] + "." + extension


def check_archive(archive: zipfile.ZipFile) -> None:
    """Refuse a zip whose members would inflate past MAX_INFLATED_BYTES or that holds more than MAX_ENTRIES.

    The declared sizes are checked first (cheap); then every member is inflated in chunks and counted, because a
    crafted archive can declare small sizes (zipfile also stops at the declared size and checks the CRC).
    """
    members = archive.infolist()
    if len(members) > MAX_ENTRIES or sum(m.file_size for m in members) > MAX_INFLATED_BYTES:
        raise FileRejected("archive")
    total = 0
    for member in members:
        with archive.open(member) as handle:
            while chunk := handle.read(1024 * 1024):
                total += len(chunk)
                if total > MAX_INFLATED_BYTES:
                    raise FileRejected("archive")


def _sniff_zip(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
            names = set(archive.namelist())
            if "mimetype" in names:
                if archive.getinfo("mimetype").file_size > 100:
                    return None
                return _OPENDOCUMENT.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                return next((kind for part, kind in _OFFICE_OPEN_XML.items() if part in names), None)
    except FileRejected:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None
    return None


def sniff(data: bytes) -> str | None:
    """The type the bytes really are (a key of TYPES) or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return next((kind for magic, kind in _IMAGES if data.startswith(magic)), None)


def check_upload(filename: str, data: bytes, allowed: Collection[str]) -> str:
    """Return the checked type of an upload (one of ``allowed``) or raise FileRejected with the reason.

    ``filename`` must be the name that will be stored (``stored_name``): that is the name the download carries.
    """
    if not data:
        raise FileRejected("empty")
    if len(data) > MAX_BYTES:
        raise FileRejected("size")
    kind = sniff(data)
    if kind is None or kind not in allowed:
        raise FileRejected("type")
    if not filename.lower().endswith(TYPES[kind][0]):
        raise FileRejected("mismatch")
    return kind


def mimetype(kind: str) -> str:
    return TYPES[kind][1]
