"""Write paths of data in and out: the audit record of an export. (Merging lives in ``merge.py``.)"""

from __future__ import annotations

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.offices.columns import SOURCES


def record_export(*, fmt: str, rows: int, office_id: int | None = None, actor: User | None) -> None:
    """Audit an office export: who, which columns (by name, never a value), how many rows, and the office
    when it held one. The caller commits before handing out the file."""
    columns = [key for key, (_table, column) in SOURCES.items() if column != "id"]
    if fmt == "vcf":
        columns = [c for c in columns if c not in {"kind", "website", "kvk_number", "office_phone", "office_email"}]
    audit("export", None, actor=actor, record_type="offices", record_id=office_id,
          fields=[SOURCES[c][1] for c in columns], row_count=rows)
