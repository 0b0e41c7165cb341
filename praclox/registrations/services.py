"""Every write path for registrations and API keys, and the queries the views share."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.db import utcnow
from praclox.extensions import db
from praclox.offices.models import Contact, Office
from praclox.registrations.models import STATUS_VALUES, ApiKey, Registration, Status

#: the key is ``prx_`` plus 43 url-safe characters: 256 random bits
KEY_PREFIX = "prx_"
KEY_BYTES = 32
#: how exactly an API key's last use is kept (an UPDATE per request cost the API a statement each)
LAST_USED_PRECISION = timedelta(minutes=1)


class RegistrationError(ValueError):
    """A registration operation that cannot be done as asked; the message names the problem."""


def normalise_email(email: str) -> str:
    """Addresses are compared and stored lower-cased."""
    return email.strip().lower()


def get_by_email(email: str) -> Registration | None:
    """The registration with this address, in any case, or None."""
    return db.session.scalar(select(Registration).where(Registration.email == normalise_email(email)))


def _set_status(registration: Registration, status: str) -> bool:
    if status not in STATUS_VALUES:
        raise RegistrationError("status")
    if registration.status == status:
        return False
    registration.status = status
    registration.status_changed_at = utcnow()
    return True


def _check_links(office_id: int | None, contact_id: int | None) -> None:
    if office_id is not None and db.session.get(Office, office_id) is None:
        raise RegistrationError("office")
    if contact_id is not None:
        contact = db.session.get(Contact, contact_id)
        if contact is None or (office_id is not None and contact.office_id != office_id):
            raise RegistrationError("contact")


@dataclass(frozen=True)
class Submitted:
    """What a registration request asked for, from the website or from staff."""

    name: str
    email: str
    newsletter: bool = False
    evidence: str | None = None


def register(data: Submitted, *, source: str) -> tuple[Registration, bool]:
    """Record a registration; idempotent on the e-mail address.

    Returns the registration and whether a confirmation mail is due. An existing registration keeps
    its name and links; only a new newsletter request changes it (it needs a fresh confirmation). A
    closed or unsubscribed registration that registers again waits for a fresh confirmation (pending).
    """
    existing = get_by_email(data.email)
    if existing is not None and existing.status == Status.CLOSED.value:
        existing.client_access = False
        existing.name = data.name.strip()
        _set_status(existing, Status.PENDING.value)
        if data.newsletter:
            _opt_in(existing, data.evidence, source)
        audit("update", existing, fields=["status", "name", "client_access", "newsletter"], actor=None)
        return existing, True
    if existing is None:
        registration = Registration(
            name=data.name.strip(), email=normalise_email(data.email), source=source,
            status=Status.PENDING.value, status_changed_at=utcnow(),
        )
        if data.newsletter:
            _opt_in(registration, data.evidence, source)
        try:
            with db.session.begin_nested():
                db.session.add(registration)
        except IntegrityError:
            # a concurrent request registered the same address between our look-up and our insert (the unique
            # e-mail refused ours): that registration is the one, so answer as for a known address
            if get_by_email(data.email) is None:
                raise
            return register(data, source=source)
        audit("create", registration, fields=_filled(registration), actor=None)
        return registration, True
    if data.newsletter and not existing.on_list:
        fields = []
        if not existing.newsletter:  # a repeated request keeps the first opt-in's date and evidence
            _opt_in(existing, data.evidence, source)
            fields += ["newsletter", "newsletter_opt_in_at", "newsletter_evidence"]
        if existing.status == Status.UNSUBSCRIBED.value and _set_status(existing, Status.PENDING.value):
            fields.append("status")
        if fields:
            audit("update", existing, fields=fields, actor=None)
        return existing, True
    return existing, existing.status == Status.PENDING.value


def _filled(registration: Registration) -> list[str]:
    fields = ["name", "email", "status", "client_access", "office_id", "contact_id", "newsletter"]
    return [f for f in fields if getattr(registration, f) not in (None, False)]


def _opt_in(registration: Registration, evidence: str | None, source: str) -> None:
    registration.newsletter = True
    registration.newsletter_confirmed_at = None
    registration.newsletter_opt_in_at = utcnow()
    registration.newsletter_evidence = (f"{source}: {evidence}" if evidence else source)[:600]


def create_by_staff(data: Mapping[str, Any], *, actor: User | None) -> tuple[Registration, bool]:
    """Staff add a registration by hand; a newsletter request still needs the person's confirmation."""
    if get_by_email(data["email"]) is not None:
        raise RegistrationError("email_taken")
    _check_links(data.get("office_id"), data.get("contact_id"))
    evidence = f"added by user #{getattr(actor, 'id', '?')}"
    registration, due = register(
        Submitted(data["name"], data["email"], bool(data.get("newsletter")), evidence), source="staff"
    )
    registration.office_id = data.get("office_id")
    registration.contact_id = data.get("contact_id")
    registration.client_access = bool(data.get("client_access"))
    _set_status(registration, data.get("status") or Status.PENDING.value)
    db.session.flush()
    return registration, due and registration.newsletter


def update_by_staff(
    registration: Registration, data: Mapping[str, Any], *, actor: User | None
) -> tuple[list[str], bool]:
    """Change a registration; returns the changed fields and whether a confirmation mail is due.

    A new address or a new newsletter request loses the old confirmation. Staff can end the newsletter
    but never confirm it on the person's behalf.
    """
    _check_links(data.get("office_id"), data.get("contact_id"))
    changed: list[str] = []
    email = normalise_email(data["email"])
    if email != registration.email:
        other = get_by_email(email)
        if other is not None and other.id != registration.id:
            raise RegistrationError("email_taken")
        registration.email = email
        registration.newsletter_confirmed_at = None
        changed.append("email")
    for name in ("name", "office_id", "contact_id", "client_access"):
        value = data.get(name)
        value = value.strip() if isinstance(value, str) else value
        if name == "client_access":
            value = bool(value)
        if getattr(registration, name) != value:
            setattr(registration, name, value)
            changed.append(name)
    wants = bool(data.get("newsletter"))
    if wants and not registration.newsletter:
        _opt_in(registration, f"ticked by user #{getattr(actor, 'id', '?')}", "staff")
        changed.append("newsletter")
    elif not wants and registration.newsletter:
        registration.newsletter = False
        registration.newsletter_confirmed_at = None
        changed.append("newsletter")
    status = data.get("status") or registration.status
    if _set_status(registration, status):
        changed.append("status")
    if {"client_access", "office_id", "status", "email"} & set(changed):
        registration.client_session_version += 1
    if changed:
        audit("update", registration, fields=changed, actor=actor)
    db.session.flush()
    due = registration.newsletter and registration.newsletter_confirmed_at is None and (
        "email" in changed or "newsletter" in changed)
    return changed, due


def confirm(registration: Registration) -> bool:
    """The person clicked the confirmation link: the address is confirmed, and the newsletter too."""
    if registration.status == Status.CLOSED.value:
        return False
    changed = []
    if registration.newsletter and registration.newsletter_confirmed_at is None:
        registration.newsletter_confirmed_at = utcnow()
        changed.append("newsletter_confirmed_at")
    if registration.status in (Status.PENDING.value, Status.UNSUBSCRIBED.value) and (
        registration.newsletter or registration.status == Status.PENDING.value
    ):
        _set_status(registration, Status.ACTIVE.value)
        changed.append("status")
    if changed:
        audit("update", registration, fields=changed, actor=None)
    return bool(changed)


def unsubscribe(registration: Registration) -> bool:
    """One-click unsubscribe: off the list at once; without client access the record is then purged."""
    if not registration.newsletter and registration.status != Status.ACTIVE.value:
        return False
    registration.newsletter = False
    registration.newsletter_confirmed_at = None
    fields = ["newsletter"]
    if registration.status in (Status.ACTIVE.value, Status.PENDING.value) and _set_status(
        registration, Status.UNSUBSCRIBED.value
    ):
        fields.append("status")
    audit("update", registration, fields=fields, actor=None)
    return True


def close(registration: Registration, *, actor: User | None) -> None:
    """Close the account: off the list, out of the client area, purged after the retention period."""
    registration.newsletter = False
    registration.newsletter_confirmed_at = None
    registration.client_session_version += 1
    _set_status(registration, Status.CLOSED.value)
    audit("update", registration, fields=["status", "newsletter"], actor=actor)


def mark_confirmation_sent(registration: Registration) -> None:
    """Record that the confirmation link went out now."""
    registration.confirmation_sent_at = utcnow()


def confirmation_may_be_sent(registration: Registration, *, pause: timedelta = timedelta(minutes=10)) -> bool:
    """Repeated posts must not flood an inbox: one mail per ``pause``, unless something new was asked."""
    sent = registration.confirmation_sent_at
    if sent is None:
        return True
    newer = [t for t in (registration.status_changed_at, registration.newsletter_opt_in_at) if t is not None]
    return any(sent < t for t in newer) or utcnow() - sent > pause


def search(query: str = "", status: str = "") -> Select[tuple[Registration]]:
    """Registrations matching a name or address fragment and a status, newest first."""
    stmt = select(Registration)
    if query:
        like = f"%{query.strip().lower()}%"
        stmt = stmt.where(or_(Registration.email.like(like), Registration.name.ilike(like)))
    if status in STATUS_VALUES:
        stmt = stmt.where(Registration.status == status)
    return stmt.order_by(Registration.created_at.desc(), Registration.id.desc())


def for_office(office_id: int) -> list[Registration]:
    """The registrations linked to one office, for its page."""
    return list(db.session.scalars(
        select(Registration).where(Registration.office_id == office_id).order_by(Registration.name)
    ))


def confirmed_list() -> list[Registration]:
    """Everyone on the newsletter list: opted in, confirmed, active."""
    return list(db.session.scalars(
        select(Registration)
        .where(Registration.newsletter.is_(True), Registration.newsletter_confirmed_at.is_not(None),
               Registration.status == Status.ACTIVE.value)
        .order_by(Registration.email)
    ))


# --- API keys -------------------------------------------------------------------------------------


def hash_key(key: str) -> str:
    """The sha256 fingerprint under which a key is stored."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_api_key(name: str, *, actor: User | None) -> tuple[ApiKey, str]:
    """Create a key; the plain key is returned this once and only its hash is stored."""
    plain = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
    key = ApiKey(name=name.strip(), key_hash=hash_key(plain), prefix=plain[:10],
                 created_by_id=getattr(actor, "id", None))
    db.session.add(key)
    db.session.flush()
    audit("create", key, fields=["name"], actor=actor)
    return key, plain


def revoke_api_key(key: ApiKey, *, actor: User | None) -> bool:
    """Revoke a key at once; False when it was revoked already."""
    if key.revoked_at is not None:
        return False
    key.revoked_at = utcnow()
    audit("update", key, fields=["revoked_at"], actor=actor)
    return True


def api_key_for(presented: str) -> ApiKey | None:
    """The active key matching ``presented``, or None; marks it as used."""
    if not presented or len(presented) > 200:
        return None
    wanted = hash_key(presented)
    key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == wanted))
    if key is None or not hmac.compare_digest(key.key_hash, wanted) or key.revoked_at is not None:
        return None
    moment = utcnow()
    if key.last_used_at is None or moment - key.last_used_at >= LAST_USED_PRECISION:
        key.last_used_at = moment  # not an UPDATE per request: the admin page shows it to the minute
    return key


def api_keys() -> list[ApiKey]:
    """Every key, active ones first."""
    return list(db.session.scalars(select(ApiKey).order_by(ApiKey.revoked_at.is_not(None), ApiKey.created_at.desc())))
