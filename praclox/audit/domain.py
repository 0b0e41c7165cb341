"""The audit trail: who did what to which record, never the values (its pages live in privacy)."""

from __future__ import annotations

from praclox.audit import models  # noqa: F401  (the table)
from praclox.domain import Domain

DOMAIN = Domain(name="audit")
