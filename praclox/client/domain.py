"""The client area: registrants of client offices sign in by e-mail link and read their open wishes."""

from __future__ import annotations

from praclox.client import models, views  # noqa: F401
from praclox.domain import Domain

DOMAIN = Domain(name="client", blueprints=(views.bp,))
