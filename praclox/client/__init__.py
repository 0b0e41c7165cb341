"""The client area: registrants of client offices sign in by e-mail link and read their open wishes."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from praclox.client import models, views  # noqa: F401

    app.register_blueprint(views.bp)
