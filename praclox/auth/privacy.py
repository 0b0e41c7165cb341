"""The personal data of staff accounts: who they are and when they last logged in."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from praclox.auth.models import User
from praclox.db import like_pattern
from praclox.extensions import db
from praclox.privacy.records import RecordKind
from praclox.privacy.registry import ErasureRefused, Hit, Identity, PersonalField, SubjectQuery

_PURPOSE = _l("Giving staff a personal login and knowing who did what.")
_RETENTION = _l("While the person works with the CRM; the account is deactivated when they leave.")


def _field(column: str, category: str = "account") -> PersonalField:
    return PersonalField("users", column, category, _PURPOSE, "contract", _RETENTION, visible_to=("admin",))


def _security(table: str, column: str, purpose: Any, retention: Any, encrypted: bool = False) -> PersonalField:
    return PersonalField(table, column, "account security", purpose, "legitimate interest", retention,
                         encrypted=encrypted, visible_to=("admin",))


_SESSIONS = _l("Showing users their own active sessions and ending idle or stolen ones.")
_SESSIONS_KEPT = _l("Until the session ends; ended and timed-out sessions are removed nightly.")
_TWO_STEP = _l("Two-step login for the accounts that need it.")
_TWO_STEP_KEPT = _l("While two-step login is switched on for the account.")
_RESET = _l("Letting a user choose a new password through a link by e-mail.")
_RESET_KEPT = _l("Valid 30 minutes; spent and expired links are removed nightly.")
_THROTTLE = _l("Stopping password guessing; account and address are stored only as keyed hashes.")
_THROTTLE_KEPT = _l("30 days, then removed by the nightly job.")

FIELDS: list[PersonalField] = [
    _field("email"), _field("name"), _field("locale"), _field("last_login_at"),
    _field("password_hash", "account security"),
    *(_security("user_sessions", c, _SESSIONS, _SESSIONS_KEPT)
      for c in ("key", "user_agent", "last_seen_at", "authenticated_at")),
    _security("totp_factors", "secret", _TWO_STEP, _TWO_STEP_KEPT, encrypted=True),
    *(_security("totp_factors", c, _TWO_STEP, _TWO_STEP_KEPT) for c in ("confirmed_at", "last_step")),
    *(_security("recovery_codes", c, _TWO_STEP, _TWO_STEP_KEPT) for c in ("code_hash", "used_at")),
    *(_security("password_reset_tokens", c, _RESET, _RESET_KEPT) for c in ("token_hash", "expires_at", "used_at")),
    *(_security("login_attempts", c, _THROTTLE, _THROTTLE_KEPT) for c in ("at", "account_key", "address_key", "kind")),
]


def find(query: SubjectQuery) -> list[Hit]:
    """Staff accounts by name or e-mail address."""
    conditions = []
    if query.name:
        conditions.append(func.lower(User.name).like(like_pattern(query.name), escape="\\"))
    if query.email:
        conditions.append(User.email == query.email.strip().lower())
    if not conditions:
        return []
    users = db.session.scalars(select(User).where(or_(*conditions)).order_by(User.id))
    return [Hit("auth", "users", u.id, u.email, _("Staff account"),
                identity=Identity(names=(u.name,), emails=(u.email,))) for u in users]


def export(hits: list[Hit]) -> dict[str, Any]:
    """The account's fields (never the password hash) and its roles."""
    rows = []
    for hit in hits:
        user = db.session.get(User, hit.record_id)
        if user is not None:
            rows.append({
                "id": user.id, "email": user.email, "name": user.name, "locale": user.locale,
                "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
                "roles": ", ".join(sorted(user.role_names)),
                "password_hash": _("stored as an argon2id hash; not shown"),
            })
    return {"users": rows} if rows else {}


def erase(hits: list[Hit], *, actor: User | None) -> dict[str, int]:
    """Delete the accounts; audit entries they made keep no link to them. Never one's own account."""
    users = [u for h in hits if (u := db.session.get(User, h.record_id)) is not None]
    if actor is not None and any(u.id == actor.id for u in users):
        raise ErasureRefused(_("You cannot erase your own account."))
    for user in users:
        db.session.delete(user)
    db.session.flush()
    return {"users": len(users)}


#: the privacy officer sees the account from a hit; an administrator corrects it (it is also a login)
RECORDS = [RecordKind("users", User, lambda u: _("Staff account"), corrected_by=_l("an administrator"))]
