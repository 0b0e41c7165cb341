"""Every write path for follow-ups, and the queries the list and the dashboard share.

The acting user is always an argument: a job or the CLI has no request to read it from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, select

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.clock import now
from praclox.extensions import db
from praclox.followups.models import FollowUp
from praclox.offices.models import Contact, Office

FIELDS = ("title", "description", "due_on", "owner_id", "contact_id")
STATUSES = ("open", "done", "all")


class FollowUpError(ValueError):
    """A follow-up that cannot be saved as given; the message names the field."""


def _check(office: Office, data: Mapping[str, Any]) -> None:
    if not (data.get("title") or "").strip():
        raise FollowUpError("title")
    if not isinstance(data.get("due_on"), date):
        raise FollowUpError("due_on")
    owner = db.session.get(User, data.get("owner_id") or 0)
    if owner is None or not owner.active:
        raise FollowUpError("owner_id")
    contact_id = data.get("contact_id")
    if contact_id is not None:
        contact = db.session.get(Contact, contact_id)
        if contact is None or contact.office_id != office.id:
            raise FollowUpError("contact_id")


def _assign(follow_up: FollowUp, data: Mapping[str, Any]) -> list[str]:
    changed = []
    for name in FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            value = value.strip() or None
        if getattr(follow_up, name) != value:
            setattr(follow_up, name, value)
            changed.append(name)
    return changed


def create(office: Office, data: Mapping[str, Any], actor: User | None) -> FollowUp:
    """Add a follow-up for an office; ``data`` holds FIELDS (owner_id: who does it)."""
    _check(office, data)
    follow_up = FollowUp(office_id=office.id)
    _assign(follow_up, data)
    db.session.add(follow_up)
    db.session.flush()
    audit("create", follow_up, fields=[f for f in FIELDS if getattr(follow_up, f) is not None], actor=actor)
    return follow_up


def update(follow_up: FollowUp, data: Mapping[str, Any], actor: User | None) -> list[str]:
    """Change a follow-up's fields; returns the changed field names (audited by name, not value)."""
    _check(follow_up.office, data)
    changed = _assign(follow_up, data)
    if changed:
        audit("update", follow_up, fields=changed, actor=actor)
    db.session.flush()
    return changed


def complete(follow_up: FollowUp, actor: User | None) -> bool:
    """Mark as done by ``actor`` now; False when it was done already (a second click changes nothing)."""
    if not follow_up.is_open:
        return False
    follow_up.done_at = now()
    follow_up.done_by_id = actor.id if actor is not None else None
    audit("update", follow_up, fields=["done_at", "done_by_id"], actor=actor)
    db.session.flush()
    return True


def reopen(follow_up: FollowUp, actor: User | None) -> bool:
    """Open a done follow-up again; False when it was open."""
    if follow_up.is_open:
        return False
    follow_up.done_at = None
    follow_up.done_by_id = None
    audit("update", follow_up, fields=["done_at", "done_by_id"], actor=actor)
    db.session.flush()
    return True


def reassign(follow_up: FollowUp, owner: User, actor: User | None) -> bool:
    """Give the follow-up to another (active) user; False when they own it already."""
    if not owner.active:
        raise FollowUpError("owner_id")
    if follow_up.owner_id == owner.id:
        return False
    follow_up.owner_id = owner.id
    audit("update", follow_up, fields=["owner_id"], actor=actor)
    db.session.flush()
    return True


def delete(follow_up: FollowUp, actor: User | None) -> None:
    """Delete a follow-up for good."""
    audit("delete", follow_up, actor=actor)
    db.session.delete(follow_up)
    db.session.flush()


def search(owner_id: int | None, status: str = "open", office_id: int | None = None) -> Select[tuple[FollowUp]]:
    """Follow-ups filtered by owner (None: everyone's), status and office; earliest due first."""
    stmt = select(FollowUp)
    if owner_id is not None:
        stmt = stmt.where(FollowUp.owner_id == owner_id)
    if office_id is not None:
        stmt = stmt.where(FollowUp.office_id == office_id)
    if status == "open":
        stmt = stmt.where(FollowUp.done_at.is_(None))
    elif status == "done":
        stmt = stmt.where(FollowUp.done_at.is_not(None))
    return stmt.order_by(FollowUp.due_on, FollowUp.id)


def for_office(office_id: int) -> list[FollowUp]:
    """An office's follow-ups: open ones by due date, then the done ones, latest first."""
    rows = db.session.scalars(select(FollowUp).where(FollowUp.office_id == office_id)
                              .order_by(FollowUp.due_on, FollowUp.id))
    items = list(rows)
    return [f for f in items if f.is_open] + sorted((f for f in items if not f.is_open),
                                                    key=lambda f: f.done_at, reverse=True)


@dataclass(frozen=True)
class Agenda:
    overdue: list[FollowUp]
    today: list[FollowUp]
    week: list[FollowUp]


def agenda(owner_id: int, day: date) -> Agenda:
    """One user's open follow-ups: overdue, due ``day``, and due in the six days after it."""
    rows = list(db.session.scalars(
        select(FollowUp).where(FollowUp.owner_id == owner_id, FollowUp.done_at.is_(None),
                               FollowUp.due_on <= day + timedelta(days=6))
        .order_by(FollowUp.due_on, FollowUp.id)
    ))
    return Agenda([f for f in rows if f.due_on < day], [f for f in rows if f.due_on == day],
                  [f for f in rows if f.due_on > day])
