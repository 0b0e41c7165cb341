"""Configuration: defaults, then ``PRACLOX_*`` environment variables, then the mapping given."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask

from praclox.clock import DEFAULT_ZONE

ENV_PREFIX = "PRACLOX_"
#: the session signing key's file in the instance folder, when ``PRACLOX_SECRET_KEY`` is not set
SECRET_KEY_FILE = "secret_key"  # noqa: S105 -- a file name, not a secret  # nosec B105


class Defaults:
    """Built-in defaults. Anything here can be overridden by ``PRACLOX_<NAME>``."""

    DATABASE_URL: str | None = None  # None: a SQLite file in instance/
    SECRET_KEY: str | None = None  # None: instance/secret_key, made by `praclox keys init`
    BASE_URL = "http://127.0.0.1:5000"
    TIMEZONE = DEFAULT_ZONE  # days, cron times and shown times (praclox/clock.py)
    DEFAULT_LOCALE = "nl"
    #: the language of the ``praclox`` command's output; empty: the shell's (LANG), else English (praclox/i18n.py)
    CLI_LOCALE = ""
    #: a web import of more rows than this streams its page: the rows done while it runs, then the result
    IMPORT_PROGRESS_ROWS = 500
    LOCALES = ("nl", "en")
    PAGE_SIZE = 25
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    SQLITE_BUSY_TIMEOUT_MS = 5000
    SCHEDULER_ENABLED = False  # the dev server and `praclox scheduler` switch it on
    SCHEDULER_LEADER_POLL_SECONDS = 15  # how often a standby scheduler checks whether the leader is gone
    #: where backups and the erasure ledger are written (None: instance/backups); several hosts share one
    BACKUP_DIR: str | None = None
    SMTP_HOST: str | None = None
    SMTP_PORT = 25
    SMTP_USER: str | None = None
    SMTP_PASSWORD: str | None = None
    SMTP_FROM = "crm@praclox.nl"
    SMTP_TIMEOUT = 10
    #: the outbox's first retry after a failed send; each further one waits twice as long (at most six hours)
    OUTBOX_FIRST_RETRY_SECONDS = 60
    PROXY_FIX = False
    PASSWORD_MIN_LENGTH = 12
    #: how long a purge or erasure retries emptying SQLite's write-ahead log while a reader blocks it
    CHECKPOINT_PATIENCE_SECONDS = 30
    #: built iCal feed bodies kept in each worker's memory (bytes)
    FEED_CACHE_BYTES = 64 * 1024 * 1024
    #: requests per minute to the registrations API, per API key and per client address (all workers together)
    API_RATE_PER_KEY = 60
    API_RATE_PER_ADDRESS = 60


def _coerce(raw: str, current: Any) -> Any:
    """Turn an environment string into the type of the default it replaces."""
    if isinstance(current, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(current, int):
        return int(raw)
    if isinstance(current, tuple | list):
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    if raw.startswith(("{", "[")):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill ``app.config`` in the order defaults, environment, overrides."""
    for name in dir(Defaults):
        if name.isupper():
            app.config[name] = getattr(Defaults, name)
    for key, raw in os.environ.items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX) :]
            app.config[name] = _coerce(raw, app.config.get(name))
    if overrides:
        app.config.update(overrides)

    try:
        ZoneInfo(app.config["TIMEZONE"])
    except (ValueError, ZoneInfoNotFoundError) as exc:
        name = app.config["TIMEZONE"]
        raise ValueError(f"TIMEZONE {name!r} is not a known time zone (e.g. Europe/Amsterdam)") from exc

    from praclox.instance_files import private_sqlite_file, read_secret, secure_folder

    instance = Path(app.instance_path)
    secure_folder(instance)  # 0700 and every file in it 0600, whatever the umask
    if not app.config.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'praclox.sqlite3'}"
    private_sqlite_file(app.config["DATABASE_URL"])
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    # a failed statement's message must not carry its parameters (names, e-mail addresses) into the log
    app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("hide_parameters", True)
    # a connection that died with a database restart is replaced on check-out, not handed to a request
    app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("pool_pre_ping", True)
    if app.config["DATABASE_URL"].startswith("postgresql"):
        # an unreachable host fails a request in seconds instead of holding a worker for minutes
        connect_args = app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("connect_args", {})
        connect_args.setdefault("connect_timeout", int(app.config.get("DATABASE_CONNECT_TIMEOUT", 5)))
    if not app.config.get("SECRET_KEY"):
        # the file `praclox keys init` (and setup, db upgrade) makes; the app itself never makes a key
        app.config["SECRET_KEY"] = read_secret(instance / SECRET_KEY_FILE)

    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not (app.debug or app.testing or app.config.get("INSECURE_COOKIES", False)),
        REMEMBER_COOKIE_HTTPONLY=True,
        BOOTSTRAP_SERVE_LOCAL=True,
        BABEL_DEFAULT_LOCALE=app.config["DEFAULT_LOCALE"],
        BABEL_DEFAULT_TIMEZONE=app.config["TIMEZONE"],
        WTF_CSRF_TIME_LIMIT=None,
    )

