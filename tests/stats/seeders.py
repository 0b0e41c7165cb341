"""Use-analysis test data for the security walks: a counted page, so the usage page has a row to show."""

from __future__ import annotations

from flask import Flask

from praclox.extensions import db

AFTER = ("offices",)


def seed_walk(app: Flask) -> None:
    from praclox.clock import today
    from praclox.stats import services

    with app.test_request_context():
        services.add_uses({(today(), "offices.index"): 3})
        db.session.commit()
