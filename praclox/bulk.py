"""``column IN values`` with one bound parameter, however many values: for the set-based deletes of a purge.

With hundreds of expanded placeholders per statement, the purge's profile showed the driver splitting and
converting the query text, and psycopg dumping a Python list into an array element by element, as its
largest costs after the database's own work. One text parameter costs one string join: PostgreSQL casts it
to an array and unnests it, SQLite reads it with ``json_each``; both are still index lookups.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import String, cast, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY

from praclox.extensions import db


def _pg_array(values: list[Any]) -> str:
    """The text form of a PostgreSQL array of ints or of strings (quoted, so any string is one element)."""
    if all(type(value) is int for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    if all(type(value) is str for value in values):
        return "{" + ",".join('"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values) + "}"
    raise TypeError("in_values takes ints or strings")


def in_values(column: Any, values: Iterable[Any]) -> Any:
    """``column IN values`` as one parameter on PostgreSQL and SQLite (expanded elsewhere)."""
    values = list(values)
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        # IN (SELECT unnest(…)) rather than = ANY(…): with a table the planner believes small (tombstones
        # a purge is still adding) ANY was a sequential scan comparing every row with every value; a semi-join
        # is an index lookup per value, or at worst one hash of the values
        return column.in_(select(func.unnest(cast(literal(_pg_array(values), String()), ARRAY(column.type)))))
    if dialect == "sqlite":
        return column.in_(select(literal_column("value")).select_from(func.json_each(literal(json.dumps(values)))))
    return column.in_(values)
