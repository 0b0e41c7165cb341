"""The personal data in website registrations, and the answers to access and erasure requests."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select

from praclox.audit.services import forget_record
from praclox.auth.models import User
from praclox.db import like_pattern
from praclox.extensions import db
from praclox.offices.privacy import matching_contacts
from praclox.privacy.records import Correctable, RecordKind
from praclox.privacy.registry import Hit, Identity, PersonalField, Retention, SubjectQuery
from praclox.registrations.models import Registration, Status
from praclox.registrations.retention import PURGE_AFTER, UNCONFIRMED_AFTER

DOMAIN = "registrations"
#: the periods are live settings, filled in with their units by the register (praclox/privacy/register.py)
_RETENTION = Retention(_l("Until the registrant unsubscribes (and has no access to the client area) or the "
                          "registration is closed, then deleted after %(period)s; a registration that is never "
                          "confirmed is deleted after %(unconfirmed)s."),
                       PURGE_AFTER, more=(("unconfirmed", UNCONFIRMED_AFTER),))


def _field(column: str, category: str, purpose: Any, basis: str = "consent") -> PersonalField:
    return PersonalField("registrations", column, category, purpose, basis, _RETENTION)


FIELDS: list[PersonalField] = [
    _field("name", "identity", _l("Address the registrant in mails and recognise them in the client area.")),
    _field("email", "contact details", _l("Send the newsletter and client-area login links.")),
    _field("office_id", "relationship", _l("Show a client contact their own office's open wishes."), "contract"),
    _field("contact_id", "relationship", _l("Link the registration to the contact person we know."), "contract"),
    _field("newsletter", "consent", _l("Know who asked for the newsletter.")),
    _field("newsletter_opt_in_at", "consent", _l("Prove when the newsletter was asked for.")),
    _field("newsletter_evidence", "consent", _l("Prove how the newsletter was asked for.")),
    _field("newsletter_confirmed_at", "consent", _l("Prove the double opt-in.")),
    _field("confirmation_sent_at", "consent", _l("Know when the confirmation link was mailed.")),
    _field("client_access", "access", _l("Decide who may open the client area."), "contract"),
    _field("last_login_at", "access", _l("Show when the client area was last used."), "legitimate interest"),
    _field("login_link_sent_at", "access", _l("Send at most one login link a minute."), "legitimate interest"),
    _field("status", "consent", _l("Know whether the registration is pending, active, unsubscribed or closed.")),
    _field("status_changed_at", "consent", _l("Start the retention period.")),
    PersonalField("api_requests", "bucket", "account security",
                  _l("Limiting requests to the registrations API; a client address is stored only as a keyed hash."),
                  "legitimate interest", _l("One day, then removed by the nightly purge."), visible_to=("admin",)),
]

EXPORTED = ("id", "name", "email", "office_id", "contact_id", "newsletter", "newsletter_opt_in_at",
            "newsletter_evidence", "newsletter_confirmed_at", "confirmation_sent_at", "client_access",
            "last_login_at", "login_link_sent_at", "status", "status_changed_at", "source", "created_at", "updated_at")


def find(query: SubjectQuery) -> list[Hit]:
    """Registrations with this exact address or a name containing the one searched for, and registrations
    linked to a contact that the query finds (by name, address or phone: a registration holds no phone)."""
    if query.is_empty():
        return []
    conditions = []
    if query.email:
        conditions.append(Registration.email == query.email.strip().lower())
    if query.name:
        conditions.append(func.lower(Registration.name).like(like_pattern(query.name), escape="\\"))
    contacts = matching_contacts(query)
    if contacts:
        conditions.append(Registration.contact_id.in_([c.id for c in contacts]))
    if not conditions:
        return []
    rows = db.session.scalars(select(Registration).where(or_(*conditions)).order_by(Registration.id))
    statuses = dict(Status.choices())
    return [
        Hit(DOMAIN, "registrations", r.id, r.email,
            _("Website registration (%(status)s)", status=statuses.get(r.status, r.status)),
            identity=Identity(names=(r.name,), emails=(r.email,), own=frozenset({("registration", r.id)})))
        for r in rows
    ]


def _value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def export(hits: list[Hit]) -> dict[str, Any]:
    """Every stored value of the registrations hit."""
    ids = [h.record_id for h in hits if h.domain == DOMAIN]
    rows = db.session.scalars(select(Registration).where(Registration.id.in_(ids)).order_by(Registration.id))
    return {"registrations": [{name: _value(getattr(r, name)) for name in EXPORTED} for r in rows]}


def erase(hits: list[Hit], *, actor: User | None) -> dict[str, int]:
    """Delete the registrations hit, with their audit entries."""
    ids = [h.record_id for h in hits if h.domain == DOMAIN]
    if not ids:
        return {"registrations": 0}
    result = db.session.execute(delete(Registration).where(Registration.id.in_(ids)))
    forget_record("registrations", ids)
    return {"registrations": result.rowcount or 0}


#: Columns of this domain that hold no personal data by themselves (the register-completeness test reads this).
NOT_PERSONAL: dict[str, tuple[str, ...]] = {
    "registrations": ("client_session_version", "source"),
    "registration_purges": ("purged_at", "as_of", "reason", "count"),
    "api_keys": ("name", "key_hash", "prefix", "revoked_at", "last_used_at"),
    "api_requests": ("at",),
    "client_used_nonces": ("used_at",),
}


_KEPT = ("name", "email", "office_id", "contact_id", "client_access", "newsletter", "status")


def _save(registration: Registration, changes: dict[str, Any], *, actor: User | None) -> list[str]:
    """Through the staff edit's service: a new address loses its confirmation there, as it should."""
    from praclox.registrations import services

    data = {**{f: getattr(registration, f) for f in _KEPT}, **changes}
    changed, _due = services.update_by_staff(registration, data, actor=actor)
    return changed


RECORDS = [
    RecordKind("registrations", Registration, lambda r: _("Website registration"),
               fields=(Correctable("name", _l("Name"), max_length=120, required=True),
                       Correctable("email", _l("E-mail"), "email", 254, required=True)),
               save=_save, scopes={"id": "registration", "contact_id": "contact"}),
]


#: written by the app and the website's own form text: the proof of the person's own opt-in
NOT_FREE_TEXT: dict[str, tuple[str, ...]] = {"registrations": ("newsletter_evidence",)}
