"""Search: one box for offices, contacts and contact moments, through a keyed blind index."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from praclox.domain import Domain, Nav, roles
from praclox.search import index, privacy, views
from praclox.search.cli import search_cli

STAFF = roles("staff", "admin")


def _setup(_app: Any) -> None:
    index.listen()


DOMAIN = Domain(
    name="search",
    blueprints=(views.bp,),
    cli=(search_cli,),
    nav=(Nav(_l("Search"), "search.index", STAFF, order=15),),
    privacy=privacy,
    file_rotators=(index.search_index,),
    setup=_setup,
)
