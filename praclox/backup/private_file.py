"""Writing a file whole or not at all, readable by this user only: for backups and the erasure ledger."""

from __future__ import annotations

import os
from pathlib import Path


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` as ``path``: into a 0600 file aside, fsynced, then renamed into place, so a crash leaves
    the old file or the new one, never half of either."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)  # a crashed write's leftover: made anew, so the mode is this one
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    return path
