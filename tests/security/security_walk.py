"""Walking every endpoint of the app with real records behind the ids: shared by the security tests."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from flask import Flask
from sqlalchemy import select

from tests.seeders import collect

ALL_ROLES = ("staff", "recruiter", "privacy_officer", "admin")


#: string arguments that name a kind of thing rather than carry a secret: a real value reaches a real page
NAMED_ARGUMENTS = {"record_type": "contacts"}


def url_for_rule(rule: Any, number: str = "1") -> str:
    """The rule's URL with ``number`` for every int argument, a real value for the arguments in
    NAMED_ARGUMENTS and a 43-character token for the others."""
    url = rule.rule
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__.lower()
        value = number if ("int" in converter or "float" in converter) else NAMED_ARGUMENTS.get(name, "x" * 43)
        url = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, url)
    return url


def rules(app: Flask, methods: tuple[str, ...] = ("GET", "POST")) -> Iterator[tuple[Any, str]]:
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (is_destructive(r), r.rule)):
        for method in sorted(set(methods) & (rule.methods or set())):
            yield rule, method


def snapshot(app: Flask, ignore: dict[str, set[str]] | None = None,
             skip_rows: dict[str, Callable[[Any], bool]] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table.

    ``ignore`` names columns per table that may change (``"*"``: the whole table); ``skip_rows`` gives per table
    a test for rows that do not count (e.g. audit entries of the action "view", which a GET may write).
    """
    from praclox.extensions import db

    ignore, skip_rows = ignore or {}, skip_rows or {}
    state = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            skip = ignore.get(table.name, set())
            if "*" in skip:
                continue
            rows = db.session.execute(select(table)).all()
            drop = skip_rows.get(table.name)
            kept = [r for r in rows if not (drop and drop(r._mapping))]
            names = [c.name for c in table.columns if c.name not in skip]
            state[table.name] = sorted((tuple(r._mapping[n] for n in names) for r in kept), key=repr)
        db.session.remove()
    return state


def is_destructive(rule: Any) -> bool:
    """Endpoints that remove the seeded records; walked last so that the others still find them."""
    return any(word in rule.rule for word in ("delete", "purge", "erase", "remove"))


#: what a GET or a refused POST may still change: the session's last-seen time
SESSION_TOUCH = {"user_sessions": {"last_seen_at"}}


def seed_records(app: Flask) -> None:
    """Records with id 1 for every domain, so that ``1`` in a URL finds something: each domain's
    ``seed_walk`` from its tests/<domain>/seeders.py (collected by tests/seeders.py)."""
    for seeder in collect("seed_walk"):
        seeder(app)
