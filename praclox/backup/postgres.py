"""The PostgreSQL half of ``backup create``/``restore``: ``pg_dump`` and ``pg_restore`` against the app's database.

The connection comes from the app's own database URL; a password travels in ``PGPASSWORD``, never on the
command line where ``ps`` shows it. The dump is in the custom format (compressed, restored table by table
in one transaction, so a failed restore leaves the database as it was). The tools run with an argument list,
never through a shell.
"""

from __future__ import annotations

import os
import shutil
import subprocess  # nosec B404
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.engine import URL

#: a restore waits this long for a lock a running server holds, then fails instead of hanging
LOCK_TIMEOUT = "30s"


class ToolError(Exception):
    """pg_dump or pg_restore is missing or failed; the message (a lazy string) says which and why."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise ToolError(_l("%(tool)s is not installed; install the PostgreSQL client tools (Debian: postgresql-client)",
                          tool=name))
    return found


def _connection(url: URL) -> tuple[str, dict[str, str]]:
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(argv: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if done.returncode:
        reason = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
        raise ToolError(_l("%(tool)s failed: %(reason)s", tool=Path(argv[0]).name, reason=reason))


def dump(url: URL, target: Path) -> None:
    """A consistent snapshot of the database while the server keeps running (pg_dump's own transaction)."""
    dsn, env = _connection(url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target),
          "--dbname", dsn], env)


def restore(url: URL, source: Path) -> None:
    """Replace every table of the dump in the database, all or nothing."""
    dsn, env = _connection(url)
    env["PGOPTIONS"] = f"-c lock_timeout={LOCK_TIMEOUT}"
    _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
          "--exit-on-error", "--dbname", dsn, str(source)], env)
