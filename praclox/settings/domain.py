"""Settings the administrator edits in the browser; each domain declares its own in its ``Domain``."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from praclox.domain import Domain, Nav, roles
from praclox.settings import models, views  # noqa: F401

DOMAIN = Domain(
    name="settings",
    blueprints=(views.bp,),
    nav=(Nav(_l("Settings"), "settings.index", roles("admin"), order=92),),
)
