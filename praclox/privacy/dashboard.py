"""Dashboard blocks: request deadlines for the privacy officer, active access for a support user."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from praclox.privacy import requests, support


def deadlines_context() -> dict[str, Any]:
    return {**requests.deadlines(), "support_active": support.active_count()}


def support_context() -> dict[str, Any]:
    return {"grants": support.active_grants(current_user.id), "scopes": support.scopes()}
