"""What a worker would otherwise build on its first requests, built before it takes any (gunicorn's
``post_worker_init``, see gunicorn.conf.py).

A fresh worker compiled every template a page uses, parsed the translation catalogues of each language and
read and expanded the dashboard's 30-day window on the request that first needed them: the first dashboard a
worker served cost several times a warm one, and with four workers those first renders were the load test's
p99 (bench/README.md). Warming is best effort: a failure is logged and the worker serves as before.
"""

from __future__ import annotations

import logging
import time
from typing import Any

log = logging.getLogger(__name__)


def warm(app: Any, alive: Any = None) -> dict[str, float]:
    """Compile the templates, load each language's catalogues and keep today's dashboard agenda and panel.
    Returns the milliseconds each part took (for the log line and the benchmark). ``alive`` is called between
    the parts (gunicorn's ``worker.notify``: a worker silent for ``timeout`` seconds is restarted, and on a
    loaded machine warming takes seconds: ~1.2 s of CPU, 6-8 s of wall clock at load 13)."""
    spent: dict[str, float] = {}
    for part in (_templates, _catalogues, _agenda):
        if alive is not None:
            alive()
        started = time.perf_counter()
        try:
            part(app)
        except Exception:  # noqa: BLE001  (a worker that could not warm still serves; the cost is its first request)
            log.warning("warming %s failed", part.__name__.strip("_"), exc_info=True)
        spent[part.__name__.strip("_")] = (time.perf_counter() - started) * 1000
    return spent


def _templates(app: Any) -> None:
    env = app.jinja_env
    for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".txt"))):
        env.get_template(name)


def _catalogues(app: Any) -> None:
    from flask_babel import force_locale, get_translations, gettext

    with app.test_request_context():
        for locale in app.config["LOCALES"]:
            with force_locale(locale):
                get_translations()
                gettext("Dashboard")


def _agenda(app: Any) -> None:
    """Today's window, and the dates panel rendered once per language (the panel is kept per worker)."""
    from flask_babel import force_locale

    from praclox.clock import today
    from praclox.dates import agenda, dashboard
    from praclox.extensions import db

    with app.test_request_context():
        try:
            built = agenda.build(today())
            for locale in app.config["LOCALES"]:
                with force_locale(locale):
                    dashboard.panel_html(built)
        finally:
            db.session.remove()
