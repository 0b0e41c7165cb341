"""Paged lists: the page number comes from the query string, so any number must give a page, never a 500."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_sqlalchemy.pagination import Pagination, SelectPagination

from praclox.extensions import db

#: far past any real list, and small enough that page × page size stays a 64-bit database integer
MAX_PAGE = 10**6


class RowPagination(SelectPagination):
    """A page of a statement's rows (several columns each), not of its first column's objects: a list that shows
    a few columns reads those, not whole records."""

    def _query_items(self) -> list[Any]:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())


def paginate(statement: Any, per_page: int, *, count: bool = True, total: int | None = None,
             rows: bool = False) -> Pagination:
    """One page of ``statement``: ``?page=`` below 1 or unreadable is page 1, past the end is the last page.

    The page size is the caller's; ``?per_page=`` is not read. ``total``: the number of rows, counted by the
    caller more cheaply than by wrapping ``statement`` (whose sort may join what the count does not need).
    ``rows``: the page's items are the statement's rows (tuples of its columns) instead of its first column.
    """
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), MAX_PAGE)
    kind = RowPagination if rows else SelectPagination

    def one(number: int, counted: bool) -> Pagination:
        return kind(select=statement, session=db.session(), page=number, per_page=per_page, max_per_page=100,
                    error_out=False, count=counted)

    if total is not None:
        result = one(min(page, max(1, -(-total // per_page))), False)
        result.total = total
        return result
    result = one(page, count)
    if count and result.pages and page > result.pages:
        result = one(result.pages, count)
    return result


def bounded_int(name: str, *, maximum: int = 2**31 - 1) -> int | None:
    """A positive whole number (an id) from the query string, or None when it is missing or out of range."""
    value = request.args.get(name, type=int)
    return value if value is not None and 1 <= value <= maximum else None
