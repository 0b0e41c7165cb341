"""The audit trail: who did what to which record, never the values."""

from flask import Flask


def init_app(app: Flask) -> None:
    from praclox.audit import models  # noqa: F401  (register the table)
