"""Locks held by a process for as long as it lives: a job's run, the scheduler's leadership.

A lock must never outlive its holder. On PostgreSQL it is a session advisory lock on a connection of its own:
the server drops it the moment that connection ends, however the process died. On SQLite (one host, one
file) it is a row naming the holder's host, pid and process start time; a row whose process is gone is
taken over at once. A holder on another host cannot be checked from here, so its row counts until
``expires_at`` (the leader renews it on every heartbeat).
"""

from __future__ import annotations

import logging
import os
import socket
import zlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError

from praclox.clock import now
from praclox.extensions import db
from praclox.jobs.models import JobLock

log = logging.getLogger("praclox.jobs")

#: advisory lock keys live in one namespace per database: prefix ours so no other use of it collides
KEY_PREFIX = "praclox-lock:"


def _start_ticks(pid: int) -> str | None:
    """The process's start time in clock ticks (Linux), so a reused pid is not mistaken for the holder."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def this_holder() -> str:
    """``host:pid:start`` of this process."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_start_ticks(pid) or '?'}"


def holder_alive(holder: str) -> bool | None:
    """True/False for a holder on this host; None when it is on another host (cannot be checked here)."""
    host, _, rest = holder.partition(":")
    raw_pid, _, start = rest.partition(":")
    if host != socket.gethostname():
        return None
    try:
        pid = int(raw_pid)
        os.kill(pid, 0)
    except ValueError:
        return False
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return start in ("", "?") or _start_ticks(pid) in (None, start)


def describe_holder(holder: str) -> str:
    """``host pid N`` for log lines and messages (no start ticks)."""
    host, _, rest = holder.partition(":")
    return f"{host} pid {rest.partition(':')[0]}"


@dataclass
class Lease:
    """A held lock. ``alive()`` tells whether it is still ours; ``release()`` gives it up."""

    name: str
    holder: str
    conn: Any = None  # PostgreSQL: the connection whose session holds the advisory lock
    key: int = 0

    def alive(self, ttl: timedelta | None = None) -> bool:
        """Still held? On SQLite also renews the row's expiry by ``ttl`` (a heartbeat)."""
        if self.conn is not None:
            try:
                self.conn.execute(text("SELECT 1"))
                self.conn.commit()
                return True
            except Exception:  # the connection is gone, and with it the advisory lock
                log.warning("lock %s lost with its database connection", self.name)
                return False
        values: dict[str, Any] = {"expires_at": now() + ttl} if ttl else {"holder": self.holder}
        renewed = db.session.execute(
            update(JobLock).where(JobLock.name == self.name, JobLock.holder == self.holder).values(**values)
        ).rowcount
        db.session.commit()
        return bool(renewed)

    def release(self) -> None:
        if self.conn is not None:
            try:
                self.conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
                self.conn.commit()
            except Exception:  # noqa: S110 -- a dead connection has released it already  # nosec B110
                pass
            finally:
                self.conn.close()
            return
        db.session.rollback()
        db.session.execute(JobLock.__table__.delete().where(JobLock.name == self.name,
                                                            JobLock.holder == self.holder))
        db.session.commit()


def try_lock(name: str, ttl: timedelta = timedelta(hours=2)) -> Lease | None:
    """Take the named lock now, or None if a live process holds it (never waits)."""
    if db.engine.dialect.name == "postgresql":
        return _advisory(name)
    return _row_lock(name, ttl)


def current_holder(name: str) -> str | None:
    """Who holds the named lock, as far as this database can tell (SQLite rows; None on PostgreSQL)."""
    return db.session.scalar(select(JobLock.holder).where(JobLock.name == name))


def _advisory(name: str) -> Lease | None:
    key = zlib.crc32((KEY_PREFIX + name).encode())
    conn = db.engine.connect()
    try:
        got = bool(conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}))
        conn.commit()
    except Exception:
        conn.close()
        raise
    if not got:
        conn.close()
        return None
    return Lease(name, this_holder(), conn, key)


def _row_lock(name: str, ttl: timedelta, *, retry: bool = True) -> Lease | None:
    me, moment = this_holder(), now()
    db.session.rollback()
    try:
        db.session.add(JobLock(name=name, holder=me, acquired_at=moment, expires_at=moment + ttl))
        db.session.commit()
        return Lease(name, me)
    except IntegrityError:
        db.session.rollback()
    row = db.session.execute(select(JobLock.holder, JobLock.expires_at).where(JobLock.name == name)).first()
    if row is None:  # released in between: try once more
        return _row_lock(name, ttl, retry=False) if retry else None
    alive = holder_alive(row.holder)
    if alive or (alive is None and row.expires_at > moment):
        return None
    # the holder is gone: take its row over, unless another process was quicker
    taken = db.session.execute(
        update(JobLock).where(JobLock.name == name, JobLock.holder == row.holder)
        .values(holder=me, acquired_at=moment, expires_at=moment + ttl)
    ).rowcount
    db.session.commit()
    if taken:
        log.warning("lock %s taken over from %s, which is no longer running", name, describe_holder(row.holder))
        return Lease(name, me)
    return None
