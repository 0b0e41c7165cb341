"""Every write path for wishes, and the queries the staff pages and the client area share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, case, select

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.clock import today
from praclox.extensions import db
from praclox.offices.models import Contact, Office
from praclox.wishes.models import OPEN_STATUSES, PRIORITY_VALUES, STATUS_VALUES, Wish, WishPriority, WishStatus

FIELDS = ("title", "description", "status", "priority", "requested_on", "target_date", "requested_by_id")
_PRIORITY_ORDER = case({p.value: n for n, p in enumerate(WishPriority)}, value=Wish.priority, else_=len(WishPriority))


class WishError(ValueError):
    """A wish that cannot be saved as given; the message names the field."""


def _check(office: Office, data: Mapping[str, Any]) -> None:
    if data.get("status") not in STATUS_VALUES:
        raise WishError("status")
    if data.get("priority") not in PRIORITY_VALUES:
        raise WishError("priority")
    contact_id = data.get("requested_by_id")
    if contact_id is not None:
        contact = db.session.get(Contact, contact_id)
        if contact is None or contact.office_id != office.id:
            raise WishError("requested_by_id")
    if data.get("target_date") and data.get("requested_on") and data["target_date"] < data["requested_on"]:
        raise WishError("target_date")


def _assign(wish: Wish, data: Mapping[str, Any]) -> list[str]:
    changed = []
    for name in FIELDS:
        value = data.get(name)
        if isinstance(value, str):
            value = value.strip() or None
        if getattr(wish, name) != value:
            setattr(wish, name, value)
            changed.append(name)
    if "status" in changed:
        wish.done_on = today() if wish.status == WishStatus.DONE.value else None
        changed.append("done_on")
    return changed


def create_wish(office: Office, data: Mapping[str, Any], *, actor: User | None) -> Wish:
    """Add a wish to an office."""
    _check(office, data)
    wish = Wish(office_id=office.id)
    _assign(wish, data)
    db.session.add(wish)
    db.session.flush()
    audit("create", wish, fields=[f for f in (*FIELDS, "done_on") if getattr(wish, f) is not None], actor=actor)
    return wish


def update_wish(wish: Wish, data: Mapping[str, Any], *, actor: User | None) -> list[str]:
    """Change a wish; returns the changed field names."""
    _check(wish.office, data)
    changed = _assign(wish, data)
    if changed:
        audit("update", wish, fields=changed, actor=actor)
    db.session.flush()
    return changed


def delete_wish(wish: Wish, *, actor: User | None) -> None:
    """Delete a wish for good."""
    audit("delete", wish, actor=actor)
    db.session.delete(wish)
    db.session.flush()


def for_office(office_id: int) -> list[Wish]:
    """All wishes of one office: open first, then by priority and date."""
    open_first = case((Wish.status.in_(OPEN_STATUSES), 0), else_=1)
    return list(db.session.scalars(
        select(Wish).where(Wish.office_id == office_id)
        .order_by(open_first, _PRIORITY_ORDER, Wish.requested_on.desc(), Wish.id.desc())
    ))


def open_for_office(office_id: int) -> list[Wish]:
    """The open wishes of one office, as the client area shows them."""
    return list(db.session.scalars(
        select(Wish).where(Wish.office_id == office_id, Wish.status.in_(OPEN_STATUSES))
        .order_by(_PRIORITY_ORDER, Wish.requested_on.desc(), Wish.id.desc())
    ))


def search(status: str = "") -> Select[tuple[Wish]]:
    """Wishes across offices, optionally one status (``open`` for every open status)."""
    stmt = select(Wish).join(Office, Wish.office_id == Office.id)
    if status == "open":
        stmt = stmt.where(Wish.status.in_(OPEN_STATUSES))
    elif status in STATUS_VALUES:
        stmt = stmt.where(Wish.status == status)
    return stmt.order_by(_PRIORITY_ORDER, Office.name, Wish.requested_on.desc(), Wish.id.desc())
