"""Helpers of the fault tests (issue 17) on top of the operator tier (conftest.py): long-running ``praclox``
processes, helper scripts in an installation's environment, reading its database as an operator would, and
cutting a PostgreSQL database off from its clients."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from operator_http import stop_gracefully

ROOT = Path(__file__).resolve().parents[2]
PRACLOX = str(Path(sys.executable).parent / "praclox")
PG_URL = os.environ.get("PRACLOX_TEST_DATABASE_URL", "")
#: the tier's ``Instance`` (conftest.py); not imported, as two conftest modules share that name
Instance = Any


def pg_admin_dsn() -> str:
    """The libpq form of the suite's PostgreSQL URL (psycopg does not take the ``+psycopg`` scheme)."""
    parts = urllib.parse.urlsplit(PG_URL)
    return urllib.parse.urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))


def pg_execute(sql: str) -> None:
    import psycopg

    with psycopg.connect(pg_admin_dsn(), autocommit=True) as conn:
        conn.execute(sql)


def _name(instance: Instance) -> str:
    assert instance.database_url, "a PostgreSQL installation"
    return urllib.parse.urlsplit(instance.database_url).path.lstrip("/")


def block_database(instance: Instance) -> None:
    """The outage: no new connections to the installation's database, and every open one cut."""
    name = _name(instance)
    pg_execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    pg_execute(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")


def unblock_database(instance: Instance) -> None:
    pg_execute(f'ALTER DATABASE "{_name(instance)}" ALLOW_CONNECTIONS true')


def query(instance: Instance, sql: str) -> list[tuple[Any, ...]]:
    """Read the installation's database directly, as an operator with psql or sqlite3 would."""
    from sqlalchemy import create_engine, text

    engine = create_engine(instance.database_url or f"sqlite:///{instance.database}")
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def write(instance: Instance, sql: str, **params: Any) -> None:
    """Change the installation's database directly, as an operator restoring a table from a backup would."""
    from sqlalchemy import create_engine, text

    engine = create_engine(instance.database_url or f"sqlite:///{instance.database}")
    try:
        with engine.begin() as conn:
            conn.execute(text(sql), params)
    finally:
        engine.dispose()


def run_python(instance: Instance, script: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """A helper script (or a wrapper of the CLI) in the installation's environment."""
    return subprocess.run([sys.executable, str(script), *args], env={**instance.env, "PYTHONPATH": str(ROOT)},
                          cwd=instance.path.parent, capture_output=True, text=True, timeout=timeout, check=False)


@dataclass
class Process:
    """A ``praclox`` process left running (a purge, a scheduler); its output goes to a file."""

    proc: subprocess.Popen
    log_path: Path
    handle: Any

    @classmethod
    def spawn(cls, instance: Instance, *args: str, log_name: str, env: dict[str, str] | None = None) -> Process:
        log_path = instance.path.parent / log_name
        handle = log_path.open("wb")
        proc = subprocess.Popen([PRACLOX, *args], env={**instance.env, **(env or {})},
                                cwd=instance.path.parent, stdout=handle, stderr=subprocess.STDOUT,
                                start_new_session=True)
        return cls(proc, log_path, handle)

    @classmethod
    def spawn_python(cls, instance: Instance, script: Path, *args: str, log_name: str) -> Process:
        """A helper script (a wrapper of the CLI) left running, like ``spawn``."""
        log_path = instance.path.parent / log_name
        handle = log_path.open("wb")
        proc = subprocess.Popen([sys.executable, str(script), *args], env={**instance.env, "PYTHONPATH": str(ROOT)},
                                cwd=instance.path.parent, stdout=handle, stderr=subprocess.STDOUT,
                                start_new_session=True)
        return cls(proc, log_path, handle)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output())
            if found:
                return found
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"{pattern!r} not in the output (exit {self.proc.poll()}):\n{self.output()}")

    def kill9(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.handle.close()

    def stop(self) -> None:
        stop_gracefully(self.proc)
        self.handle.close()
