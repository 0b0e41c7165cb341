"""``python fault_after_commit.py kill|stop TABLE <praclox arguments>``: the praclox CLI, sent SIGKILL (a crash)
or SIGSTOP (a hung process that still holds its locks) by the operating system the moment the first
transaction that deleted rows of TABLE has committed. Nothing of praclox is changed; only the timing of the
signal, which a test could not hit reliably from outside."""

from __future__ import annotations

import os
import signal
import sys

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

SIGNALS = {"kill": signal.SIGKILL, "stop": signal.SIGSTOP}
action, table = sys.argv[1], sys.argv[2].upper()
deleted = {"rows": False, "committed": False}


@event.listens_for(Engine, "after_cursor_execute")
def _note_delete(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001
    words = statement.split()
    if [w.upper() for w in words[:3]] == ["DELETE", "FROM", table]:
        deleted["rows"] = True


@event.listens_for(Engine, "commit")
def _note_commit(conn):  # noqa: ANN001
    # the transaction's own commit (a savepoint's release is another event); it is about to reach the database
    if deleted["rows"]:
        deleted["committed"] = True


@event.listens_for(Pool, "checkin")
def _signal_after_that_commit(dbapi_connection, connection_record):  # noqa: ANN001, ARG001
    # the connection comes back to the pool only after the commit went through
    if deleted["committed"]:
        deleted["rows"] = deleted["committed"] = False
        os.kill(os.getpid(), SIGNALS[action])


if __name__ == "__main__":
    from praclox.cli import main

    sys.argv = ["praclox", *sys.argv[3:]]
    main()
