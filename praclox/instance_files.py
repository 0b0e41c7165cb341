"""The instance folder is private: the folder and every folder in it 0700, every file 0600, whatever the
umask of the shell that started the process.

SQLite creates its ``-wal`` and ``-shm`` files with the mode of the database file, so creating the database
file 0600 before SQLite opens it keeps all three private; an existing installation is tightened at start.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def _tighten(path: Path, mode: int) -> bool:
    """Set ``mode`` on a path we own; True when it changed."""
    try:
        current = path.lstat()
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(current.st_mode) or stat.S_IMODE(current.st_mode) == mode:
        return False
    try:
        os.chmod(path, mode)
    except PermissionError:  # not ours (a mounted folder): say so instead of stopping the app
        log.warning("cannot make %s private (mode %o): not owned by this user", path.name, mode)
        return False
    return True


def secure_folder(folder: Path) -> None:
    """Create ``folder`` if needed and make it and everything in it private."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    changed = int(_tighten(folder, FOLDER_MODE))
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            changed += _tighten(Path(root, name), FOLDER_MODE)
        for name in files:
            changed += _tighten(Path(root, name), FILE_MODE)
    if changed:
        log.info("made %d path(s) in the instance folder private (folders 0700, files 0600)", changed)


def private_sqlite_file(database_url: str) -> None:
    """Create a SQLite database file 0600 before SQLite does (it would use 0644 less the umask)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    path = Path(url.database)
    if not path.exists():
        path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        _tighten(candidate, FILE_MODE)


def private_folder(path: Path) -> Path:
    """``mkdir`` for a folder inside the instance folder: 0700 whatever the umask."""
    path.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    _tighten(path, FOLDER_MODE)
    return path


def read_secret(path: Path) -> str | None:
    """A secret kept in a file of the instance folder, or None while it has not been made."""
    return path.read_text().strip() if path.exists() else None


def write_secret(path: Path, value: str) -> None:
    """Write a new secret file, mode 0600 from the start; an existing file is never overwritten."""
    path.parent.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
