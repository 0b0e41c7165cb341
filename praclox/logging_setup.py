"""Logging: one format, and no secret, search term or e-mail address in any line.

Every line the app, the dev server (werkzeug) or gunicorn writes passes ``redact``:

- a route parameter declared ``<secret:...>`` (feed tokens, signed links) is masked, wherever the path
  appears (request line, referrer, error message); the patterns are made from the app's own URL map, so a
  new token route is masked as soon as it declares its parameter secret;
- every query-string value is masked (searches are GETs: ``/offices/?q=[redacted]``); the names stay;
- e-mail addresses are masked, wherever they appear.
"""

from __future__ import annotations

import logging
import re
import string
from typing import Any

from flask import Flask
from gunicorn.glogging import Logger as GunicornBaseLogger

MASK = "[redacted]"
#: a piece of a route rule: ``<name>``, ``<converter:name>`` or ``<converter(args):name>``
_RULE_PART = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
#: what one path segment may hold in a log line (stops at the end of the path in a quoted request line)
_SEGMENT = r"[^/?#\s\"'<>]+"
#: a path starts after a space, a quote, a bracket or ``=``, at the line's start, or after ``scheme://host``
_PATH_START = r"(^|[\s\"'(\[=]|://[^/\s\"']*)"
_QUERY = re.compile(r"\?([^\s\"'#<>]*)")
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_ESCAPED = re.compile(r"%([0-9A-Fa-f]{2})")
#: percent-escapes decoded before matching, so ``/%63onsent/…`` or ``%40`` cannot slip past the patterns
_DECODE = frozenset(string.ascii_letters + string.digits + "-._~/@")

_secret_routes: dict[str, re.Pattern[str]] = {}


def _route_pattern(rule: str) -> re.Pattern[str] | None:
    """A pattern for the rule's path up to its last secret parameter: group ``s<i>`` for a secret piece,
    ``k<i>`` for a piece that is kept."""
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in _RULE_PART.finditer(rule):
        pieces.append((re.escape(rule[position:match.start()]), False))
        pieces.append((_SEGMENT, match["converter"] == "secret"))
        position = match.end()
    pieces.append((re.escape(rule[position:]), False))
    secrets_at = [i for i, (_text, secret) in enumerate(pieces) if secret]
    if not secrets_at:
        return None
    last = secrets_at[-1]
    body = "".join(f"(?P<{'s' if secret else 'k'}{i}>{text})" for i, (text, secret) in enumerate(pieces[:last]))
    # the last secret ends where the rule's next static text (".ics", "/withdraw") or the path ends
    after = pieces[last + 1][0]
    stop = "[/?#\\s\"'<>]|$"
    end = f"(?={after}(?:{stop})|{stop})" if after else f"(?={stop})"
    return re.compile(f"{_PATH_START}{body}(?P<s{last}>{_SEGMENT[:-1]}+?){end}")


def learn_routes(app: Flask) -> None:
    """Remember the app's secret route parameters; ``create_app`` calls this once every route is there."""
    for rule in app.url_map.iter_rules():
        pattern = _route_pattern(rule.rule)
        if pattern is not None:
            _secret_routes.setdefault(rule.rule, pattern)


def _mask_route(match: re.Match[str]) -> str:
    named = sorted(match.re.groupindex.items(), key=lambda item: item[1])
    return match.group(1) + "".join(MASK if name.startswith("s") else match.group(name) for name, _i in named)


def _mask_query(match: re.Match[str]) -> str:
    if not match.group(1):
        return match.group(0)
    parts = [f"{part.split('=', 1)[0]}={MASK}" if "=" in part else (MASK if part else part)
             for part in match.group(1).split("&")]
    return "?" + "&".join(parts)


def redact(text: str) -> str:
    """The text with secret route parameters, query values and e-mail addresses masked."""
    if "%" in text:
        text = _ESCAPED.sub(lambda m: chr(int(m[1], 16)) if chr(int(m[1], 16)) in _DECODE else m[0], text)
    if "/" in text:
        for pattern in list(_secret_routes.values()):
            text = pattern.sub(_mask_route, text)
    if "?" in text:
        text = _QUERY.sub(_mask_query, text)
    if "@" in text:
        text = _EMAIL.sub(MASK, text)
    return text


class RedactSecrets(logging.Filter):
    """Mask secrets in every record before it is written (see ``redact``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # format first, then mask: masking the template could eat a "%s" and break the formatting
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class RedactingGunicornLogger(GunicornBaseLogger):
    """gunicorn's logger with ``RedactSecrets`` on its access and error logs (``logger_class`` in
    ``gunicorn.conf.py``): the request line, the referrer and gunicorn's own error messages are masked."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactSecrets) for f in log.filters):
                log.addFilter(RedactSecrets())


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
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
