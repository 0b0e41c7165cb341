"""Which offices a filtered analysis counts: the conditions every office-related query adds."""

from __future__ import annotations

from typing import Any

from praclox.stats.filters import Filters


def office_conditions(office_id: Any, filters: Filters) -> list[Any]:
    """Conditions on an ``office_id`` column for the office filters; none when no office filter is given."""
    del office_id, filters
    return []
