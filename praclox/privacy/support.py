"""Time-limited support access: an admin lets a support user read what a grant names, for some hours.

The grant is checked on every request (``allows``, hooked into the role checks of praclox.auth.access)
and revoked by the scheduler at expiry. Every grant and every page a support user opens is audited.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.clock import now
from praclox.domain import SupportScope, registry
from praclox.extensions import db
from praclox.privacy.models import SupportGrant

log = logging.getLogger(__name__)

MAX_HOURS = 72
#: only reading: a grant never lets a support user change anything
READ_METHODS = frozenset({"GET", "HEAD"})


class GrantError(ValueError):
    """A grant that cannot be made as asked; ``str()`` is a code the view translates."""


def scopes() -> dict[str, SupportScope]:
    return registry().support_scopes


#: the foundation's own scope; domains add theirs in their ``Domain.support_scopes``
OFFICES_SCOPE = SupportScope("offices", _l("Offices, contacts and their history (read only)"), ("offices.",))


def grant(user: User, *, hours: int, reason: str, scope: str, actor: User | None) -> SupportGrant:
    """Give a support user read access to ``scope`` for ``hours`` hours, starting now."""
    reason = (reason or "").strip()
    if not user.has_role("support") or not user.active:
        raise GrantError("not_support")
    if not isinstance(hours, int) or not 1 <= hours <= MAX_HOURS:
        raise GrantError("hours")
    if not reason or len(reason) > 500:
        raise GrantError("reason")
    if scope not in scopes():
        raise GrantError("scope")
    start = now()
    item = SupportGrant(user_id=user.id, granted_by_id=getattr(actor, "id", None), scope=scope, reason=reason,
                        starts_at=start, expires_at=start + timedelta(hours=hours))
    db.session.add(item)
    db.session.flush()
    audit("create", item, fields=["user_id", "scope", "expires_at", "reason"], actor=actor)
    return item


def revoke(item: SupportGrant, *, actor: User | None) -> bool:
    """End a grant now (an admin), or at expiry (the scheduler)."""
    if item.revoked_at is not None:
        return False
    item.revoked_at = min(now(), item.expires_at)
    audit("update", item, fields=["revoked_at"], actor=actor)
    return True


def expire_job() -> dict[str, int]:
    """Revoke every grant whose time is up; idempotent."""
    due = db.session.scalars(
        select(SupportGrant).where(SupportGrant.revoked_at.is_(None), SupportGrant.expires_at <= now())
    ).all()
    for item in due:
        revoke(item, actor=None)
    db.session.commit()
    return {"revoked": len(due)}


def active_grants(user_id: int) -> list[SupportGrant]:
    moment = now()
    found = db.session.scalars(
        select(SupportGrant).where(SupportGrant.user_id == user_id, SupportGrant.revoked_at.is_(None),
                                   SupportGrant.expires_at > moment)
    )
    return [g for g in found if g.active_at(moment)]


def active_count() -> int:
    moment = now()
    found = db.session.scalars(select(SupportGrant).where(SupportGrant.revoked_at.is_(None),
                                                          SupportGrant.expires_at > moment))
    return sum(1 for g in found if g.active_at(moment))


def allows(user: Any, endpoint: str | None, method: str) -> bool:
    """Whether an active grant lets this support user read ``endpoint``."""
    if not endpoint or method not in READ_METHODS or not user.has_role("support"):
        return False
    known = scopes()
    for item in active_grants(user.id):
        scope = known.get(item.scope)
        if scope is not None and endpoint.startswith(scope.prefixes):
            return True
    return False


def record_page(endpoint: str, view_args: dict[str, Any], method: str, *, actor: User) -> None:
    """A page a support user opened, into the audit trail (with the first number in its address); the caller
    commits."""
    record_id = next((v for v in view_args.values() if isinstance(v, int)), None)
    audit("view", None, record_type=f"page:{endpoint}"[:64], record_id=record_id, fields=[method.lower()],
          actor=actor)


def overview(limit: int = 200) -> dict[str, Any]:
    """For the privacy officer: the grants, and the pages support users opened."""
    from praclox.audit.models import AuditEntry
    from praclox.auth.models import UserRole

    grants = db.session.scalars(select(SupportGrant).order_by(SupportGrant.starts_at.desc()).limit(limit)).all()
    support_ids = select(UserRole.user_id).where(UserRole.role == "support")
    views = db.session.execute(
        select(AuditEntry, User).join(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.actor_id.in_(support_ids), AuditEntry.action == "view")
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    ).all()
    return {"grants": grants, "views": views, "moment": now()}
