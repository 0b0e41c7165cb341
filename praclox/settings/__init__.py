"""Settings the administrator edits in the browser (retention periods and the like).

Each domain declares its settings with ``declare`` in its ``init_app``: a key, a type, a default, a label
and a section. ``get(key)`` returns the stored value or the default.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    from praclox.main import add_nav
    from praclox.settings import models, views  # noqa: F401

    app.register_blueprint(views.bp)
    add_nav(app, _l("Settings"), "settings.index", {"admin"}, order=92)
