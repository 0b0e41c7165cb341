"""Paged lists: the page number comes from the query string, so any number must give a page, never a 500."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_sqlalchemy.pagination import Pagination

from praclox.extensions import db

#: far past any real list, and small enough that page × page size stays a 64-bit database integer
MAX_PAGE = 10**6


def paginate(statement: Any, per_page: int, *, count: bool = True, total: int | None = None) -> Pagination:
    """One page of ``statement``: ``?page=`` below 1 or unreadable is page 1, past the end is the last page.

    The page size is the caller's; ``?per_page=`` is not read. ``total``: the number of rows, counted by the
    caller more cheaply than by wrapping ``statement`` (whose sort may join what the count does not need).
    """
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    if total is not None:
        page = min(page, max(1, -(-total // per_page)))
        result = db.paginate(statement, page=page, per_page=per_page, error_out=False, count=False)
        result.total = total
        return result
    result = db.paginate(statement, page=page, per_page=per_page, error_out=False, count=count)
    if count and result.pages and page > result.pages:
        result = db.paginate(statement, page=result.pages, per_page=per_page, error_out=False, count=count)
    return result


def bounded_int(name: str, *, maximum: int = 2**31 - 1) -> int | None:
    """A positive whole number (an id) from the query string, or None when it is missing or out of range."""
    value = request.args.get(name, type=int)
    return value if value is not None and 1 <= value <= maximum else None
