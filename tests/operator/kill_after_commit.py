"""``python kill_after_commit.py <praclox arguments>``: the praclox CLI, killed with SIGKILL by the operating
system's signal the moment a transaction that deleted a document row has committed — the crash between a
commit and the file removal that follows it. Nothing of praclox is changed; only the timing of the kill."""

from __future__ import annotations

import os
import signal
import sys

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

deleted = {"document": False}


@event.listens_for(Engine, "after_cursor_execute")
def _note_document_delete(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001
    if statement.lstrip().upper().startswith("DELETE FROM APPLICANT_DOCUMENTS"):
        deleted["document"] = True


@event.listens_for(Session, "after_commit")
def _kill_after_that_commit(session):  # noqa: ANN001, ARG001
    if deleted["document"]:
        os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    from praclox.cli import main

    sys.argv = ["praclox", *sys.argv[1:]]
    main()
