"""Test support shared by every test folder, imported as ``praclox_testsupport`` (tests/ is on sys.path).

Kept out of conftest.py so that test modules never need ``from conftest import``, which resolves to
whichever conftest was loaded last once several folders have one.

The log of the whole run is scanned for the test data's personal data and secrets (issue 7): every log
record of the run is kept (formatted, with its traceback); the factories in conftest.py and the tests that
make tokens call ``remember_secret``; at the end of the run any remembered string that appears in a log line
fails the run. Strings shorter than 6 characters are not remembered (they would match by chance).
"""

from __future__ import annotations

import logging
from typing import Any

TEST_PASSWORD = "correct horse battery staple 42"  # noqa: S105

#: unique strings of the test data that must never reach a log line
SECRETS: set[str] = {TEST_PASSWORD}
#: loggers of test servers (the local SMTP server logs its own traffic), not of the application
FOREIGN_LOGGERS = ("mail.log",)


def remember_secret(value: Any) -> Any:
    """Note a test value that must never appear in the log; returns it unchanged."""
    if isinstance(value, str) and len(value.strip()) >= 6:
        SECRETS.add(value.strip())
    return value


class RunLog(logging.Handler):
    """Keeps every log line of the run, the way a formatter would write it."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(FOREIGN_LOGGERS):
            return
        try:
            self.lines.append(self.format(record))
        except Exception:  # noqa: BLE001  (a broken record must not break the run)
            self.lines.append(f"unformattable record from {record.name}")


RUN_LOG = RunLog()


def leaks(lines: list[str], secrets_: set[str]) -> list[tuple[str, str]]:
    """Each (secret, line) where a remembered secret appears in a log line (case-insensitive)."""
    lowered = [(line, line.lower()) for line in lines]
    return [(secret, line) for secret in sorted(secrets_) for line, low in lowered if secret.lower() in low]


def open_login_link(client: Any, token: str) -> Any:
    """Use a client-area login link as a browser does: open it (GET), then press its button (POST with the
    page's nonce; the test client sends the nonce cookie the GET set). Returns the POST's response."""
    import re

    page = client.get(f"/client/login/{token}")
    found = re.search(r'name="nonce" value="([^"]+)"', page.get_data(as_text=True))
    return client.post(f"/client/login/{token}", data={"nonce": found.group(1) if found else ""})
