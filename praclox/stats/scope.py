"""Which offices a filtered analysis counts, and the names of the groups it counts them in.

The office filters mean what they mean on the office list: ``praclox.offices.listing`` decides which offices
an account manager or a tag selects, so the list and the analysis never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from praclox.auth.models import User
from praclox.extensions import db
from praclox.offices.models import Office, Tag
from praclox.stats.filters import Filters

#: the group key of offices without an account manager
NO_MANAGER = "none"


def office_conditions(office_id: Any, filters: Filters) -> list[Any]:
    """Conditions on an ``office_id`` column for the office filters; none when no office filter is given."""
    if not filters.offices_narrowed:
        return []
    from praclox.offices.listing import OfficeFilter, conditions

    wanted = OfficeFilter(manager=filters.manager, tags=(filters.tag,) if filters.tag is not None else ())
    return [office_id.in_(select(Office.id).where(*conditions(wanted, None)))]


def manager_names(ids: Iterable[int | None]) -> dict[str, str]:
    """Group key -> name, by name, for account manager ids (None: offices without one, last)."""
    given = set(ids)
    found = db.session.execute(select(User.id, User.name).where(User.id.in_(given - {None}))
                               .order_by(User.name, User.id))
    names = {str(user_id): name for user_id, name in found}
    if None in given:
        names[NO_MANAGER] = _("Without account manager")
    return names


def tag_names(ids: Iterable[int]) -> dict[str, str]:
    """Group key -> name, by name, for tag ids."""
    found = db.session.execute(select(Tag.id, Tag.name).where(Tag.id.in_(set(ids))).order_by(Tag.name, Tag.id))
    return {str(tag_id): name for tag_id, name in found}
