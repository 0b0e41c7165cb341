"""What privacy hooks into every request: each page a support user opens is audited."""

from __future__ import annotations

from flask import Flask, request
from flask_login import current_user

from praclox.auth.hooks import UNCHECKED
from praclox.extensions import db
from praclox.privacy import support


def init_app(app: Flask) -> None:
    app.before_request(_audit_support_pages)


def _audit_support_pages() -> None:
    """Every page a support user opens goes into the audit trail, in a transaction of its own."""
    # the endpoint first: static files and health checks never load the user for this
    if request.endpoint is None or request.endpoint in UNCHECKED:
        return
    if not getattr(current_user, "is_authenticated", False) or not current_user.has_role("support"):
        return
    support.record_page(request.endpoint, request.view_args or {}, request.method,
                        actor=current_user._get_current_object())
    db.session.commit()
