"""Praclox CRM."""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
#: templates/, static/ and migrations/ as a built package carries them (setup.py copies them here)
SHIPPED = Path(__file__).resolve().parent / "_shipped"


def resource_dir(name: str) -> Path:
    """``templates``, ``static`` or ``migrations``: the checkout's folder, else the installed package's copy."""
    checkout = ROOT / name
    if (ROOT / "setup.cfg").is_file() and checkout.is_dir():
        return checkout
    return SHIPPED / name

#: Domain packages, each with a ``domain.py`` whose ``DOMAIN`` declares what it contributes (praclox/domain.py).
#: A new domain is its package plus one line here.
DOMAINS = (
    "praclox.main",
    "praclox.audit",
    "praclox.privacy",
    "praclox.auth",
    "praclox.admin",
    "praclox.jobs",
    "praclox.settings",
    "praclox.outbox",
    "praclox.files",
    "praclox.backup",
    "praclox.offices",
    "praclox.dates",
    "praclox.registrations",
    "praclox.wishes",
    "praclox.followups",
    "praclox.attachments",
    "praclox.timeline",
    "praclox.dataio",
    "praclox.search",
    "praclox.client",
    "praclox.applicants",
    "praclox.stats",
)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Flask application: configuration, extensions, domains. It only wires: it makes no key and
    reads no stored data."""
    from praclox import compression, crypto, logging_setup, security, urls
    from praclox import config as config_module
    from praclox.db import install_sqlite_pragmas
    from praclox.domain import wire
    from praclox.extensions import babel, bootstrap, csrf, db, login_manager, migrate
    from praclox.i18n import select_locale, translation_directories

    # an installed package has no checkout around it: then instance/ is where the command runs
    default_instance = ROOT / "instance" if (ROOT / "setup.cfg").is_file() else Path.cwd() / "instance"
    instance = (config or {}).get("INSTANCE_PATH") or os.environ.get("PRACLOX_INSTANCE_PATH") or default_instance
    app = Flask(
        __name__,
        instance_path=str(Path(instance).resolve()),
        template_folder=str(resource_dir("templates")),
        static_folder=str(resource_dir("static")),
    )
    if config and config.get("TESTING"):
        app.testing = True
    config_module.load_config(app, config)
    logging_setup.init_app(app)

    crypto.init_app(app)
    db.init_app(app)
    with app.app_context():
        install_sqlite_pragmas(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(resource_dir("migrations")), render_as_batch=True, compare_type=True)
    from praclox.privacy.cli import db_cli

    app.cli.add_command(db_cli(), "db")  # Flask-Migrate's commands; `db upgrade` makes and checks the keys
    login_manager.init_app(app)
    csrf.init_app(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories()
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)

    urls.init_app(app)  # the <secret:...> converter, before any route names it
    wire(app, tuple(import_module(f"{name}.domain").DOMAIN for name in DOMAINS))
    security.init_app(app)
    compression.init_app(app)
    logging_setup.learn_routes(app)  # the access-log redaction masks every <secret:...> route parameter
    # no key is made or checked here: `praclox keys init` (setup, db upgrade) makes them; the web server
    # (gunicorn.conf.py, wsgi.py) and the scheduler refuse to start without them (praclox.privacy.keys)
    return app
