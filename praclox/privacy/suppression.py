"""The suppression list: keyed hashes of erased people's e-mail addresses.

Adding a person again with the same address (by hand or by an import) gives a warning: the erasure is
not undone by accident. Only the hash is kept, so the list itself reveals no address.

A model whose rows also arrive from outside (a website form, an API) is watched with
``flash_warning=False``: the person sending the data must not learn that the address was erased, so only
staff see the warning on the record's own page: its view passes ``erased_address_warning(record.email)``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from typing import Any

from flask import current_app, flash, g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import event, inspect, select

from praclox.extensions import db
from praclox.privacy.models import Suppression

log = logging.getLogger(__name__)

#: models watched without a flash (their rows may be saved by someone who must not see the warning)
_QUIET: set[type] = set()

WARNING = _l("This e-mail address belongs to a person whose data was erased at their request. "
             "Add them again only if they asked for it.")


def email_hash(email: str) -> str:
    """HMAC-SHA256 of the lower-cased address, keyed with the app's secret (a pepper)."""
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def suppress(email: str, tombstone_id: int | None = None) -> bool:
    """Add an address to the list (once); the caller commits."""
    digest = email_hash(email)
    if db.session.scalar(select(Suppression.id).where(Suppression.email_hash == digest)):
        return False
    db.session.add(Suppression(email_hash=digest, tombstone_id=tombstone_id))
    return True


def is_suppressed(email: str | None, connection: Any = None) -> bool:
    if not email or not email.strip():
        return False
    stmt = select(Suppression.id).where(Suppression.email_hash == email_hash(email))
    runner = connection if connection is not None else db.session
    return runner.execute(stmt).first() is not None


def erased_address_warning(email: str | None) -> str | None:
    """The warning to show staff on a record with this address, or None (a template global)."""
    return str(WARNING) if is_suppressed(email) else None


def _warn(connection: Any, target: Any, email: str | None) -> None:
    if not is_suppressed(email, connection):
        return
    log.warning("a record was saved with an e-mail address on the suppression list")
    g.setdefault("privacy_suppressed", 0)
    g.privacy_suppressed += 1
    if has_request_context() and type(target) not in _QUIET:
        flash(_("This e-mail address belongs to a person whose data was erased at their request. "
                "Add them again only if they asked for it."), "warning")


def _on_insert(mapper: Any, connection: Any, target: Any) -> None:
    _warn(connection, target, getattr(target, "email", None))


def _on_update(mapper: Any, connection: Any, target: Any) -> None:
    if inspect(target).attrs.email.history.has_changes():
        _warn(connection, target, target.email)


def watch(model: type, *, flash_warning: bool = True) -> None:
    """Warn whenever a ``model`` row is saved with a suppressed ``email`` (once per model): counted in
    ``g.privacy_suppressed`` (imports report it) and, with ``flash_warning``, flashed to the user saving it.
    Without it, show ``erased_address_warning(record.email)`` on the record's staff page instead."""
    if not flash_warning:
        _QUIET.add(model)
    if not event.contains(model, "after_insert", _on_insert):
        event.listen(model, "after_insert", _on_insert)
        event.listen(model, "after_update", _on_update)
