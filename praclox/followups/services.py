"""Every write path for follow-ups, and the queries the list and the dashboard share.

The acting user is always an argument: a job or the CLI has no request to read it from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, bindparam, case, func, select
from sqlalchemy.orm import selectinload

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.clock import now
from praclox.db import like_pattern
from praclox.extensions import db
from praclox.followups.models import FollowUp
from praclox.offices.models import Contact, Interaction, Office

FIELDS = ("title", "description", "due_on", "owner_id", "contact_id")
#: what a list shows next to a follow-up, loaded with the page in one query each (not one per row)
WITH_NAMES = (selectinload(FollowUp.office), selectinload(FollowUp.owner), selectinload(FollowUp.contact))
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


def create(office: Office, data: Mapping[str, Any], *, actor: User | None) -> FollowUp:
    """Add a follow-up for an office; ``data`` holds FIELDS (owner_id: who does it)."""
    _check(office, data)
    follow_up = FollowUp(office_id=office.id)
    _assign(follow_up, data)
    db.session.add(follow_up)
    db.session.flush()
    audit("create", follow_up, fields=[f for f in FIELDS if getattr(follow_up, f) is not None], actor=actor)
    return follow_up


def update(follow_up: FollowUp, data: Mapping[str, Any], *, actor: User | None) -> list[str]:
    """Change a follow-up's fields; returns the changed field names (audited by name, not value)."""
    _check(follow_up.office, data)
    changed = _assign(follow_up, data)
    if changed:
        audit("update", follow_up, fields=changed, actor=actor)
    db.session.flush()
    return changed


def complete(follow_up: FollowUp, *, actor: User | None) -> bool:
    """Mark as done by ``actor`` now; False when it was done already (a second click changes nothing)."""
    if not follow_up.is_open:
        return False
    follow_up.done_at = now()
    follow_up.done_by_id = actor.id if actor is not None else None
    audit("update", follow_up, fields=["done_at", "done_by_id"], actor=actor)
    db.session.flush()
    return True


def reopen(follow_up: FollowUp, *, actor: User | None) -> bool:
    """Open a done follow-up again; False when it was open."""
    if follow_up.is_open:
        return False
    follow_up.done_at = None
    follow_up.done_by_id = None
    audit("update", follow_up, fields=["done_at", "done_by_id"], actor=actor)
    db.session.flush()
    return True


def reassign(follow_up: FollowUp, owner: User, *, actor: User | None) -> bool:
    """Give the follow-up to another (active) user; False when they own it already."""
    if not owner.active:
        raise FollowUpError("owner_id")
    if follow_up.owner_id == owner.id:
        return False
    follow_up.owner_id = owner.id
    audit("update", follow_up, fields=["owner_id"], actor=actor)
    db.session.flush()
    return True


def reassign_many(ids: list[int], owner: User, *, actor: User | None) -> int:
    """Give the open follow-ups ``ids`` of deactivated users to ``owner``; each is audited. Returns how many moved.

    Only orphaned work moves here: an id of an active user's or a done follow-up is skipped, so a stale page
    cannot take work away from a colleague.
    """
    if not owner.active:
        raise FollowUpError("owner_id")
    moved = 0
    for follow_up in db.session.scalars(orphaned().where(FollowUp.id.in_(ids))):
        moved += reassign(follow_up, owner, actor=actor)
    return moved


def orphaned() -> Select[tuple[FollowUp]]:
    """Open follow-ups whose owner is deactivated: nobody sees them on a dashboard until an admin moves them."""
    return (select(FollowUp).options(*WITH_NAMES).join(User, User.id == FollowUp.owner_id)
            .where(User.active.is_(False), FollowUp.done_at.is_(None))
            .order_by(User.name, FollowUp.owner_id, FollowUp.due_on, FollowUp.id))


def orphaned_count() -> int:
    return db.session.scalar(select(func.count()).select_from(orphaned().order_by(None).subquery())) or 0


def after_interaction(interaction: Interaction, due_on: date, title: str | None, *, actor: User | None) -> FollowUp:
    """The follow-up ticked on the contact-moment form: the actor's, about the same office and contact."""
    return create(interaction.office, {"title": title or _("Call back"), "due_on": due_on, "owner_id": actor.id,
                                       "contact_id": interaction.contact_id}, actor=actor)


def delete(follow_up: FollowUp, *, actor: User | None) -> None:
    """Delete a follow-up for good."""
    audit("delete", follow_up, actor=actor)
    db.session.delete(follow_up)
    db.session.flush()


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; the defaults are everyone's open follow-ups at any date."""

    owner_id: int | None = None  # None: everyone's
    status: str = "open"
    office_id: int | None = None
    #: part of the office's name, any case
    office_name: str = ""
    #: one of PERIODS, counted from the day the list is shown
    period: str = ""


#: due-date windows of the list: name -> (first day, last day) as offsets from today; None is open-ended
PERIODS: dict[str, tuple[int | None, int | None]] = {
    "overdue": (None, -1), "today": (0, 0), "week": (0, 6), "month": (0, 30), "later": (31, None),
}


#: what a row of the list shows: the follow-up's columns, its office's name and its contact's, not whole records
ROW_COLUMNS = (FollowUp.id, FollowUp.title, FollowUp.due_on, FollowUp.done_at, FollowUp.owner_id,
               FollowUp.office_id, Office.name.label("office_name"), Contact.first_name, Contact.last_name)


def list_rows(where: list[ColumnElement[bool]]) -> Select[Any]:
    """The follow-ups of ``conditions`` as the columns a row of the list shows, in one statement (the owners'
    names the list has: its filter's users); earliest due first."""
    return (select(*ROW_COLUMNS).join(Office, Office.id == FollowUp.office_id)
            .outerjoin(Contact, Contact.id == FollowUp.contact_id).where(*where)
            .order_by(FollowUp.due_on, FollowUp.id))


def count(where: list[ColumnElement[bool]]) -> int:
    """How many follow-ups ``conditions`` finds, counted from the conditions alone."""
    return db.session.scalar(select(func.count()).select_from(FollowUp).where(*where)) or 0


def conditions(filters: Filters, day: date) -> list[ColumnElement[bool]]:
    """The WHERE clauses of ``filters`` on the day the list is shown."""
    found: list[ColumnElement[bool]] = []
    if filters.owner_id is not None:
        found.append(FollowUp.owner_id == filters.owner_id)
    if filters.office_id is not None:
        found.append(FollowUp.office_id == filters.office_id)
    if filters.office_name.strip():
        # the matching offices as a set first: a join let the planner walk every open follow-up per office
        found.append(FollowUp.office_id.in_(select(Office.id).where(
            func.lower(Office.name).like(like_pattern(filters.office_name), escape="\\"))))
    if filters.status == "open":
        found.append(FollowUp.done_at.is_(None))
    elif filters.status == "done":
        found.append(FollowUp.done_at.is_not(None))
    first, last = PERIODS.get(filters.period, (None, None))
    if first is not None:
        found.append(FollowUp.due_on >= day + timedelta(days=first))
    if last is not None:
        found.append(FollowUp.due_on <= day + timedelta(days=last))
    return found


def for_office(office_id: int, contact_id: int | None = None) -> list[FollowUp]:
    """An office's (or one of its contacts') follow-ups: open ones by due date, then the done ones, latest first."""
    stmt = select(FollowUp).options(*WITH_NAMES, selectinload(FollowUp.done_by)).where(FollowUp.office_id == office_id)
    if contact_id is not None:
        stmt = stmt.where(FollowUp.contact_id == contact_id)
    items = list(db.session.scalars(stmt.order_by(FollowUp.due_on, FollowUp.id)))
    return [f for f in items if f.is_open] + sorted((f for f in items if not f.is_open),
                                                    key=lambda f: f.done_at, reverse=True)


#: follow-ups a dashboard group shows; the rest are counted and one click away in the list
PANEL_LIMIT = 10


@dataclass(frozen=True)
class Group:
    items: list[Any]  # FollowUp or the dashboard's Line
    #: how many there are in all (``items`` holds the first PANEL_LIMIT)
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class Agenda:
    overdue: Group
    today: Group
    week: Group


class Line(NamedTuple):
    """An open follow-up as the dashboard shows it."""

    id: int
    title: str
    due_on: date
    office_id: int
    office: Named
    contact: Named | None
    is_open: bool = True


class Named(NamedTuple):
    id: int
    name: str

    @property
    def full_name(self) -> str:
        return self.name


_GROUP = case((FollowUp.due_on < bindparam("day"), 0), (FollowUp.due_on == bindparam("day"), 1), else_=2)
_RANKED = (
    select(FollowUp.id.label("id"), _GROUP.label("grp"),
           func.row_number().over(partition_by=_GROUP, order_by=(FollowUp.due_on, FollowUp.id)).label("place"),
           func.count().over(partition_by=_GROUP).label("total"))
    .where(FollowUp.owner_id == bindparam("owner_id"), FollowUp.done_at.is_(None),
           FollowUp.due_on <= bindparam("week_end"))
    .subquery()
)
#: built once; plain rows from the connection (no ORM objects or loader options per request)
_AGENDA = (
    select(_RANKED.c.grp, _RANKED.c.total, FollowUp.id, FollowUp.title, FollowUp.due_on, FollowUp.office_id,
           Office.name, Contact.id, Contact.first_name, Contact.last_name)
    .join(FollowUp, FollowUp.id == _RANKED.c.id)
    .join(Office, Office.id == FollowUp.office_id)
    .outerjoin(Contact, Contact.id == FollowUp.contact_id)
    .where(_RANKED.c.place <= PANEL_LIMIT)
    .order_by(_RANKED.c.grp, FollowUp.due_on, FollowUp.id)
)


def agenda(owner_id: int, day: date) -> Agenda:
    """One user's open follow-ups: overdue, due ``day``, and due in the six days after it (each group's first
    PANEL_LIMIT, earliest first, with its count).

    One statement: each open follow-up up to the week's end is ranked within its group and counted with it
    (window functions, both databases), and only the first PANEL_LIMIT of each group come back, with their
    office's and contact's names joined in (it was a count and a page per group plus a look-up per name: 3 to
    15 statements per dashboard)."""
    rows = db.session.connection().execute(
        _AGENDA, {"day": day, "week_end": day + timedelta(days=6), "owner_id": owner_id})
    items: tuple[list[Line], ...] = ([], [], [])
    totals = [0, 0, 0]
    for grp, total, id_, title, due_on, office_id, office_name, contact_id, first, last in rows:
        contact = Named(contact_id, f"{first} {last}".strip()) if contact_id is not None else None
        items[grp].append(Line(id_, title, due_on, office_id, Named(office_id, office_name), contact))
        totals[grp] = total
    overdue, today, week = (Group(items[i], totals[i]) for i in range(3))
    return Agenda(overdue, today, week)
