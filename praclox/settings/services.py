"""Declaring, reading and changing settings."""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import select

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.domain import SettingSpec, registry
from praclox.extensions import db
from praclox.settings.models import Setting


class SettingError(ValueError):
    pass


def specs() -> dict[str, SettingSpec]:
    return registry().settings


def parse(spec: SettingSpec, raw: Any) -> Any:
    """Turn form or CLI input into the setting's type; raise SettingError with a reason."""
    if spec.type is bool:
        if isinstance(raw, bool):
            return raw
        return str(raw).strip().lower() in {"1", "true", "yes", "on", "y"}
    if spec.type is int:
        try:
            value = int(str(raw).strip())
        except ValueError as exc:
            raise SettingError("a whole number is needed") from exc
        if spec.minimum is not None and value < spec.minimum:
            raise SettingError(f"at least {spec.minimum}")
        if spec.maximum is not None and value > spec.maximum:
            raise SettingError(f"at most {spec.maximum}")
        return value
    text = str(raw).strip()
    if len(text) > 1000 or any(ord(c) < 32 and c not in "\n\r\t" for c in text):
        raise SettingError("too long or contains control characters")
    return text


def _stored() -> dict[str, str]:
    """Every stored setting, read in one query once per request (or app context) instead of once per key."""
    found = g.get("praclox_settings")
    if found is None:
        found = {row.key: row.value for row in db.session.execute(select(Setting.key, Setting.value))}
        g.praclox_settings = found
    return found


def get(key: str) -> Any:
    spec = specs()[key]
    raw = _stored().get(key)
    if raw is None:
        return spec.default
    try:
        return parse(spec, raw)
    except SettingError:
        return spec.default


def set_value(key: str, raw: Any, *, actor: User | None) -> Any:
    """Validate and store one setting; the caller commits."""
    spec = specs().get(key)
    if spec is None:
        raise SettingError("unknown setting")
    value = parse(spec, raw)
    stored = db.session.get(Setting, key)
    text = str(int(value)) if spec.type is bool else str(value)
    if stored is None:
        db.session.add(Setting(key=key, value=text, updated_by_id=getattr(actor, "id", None)))
    elif stored.value != text:
        stored.value, stored.updated_by_id = text, getattr(actor, "id", None)
    else:
        return value
    g.pop("praclox_settings", None)  # read again, with this change, by the next get()
    audit("update", None, record_type="settings", fields=[key], actor=actor)
    return value
