"""Privacy by design: the registry of personal data each domain declares (the toolkit builds on it)."""

from flask import Flask


def init_app(app: Flask) -> None:
    app.extensions.setdefault("praclox_privacy", {})
