"""The register of data-subject requests: every write path and the deadline queries."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.clock import add_months, today
from praclox.extensions import db
from praclox.privacy.models import PrivacyRequest, RequestKind, RequestStatus, ReviewItem, Tombstone

#: the legal term (GDPR art. 12(3)): one month, once extendable by two more
TERM_MONTHS = 1
EXTENSION_MONTHS = 2


class RequestError(ValueError):
    """A request operation that cannot be done as asked; ``str()`` is a code the view translates."""


def _clean(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def create_request(
    *, requester_name: str | None, requester_contact: str | None, kind: str, received_on: date,
    due_on: date | None = None, actor: User | None,
) -> PrivacyRequest:
    """Register a request; the deadline is one month after receipt unless an earlier date is given."""
    name, contact = _clean(requester_name), _clean(requester_contact)
    if not name and not contact:
        raise RequestError("no_identity")
    if kind not in RequestKind.values():
        raise RequestError("kind")
    if received_on > today():
        raise RequestError("received_future")
    latest = add_months(received_on, TERM_MONTHS)
    if due_on is not None and due_on < received_on:
        raise RequestError("due_before_received")
    if due_on is not None and due_on > latest:
        raise RequestError("due_too_late")
    item = PrivacyRequest(
        requester_name=name, requester_contact=contact, kind=kind, received_on=received_on,
        due_on=due_on or latest, status=RequestStatus.OPEN.value, handled_by_id=getattr(actor, "id", None),
    )
    db.session.add(item)
    db.session.flush()
    audit("create", item, fields=["kind", "received_on", "due_on", "requester"], actor=actor)
    return item


def extend_request(item: PrivacyRequest, reason: str, *, actor: User | None) -> None:
    """Extend the deadline by two months, once, with the reason the requester is told."""
    reason = (reason or "").strip()
    if not item.is_open:
        raise RequestError("closed")
    if item.extended:
        raise RequestError("already_extended")
    if not reason:
        raise RequestError("reason_missing")
    item.due_on = add_months(item.due_on, EXTENSION_MONTHS)
    item.extended, item.extension_reason = True, reason
    audit("update", item, fields=["due_on", "extension_reason"], actor=actor)


def close_request(
    item: PrivacyRequest, *, status: str, outcome: str | None, actor: User | None, on: date | None = None
) -> None:
    """Mark a request completed (or rejected, e.g. identity not proven) with what was done."""
    if not item.is_open:
        raise RequestError("closed")
    if status not in (RequestStatus.COMPLETED.value, RequestStatus.REJECTED.value):
        raise RequestError("status")
    if db.session.scalar(select(ReviewItem.id).where(ReviewItem.request_id == item.id,
                                                     ReviewItem.resolved_at.is_(None)).limit(1)):
        # an erasure left records for the officer to decide: the person may still be named there
        raise RequestError("review_open")
    on = on or today()
    if on < item.received_on:
        raise RequestError("completed_before_received")
    # a rectification is done with the normal edit screens; the request records which fields changed
    if item.kind == RequestKind.RECTIFICATION.value and status == RequestStatus.COMPLETED.value and not _clean(
            outcome):
        raise RequestError("outcome_missing")
    item.status, item.completed_on = status, on
    item.outcome = _clean(outcome)
    item.handled_by_id = getattr(actor, "id", item.handled_by_id)
    audit("update", item, fields=["status", "completed_on", "outcome"], actor=actor)


# --- queries -----------------------------------------------------------------------------------


def open_requests() -> list[PrivacyRequest]:
    stmt = select(PrivacyRequest).where(PrivacyRequest.status == RequestStatus.OPEN.value)
    return list(db.session.scalars(stmt.order_by(PrivacyRequest.due_on, PrivacyRequest.id)))


def all_requests(limit: int = 500) -> list[PrivacyRequest]:
    stmt = select(PrivacyRequest).order_by(PrivacyRequest.received_on.desc(), PrivacyRequest.id.desc())
    return list(db.session.scalars(stmt.limit(limit)))


def erasures(limit: int = 200) -> list[tuple[Tombstone, dict[str, Any]]]:
    """The latest erasures with what they removed (counts only)."""
    stmt = select(Tombstone).order_by(Tombstone.erased_at.desc(), Tombstone.id.desc()).limit(limit)
    return [(t, json.loads(t.counts)) for t in db.session.scalars(stmt)]


def deadlines() -> dict[str, list[PrivacyRequest]]:
    """Open requests past their deadline, and those due within the coming seven days."""
    day = today()
    week = day + timedelta(days=7)
    items = open_requests()
    return {
        "overdue": [r for r in items if r.due_on < day],
        "due_soon": [r for r in items if day <= r.due_on <= week],
    }
