"""Data in and out: office exports (CSV, XLSX, vCard), possible duplicates, and merging them."""

from __future__ import annotations

from praclox.dataio import views
from praclox.domain import Domain

DOMAIN = Domain(
    name="dataio",
    blueprints=(views.bp,),
)
