"""Logging: one format, and no secrets in any line."""

from __future__ import annotations

import logging
import re

from flask import Flask

#: Paths whose last segment is a secret (feed tokens, signed links) are masked in access logs.
SECRET_PATH = re.compile(r"(/(?:feeds|c|consent|confirm|unsubscribe|login-link|reset|unlock)/)[^/\s?\"]+")


class RedactSecrets(logging.Filter):
    """Mask secret URL segments in every record before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        # format first, then mask: masking the template could eat a "%s" and break the formatting
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        if "/" in message:
            masked = SECRET_PATH.sub(r"\1[redacted]", message)
            if masked != message:
                record.msg, record.args = masked, None
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
