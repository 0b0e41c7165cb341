"""Reading the file store as an operator would: its rows, by SQL, never through the service that wrote them."""

from __future__ import annotations

from sqlalchemy import text

from praclox.extensions import db


def stored_token(app, name: str) -> bytes | None:
    """The encrypted bytes the store holds under ``name`` (None when there is no such row)."""
    with app.app_context():
        token = db.session.scalar(text("SELECT content FROM stored_files WHERE name = :name"), {"name": name})
        db.session.rollback()
        return bytes(token) if token is not None else None


def stored_names(app) -> set[str]:
    with app.app_context():
        names = set(db.session.scalars(text("SELECT name FROM stored_files")))
        db.session.rollback()
        return names
