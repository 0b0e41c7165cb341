"""Dashboard blocks: request deadlines for the privacy officer, active access for a support user, and for
the administrator a warning while the privacy officer's name or contact is missing from the statement."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from praclox.privacy import requests, support
from praclox.privacy.models import OFFICER_ADDRESS_KEY, OFFICER_EMAIL_KEY, OFFICER_NAME_KEY
from praclox.settings import services as settings


def officer_gaps() -> list[str]:
    """What the public statement lacks of the privacy officer: ``name``, ``contact`` (address or e-mail)."""
    gaps = []
    if not str(settings.get(OFFICER_NAME_KEY) or "").strip():
        gaps.append("name")
    if not any(str(settings.get(key) or "").strip() for key in (OFFICER_ADDRESS_KEY, OFFICER_EMAIL_KEY)):
        gaps.append("contact")
    return gaps


def officer_context() -> dict[str, Any]:
    return {"gaps": officer_gaps()}


def deadlines_context() -> dict[str, Any]:
    return {**requests.deadlines(), "support_active": support.active_count()}


def support_context() -> dict[str, Any]:
    return {"grants": support.active_grants(current_user.id), "scopes": support.scopes()}
