"""Whether a record is held by an open data-subject request: while the privacy officer answers a request,
the records it is about must not be merged away or otherwise changed out of sight.

A request names the person by name and a way to reach them; a contact is held when an open request names
them by full name, e-mail address or phone number (any spelling), or when an erasure left one of their
records for the officer to check. An office is held when its own e-mail or phone is the requester's, or one
of its contacts is held.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from praclox import phones
from praclox.extensions import db
from praclox.privacy.models import PrivacyRequest, RequestStatus, ReviewItem


def _open_requests() -> list[PrivacyRequest]:
    return list(db.session.scalars(select(PrivacyRequest).where(PrivacyRequest.status == RequestStatus.OPEN.value)))


def _names_person(request: PrivacyRequest, *, name: str = "", email: str | None = None,
                  numbers: tuple[str | None, ...] = ()) -> bool:
    asked = (request.requester_contact or "").strip().lower()
    if name and (request.requester_name or "").strip().lower() == name.strip().lower():
        return True
    if asked and email and asked == email.strip().lower():
        return True
    return bool(asked) and any(phones.same_number(asked, n) for n in numbers if n)


def _under_review(record_type: str, ids: list[int]) -> bool:
    return db.session.scalar(select(ReviewItem.id).where(
        ReviewItem.record_type == record_type, ReviewItem.record_id.in_(ids), ReviewItem.resolved_at.is_(None),
    ).limit(1)) is not None


def contact_is_held(contact: Any, requests: list[PrivacyRequest] | None = None) -> bool:
    """An open request names this contact, or an erasure left one of their records to check."""
    requests = _open_requests() if requests is None else requests
    return _under_review("contacts", [contact.id]) or any(
        _names_person(r, name=contact.full_name, email=contact.email, numbers=(contact.phone, contact.mobile))
        for r in requests)


def office_is_held(office: Any) -> bool:
    """An open request is about the office's own e-mail or phone, or about one of its contacts."""
    requests = _open_requests()
    if _under_review("offices", [office.id]) or any(
            _names_person(r, email=office.email, numbers=(office.phone,)) for r in requests):
        return True
    return any(contact_is_held(c, requests) for c in office.contacts)
