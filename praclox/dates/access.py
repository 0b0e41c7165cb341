"""Who may see personal dates: one rule for the pages, the calendar feeds and the reminder mails."""

from __future__ import annotations

from praclox.auth.models import User

#: the roles that work with contacts' personal dates
DATE_ROLES = ("staff", "admin")


def may_see_personal_dates(user: User | None) -> bool:
    """An active user with a role that works with personal dates; a feed or a digest of anyone else is refused."""
    return user is not None and user.active and user.has_role(*DATE_ROLES)
