"""Logging: one format, and no secrets in any line."""

from __future__ import annotations

import logging
import re

from flask import Flask

#: Paths whose last segment is a secret (feed tokens, signed links) are masked in access logs.
SECRET_PATH = re.compile(r"(/(?:feeds|c|consent|confirm|unsubscribe|login-link|reset)/)[^/\s?\"]+")


class RedactSecrets(logging.Filter):
    """Mask secret URL segments in every record before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "/" in record.msg:
            record.msg = SECRET_PATH.sub(r"\1[redacted]", record.msg)
        if record.args:
            record.args = tuple(
                SECRET_PATH.sub(r"\1[redacted]", a) if isinstance(a, str) else a for a in record.args
            ) if isinstance(record.args, tuple) else record.args
        return True


def init_app(app: Flask) -> None:
    level = app.config.get("LOG_LEVEL", "INFO")
    root = logging.getLogger()
    if not any(isinstance(f, RedactSecrets) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        handler.addFilter(RedactSecrets())
        if not app.testing:
            root.addHandler(handler)
    root.setLevel(level)
    for name in ("werkzeug", "gunicorn.access"):
        logging.getLogger(name).addFilter(RedactSecrets())
