"""Long commands show their progress where the operator looks: a real ``praclox import offices`` of a large
file, run as a process, once with its output in a pipe (plain progress lines) and once on a terminal (a pty:
a bar with the counts and an estimate). What it prints on stdout, its counts, stays the same."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROWS = 150
PRACLOX = str(Path(sys.executable).with_name("praclox"))


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    folder = tmp_path_factory.mktemp("progress")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PRACLOX_", "FLASK_"))}
    env.update(PRACLOX_INSTANCE_PATH=str(folder), PRACLOX_DATABASE_URL=f"sqlite:///{folder / 'crm.sqlite3'}",
               PRACLOX_ENCRYPTION_KEYS=Fernet.generate_key().decode(), PRACLOX_SECRET_KEY="progress-test-key",
               PYTHONUNBUFFERED="1")
    subprocess.run([PRACLOX, "db", "upgrade"], env=env, check=True, capture_output=True, timeout=120)
    return folder, env


def _csv(path: Path, prefix: str) -> Path:
    lines = ["office,kind,city,office_email,office_phone,first_name,last_name,job_title,email,phone"]
    lines += [f"{prefix} Kantoor {n},client,Utrecht,,,Voor{n},Achter{n},,," for n in range(ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_without_a_terminal_progress_comes_as_plain_lines_on_stderr(instance):
    folder, env = instance
    done = subprocess.run([PRACLOX, "import", "offices", str(_csv(folder / "pipe.csv", "Pijp"))], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"Imported {ROWS} offices" in done.stdout and "Importing" not in done.stdout
    lines = [line for line in done.stderr.splitlines() if line.startswith("Importing offices")]
    assert lines[0].endswith(f": 0/{ROWS} (0%)") and lines[-1].endswith(f": {ROWS}/{ROWS} (100%)"), lines
    assert 5 <= len(lines) <= 15, lines  # about one line per tenth, not one per row


def test_on_a_terminal_progress_is_a_bar_with_counts_and_an_estimate(instance):
    folder, env = instance
    source = _csv(folder / "tty.csv", "Terminal")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command on the pty, as in an operator's terminal
        os.execve(PRACLOX, [PRACLOX, "import", "offices", str(source)], {**env, "COLUMNS": "100"})
    output = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    text = output.decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0, text[-2000:]
    assert f"Imported {ROWS} offices" in text
    assert f"{ROWS}/{ROWS}" in text and "#" in text  # the bar, filled, with the counts
    # the estimate appears once a step has taken a measurable time: see the next test


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_estimates_the_time_left_once_it_can():
    """click measures the time per step once a second has passed; the clock is moved here, not waited for."""
    from datetime import UTC, datetime

    import time_machine

    from praclox.progress import Progress

    screen = _Terminal()
    with time_machine.travel(datetime(2026, 1, 5, 9, tzinfo=UTC), tick=False) as clock:
        with Progress("Werk", 10, stream=screen) as bar:
            for _ in range(4):
                clock.shift(2)
                bar.advance()
    shown = screen.getvalue()
    assert "4/10" in shown and "00:00:12" in shown  # six steps to go at two seconds each


def test_the_dates_import_and_the_audit_purge_report_progress_too(app, runner, make_office, tmp_path):
    from datetime import UTC, datetime

    from praclox.audit.models import AuditEntry
    from praclox.extensions import db

    make_office("Datum Kantoor")
    rows = ["office,first_name,last_name,kind,date,person_name"]
    rows += [f"Datum Kantoor,Voor{n},Achter{n},birthday,1980-03-{n % 28 + 1:02d}," for n in range(40)]
    source = tmp_path / "dates.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = runner.invoke(args=["import", "dates", str(source)])
    assert result.exit_code == 0, result.output
    assert "Importing dates, row by row: 40/40 (100%)" in result.stderr
    assert "Importing dates" not in result.stdout and "Imported 40 dates" in result.stdout
    with app.app_context():
        db.session.add_all([AuditEntry(at=datetime(2020, 1, 1, tzinfo=UTC), action="view") for _ in range(30)])
        db.session.commit()
    purged = runner.invoke(args=["privacy", "purge-audit"])
    assert purged.exit_code == 0 and "Removing old audit entries: 30/30 (100%)" in purged.stderr, purged.output
