"""Long commands show their progress where the operator looks: a real ``praclox import offices`` of a large
file, run as a process, once with its output in a pipe (plain progress lines) and once on a terminal (a pty:
a bar with the counts and an estimate). What it prints on stdout, its counts, stays the same."""

from __future__ import annotations

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
    assert f"Imported {ROWS} office(s)" in done.stdout and "Importing" not in done.stdout
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
    assert f"Imported {ROWS} office(s)" in text
    assert f"{ROWS}/{ROWS}" in text and "#" in text  # the bar, filled, with the counts
    assert "eta" in text.lower() or "00:0" in text  # click's estimate of the time left
