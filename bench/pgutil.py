"""PostgreSQL for the benchmarks: reachable or not, and a database of their own that is dropped afterwards."""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

#: the server the benchmarks use when it answers (the team's machine has one, trust auth)
PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pg_available() -> bool:
    parts = urlsplit(PG_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=1):
            pass
    except OSError:
        return False
    try:
        import psycopg

        with psycopg.connect(_admin_url(), connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001  (any failure means: run on SQLite only)
        return False


def _admin_url() -> str:
    parts = urlsplit(PG_URL)
    return urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))


@contextmanager
def temporary_database() -> Iterator[str]:
    """A fresh database for one measurement, its SQLAlchemy URL yielded, dropped afterwards."""
    import psycopg

    name = f"praclox_bench_{os.getpid()}_{secrets.token_hex(3)}"
    parts = urlsplit(PG_URL)
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
    finally:
        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
