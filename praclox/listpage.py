"""What a list page needs for each of its rows, worked out once per page instead of once per row.

The list pages (offices, contacts, follow-ups, timeline) showed 25 rows with a ``url_for``, a Babel date format
and several ``gettext`` look-ups each; those were most of a list's own CPU time (issue 16). Here a link is
an URL prefix built once and joined to each row's id, a date is formatted once per distinct day, and a label
is translated once per page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import format_date
from markupsafe import Markup, escape

#: ids no row has, that each URL converter for ids accepts: where they stand in a built URL, a row's ids go
_SENTINELS = (2**31 - 1, 2**31 - 2, 2**31 - 3)


def url_maker(endpoint: str, *keys: str, **values: Any) -> Callable[..., str]:
    """``url_for(endpoint, **values)`` with the ``keys`` (id arguments) given per row, from one ``url_for`` call:
    ``url_maker(".contact", "office_id", "contact_id")(3, 7)`` is ``url_for(".contact", office_id=3,
    contact_id=7)``."""
    url = url_for(endpoint, **values, **dict(zip(keys, _SENTINELS, strict=False)))
    pattern = url.replace("{", "{{").replace("}", "}}")
    for number, sentinel in enumerate(_SENTINELS[:len(keys)]):
        pattern = pattern.replace(str(sentinel), f"{{{number}}}")
    return pattern.format


def day_texts() -> Callable[[date | None], str]:
    """``format_date`` (the ``dateformat`` filter's medium format) with one Babel call per distinct day; "—"
    for no day."""
    done: dict[date, str] = {}

    def text(day: date | None) -> str:
        if day is None:
            return "—"
        found = done.get(day)
        if found is None:
            found = done[day] = format_date(day)
        return found

    return text


def filled(pattern: str, **values: Any) -> Markup:
    """A translated pattern (``gettext`` once per page) filled in per row, every value escaped."""
    return escape(pattern) % values  # the escaped pattern is Markup, whose % escapes each value
