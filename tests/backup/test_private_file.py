"""Backups and the trimmed erasure ledger are written by one helper: whole or not at all, mode 0600.

Judged on the files an operator finds in the backup folder: their bytes, their modes, no leftovers.
"""

from __future__ import annotations

import os
import re
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import time_machine

from praclox.backup import ledger
from praclox.backup.private_file import write_private
from praclox.extensions import db

UTC = timezone.utc  # noqa: UP017


@pytest.fixture
def open_umask():
    """Every process at umask 000: the modes must come from the code, not from the operator's shell."""
    old = os.umask(0)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_backup_is_0600_with_no_partial_file_beside_it(app, runner, open_umask):
    made = runner.invoke(args=["backup", "create"])
    assert made.exit_code == 0, made.output
    written = Path(re.search(r"backup written: (\S+)", made.output).group(1))
    assert _mode(written) == 0o600
    assert [p.name for p in written.parent.iterdir() if p.name.endswith(".partial")] == []


def test_a_trimmed_ledger_is_0600_and_replaces_what_a_crashed_trim_left(app, make_office, open_umask):
    from praclox.offices.models import Office

    start = datetime.now(UTC)
    for day, name in ((0, "Kantoor Oud"), (10, "Kantoor Nieuw")):
        with time_machine.travel(start + timedelta(days=day), tick=False), app.test_request_context():
            office_id = make_office(name)
            ledger.note("offices", [office_id])
            db.session.delete(db.session.get(Office, office_id))
            db.session.commit()
    with app.app_context():
        path = ledger.ledger_path()
        leftover = path.with_name(path.name + ".partial")
        leftover.write_bytes(b"half a ledger from a trim that was killed")
        leftover.chmod(0o644)
        assert ledger.trim(start + timedelta(days=5)) == 1
        lines = path.read_bytes().splitlines()
    assert len(lines) == 1 and b"half a ledger" not in path.read_bytes()
    assert _mode(path) == 0o600 and not leftover.exists()


def test_a_write_that_fails_leaves_the_old_file_and_no_partial(tmp_path, open_umask):
    target = tmp_path / "erasure-ledger"
    write_private(target, b"the old ledger\n")
    with pytest.raises(TypeError):
        write_private(target, "not bytes")  # type: ignore[arg-type]  (the write itself fails)
    assert target.read_bytes() == b"the old ledger\n" and _mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["erasure-ledger"]
