"""The i18n tests walk the pages with the security walks' seeders (tests/security/security_walk.py)."""

from __future__ import annotations

import sys
from pathlib import Path

SECURITY = str(Path(__file__).resolve().parent.parent / "security")
if SECURITY not in sys.path:
    sys.path.append(SECURITY)
