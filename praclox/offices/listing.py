"""The office list's filter and sort, as one query every caller shares.

``filtered_offices(request.args, actor)`` is the selection a user sees on /offices/ (all pages of it): the list
pages it, the bulk actions change it, the export writes it. The query-string arguments are the contract:

``q``       part of a name, city, e-mail, or a contact's name or e-mail
``kind``    ``client`` or ``prospect``
``manager`` ``me`` (the actor's offices), ``none`` (no account manager), ``inactive`` (a deactivated user's
            offices, for an admin to hand over) or a user id
``tag``     a tag id; repeated, an office must carry every tag given
``stale``   ``1``: only offices without contact for longer than the setting ``offices.stale_months``
``sort``    ``name`` (default), ``city``, ``kind``, ``last_contact``, ``next_follow_up``, ``updated``

Unknown or unreadable values are ignored (a hand-edited URL gives a list, never an error).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select
from sqlalchemy.orm import lazyload

from praclox.auth.models import User
from praclox.clock import add_months, today
from praclox.extensions import db
from praclox.followups.models import FollowUp
from praclox.offices.models import Interaction, Office, OfficeKind, office_tags
from praclox.offices.services import account_managers, last_contact_subquery
from praclox.settings import services as settings

#: months without a contact moment after which an office is flagged (a setting)
STALE_MONTHS = "offices.stale_months"

SORT_KEYS = ("name", "city", "kind", "last_contact", "next_follow_up", "updated")
MANAGER_WORDS = ("me", "none", "inactive")
#: more tags than this in one filter is not a real question
MAX_TAGS = 10
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class OfficeFilter:
    """The office list's filter, read from query-string arguments and written back into links."""

    q: str = ""
    kind: str = ""
    manager: str = ""
    tags: tuple[int, ...] = ()
    stale: bool = False
    sort: str = "name"

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> OfficeFilter:
        kind = _text(args, "kind")
        manager = _text(args, "manager")
        sort = _text(args, "sort")
        return cls(
            q=_text(args, "q")[:100].strip(),
            kind=kind if kind in OfficeKind.values() else "",
            manager=manager if manager in MANAGER_WORDS or _as_id(manager) else "",
            tags=tuple(sorted({i for i in map(_as_id, _all(args, "tag")) if i}))[:MAX_TAGS],
            stale=_text(args, "stale") == "1",
            sort=sort if sort in SORT_KEYS else "name",
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """The filter as ``url_for`` arguments (empty ones left out), with ``changes`` applied."""
        values = {"q": self.q, "kind": self.kind, "manager": self.manager, "tag": list(self.tags),
                  "stale": "1" if self.stale else "", "sort": self.sort if self.sort != "name" else ""}
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", None, [], ())}

    def toggled(self, tag_id: int) -> dict[str, Any]:
        """The link arguments that add this tag to the filter, or take it out when it is in."""
        tags = [t for t in self.tags if t != tag_id] if tag_id in self.tags else [*self.tags, tag_id]
        return self.args(tag=tags)

    @property
    def narrowed(self) -> bool:
        """True when the filter leaves offices out (the sort alone does not)."""
        return bool(self.q or self.kind or self.manager or self.tags or self.stale)


def _all(args: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(args, "getlist", None)
    values = getlist(name) if getlist else [args.get(name)]
    return [str(v) for v in values if v is not None]


def _text(args: Mapping[str, Any], name: str) -> str:
    value = args.get(name)
    return str(value) if value is not None else ""


def _as_id(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= MAX_ID else None


def filtered_offices(args: Mapping[str, Any], actor: Any) -> Select[tuple[Office]]:
    """The offices the list shows for these query-string arguments, sorted as asked (all pages).

    ``actor`` is the user asking: ``manager=me`` means their offices.
    """
    return office_query(OfficeFilter.from_args(args), actor)


def office_query(wanted: OfficeFilter, actor: Any) -> Select[tuple[Office]]:
    """``filtered_offices`` for a filter already read."""
    stmt = select(Office).where(*conditions(wanted, actor))
    if wanted.sort == "last_contact":
        last = last_contact_subquery()
        return stmt.outerjoin(last, last.c.office_id == Office.id).order_by(
            last.c.last_contact.desc().nulls_last(), Office.name, Office.id)
    if wanted.sort == "next_follow_up":
        due = next_follow_up_subquery()
        return stmt.outerjoin(due, due.c.office_id == Office.id).order_by(
            due.c.next_due.asc().nulls_last(), Office.name, Office.id)
    order = {
        "city": (Office.visit_city, Office.name),
        "kind": (Office.kind, Office.name),
        "updated": (Office.updated_at.desc(),),
    }.get(wanted.sort, (Office.name,))
    return stmt.order_by(*order, Office.id)


def conditions(wanted: OfficeFilter, actor: Any) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a filter (no sort): for counts over the same selection."""
    found: list[ColumnElement[bool]] = []
    if wanted.q:
        found.append(_matches(wanted.q))
    if wanted.kind:
        found.append(Office.kind == wanted.kind)
    if wanted.manager == "me":
        found.append(Office.account_manager_id == getattr(actor, "id", None))
    elif wanted.manager == "none":
        found.append(Office.account_manager_id.is_(None))
    elif wanted.manager == "inactive":
        found.append(Office.account_manager_id.in_(select(User.id).where(User.active.is_(False))))
    elif wanted.manager:
        found.append(Office.account_manager_id == int(wanted.manager))
    for tag_id in wanted.tags:
        found.append(Office.id.in_(select(office_tags.c.office_id).where(office_tags.c.tag_id == tag_id)))
    if wanted.stale:
        found.append(stale_condition())
    return found


def _matches(query: str) -> ColumnElement[bool]:
    """Offices the search index finds for the query (by their own words or a contact's); none without a word."""
    from praclox.search.services import office_condition, office_words

    words = office_words(query)
    return office_condition(words) if words else false()


def next_follow_up_subquery() -> Any:
    """Per office, the due date of its earliest open follow-up."""
    return (
        select(FollowUp.office_id, func.min(FollowUp.due_on).label("next_due"))
        .where(FollowUp.done_at.is_(None))
        .group_by(FollowUp.office_id)
        .subquery()
    )


# --- without contact for too long ---------------------------------------------------------------


def stale_cutoff(day: date | None = None) -> date:
    """Offices whose last contact is before this day are flagged."""
    return add_months(day or today(), -int(settings.get(STALE_MONTHS)))


def stale_condition(day: date | None = None) -> ColumnElement[bool]:
    """An office without a contact moment since the cutoff; one never contacted counts from its creation.

    Two EXISTS probes per office on the (office, date) index of contact moments, not two sets of every contact
    moment's office (``NOT IN`` over the history: 90 ms at 50,000 moments on PostgreSQL, per page)."""
    cutoff = stale_cutoff(day)
    recent = exists().where(Interaction.office_id == Office.id, Interaction.occurred_on >= cutoff)
    contacted = exists().where(Interaction.office_id == Office.id)
    return and_(~recent, or_(contacted, Office.created_at < _start_of(cutoff)))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def stale_office_ids(day: date | None = None) -> Select[tuple[int]]:
    """Offices without a contact moment since the cutoff (``stale_condition``)."""
    return select(Office.id).where(stale_condition(day))


def stale_among(office_ids: list[int]) -> set[int]:
    """Which of these offices are flagged, in one query."""
    if not office_ids:
        return set()
    return set(db.session.scalars(stale_office_ids().where(Office.id.in_(office_ids))))


def stale_of(offices: list[Any], last: Mapping[int, date]) -> set[int]:
    """Which offices of a page are flagged, from their last contact dates the page has loaded anyway (no query):
    the same rule as ``stale_condition``."""
    cutoff = stale_cutoff()
    return {o.id for o in offices
            if (last[o.id] < cutoff if o.id in last else o.created_at < _start_of(cutoff))}


# --- what one page shows next to each office ------------------------------------------------------

#: the columns a row of the list shows (and the flag needs): not whole offices
ROW_COLUMNS = (Office.id, Office.name, Office.kind, Office.visit_city, Office.account_manager_id, Office.created_at)


def office_rows(wanted: OfficeFilter, actor: Any) -> Select[Any]:
    """``office_query``'s selection and order, as the few columns a row of the list shows."""
    return office_query(wanted, actor).with_only_columns(*ROW_COLUMNS)


def page_dates(office_ids: list[int]) -> tuple[dict[int, date], dict[int, date]]:
    """Per office of one page: the last contact day and the next open follow-up's due day, in one statement
    (an index probe each: (office, date) of contact moments, (office, due) of open follow-ups)."""
    if not office_ids:
        return {}, {}
    last = select(func.max(Interaction.occurred_on)).where(Interaction.office_id == Office.id).scalar_subquery()
    due = (select(func.min(FollowUp.due_on)).where(FollowUp.office_id == Office.id, FollowUp.done_at.is_(None))
           .scalar_subquery())
    found: tuple[dict[int, date], dict[int, date]] = ({}, {})
    for office_id, last_day, due_day in db.session.execute(select(Office.id, last, due)
                                                           .where(Office.id.in_(office_ids))):
        if last_day is not None:
            found[0][office_id] = last_day
        if due_day is not None:
            found[1][office_id] = due_day
    return found


def tag_ids_of(office_ids: list[int]) -> dict[int, list[int]]:
    """Each office's tag ids, for one page of offices in one query (the tags themselves the page has loaded)."""
    found: dict[int, list[int]] = {}
    if office_ids:
        for office_id, tag_id in db.session.execute(select(office_tags.c.office_id, office_tags.c.tag_id)
                                                    .where(office_tags.c.office_id.in_(office_ids))):
            found.setdefault(office_id, []).append(tag_id)
    return found


def tag_counts(wanted: OfficeFilter, actor: Any) -> dict[int, int]:
    """Offices per tag id within the filtered selection, for every tag that has any there."""
    stmt = select(office_tags.c.tag_id, func.count()).group_by(office_tags.c.tag_id)
    where = conditions(wanted, actor)
    if where:  # the whole list: every link counts, read from the (tag, office) index alone
        stmt = stmt.where(office_tags.c.office_id.in_(select(Office.id).where(*where)))
    return dict(db.session.execute(stmt).all())


#: more ticked rows than this in one bulk action is not a page the list showed
MAX_TICKED = 500


def ticked_ids(raw: list[str]) -> list[int] | None:
    """The office ids of the rows ticked for a bulk action (none: an empty list); None when any is unreadable or
    there are more than MAX_TICKED."""
    ids = [_as_id(value) for value in raw]
    if len(ids) > MAX_TICKED or None in ids:
        return None
    return sorted(set(ids))  # type: ignore[arg-type]


def selection_count(wanted: OfficeFilter, actor: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(Office).where(*conditions(wanted, actor))) or 0



def inactive_manager_count() -> int:
    """Offices whose account manager is deactivated: nobody looks after them until an admin hands them over."""
    return selection_count(OfficeFilter(manager="inactive"), None)


def manager_filter_choices() -> Select[tuple[User]]:
    """The users the list filters by: who may manage offices, and anyone (deactivated too) who still does."""
    managing = select(Office.account_manager_id).where(Office.account_manager_id.is_not(None))
    eligible = account_managers().with_only_columns(User.id).order_by(None)
    return (select(User).where(or_(User.id.in_(eligible), User.id.in_(managing))).order_by(User.name, User.id)
            .options(lazyload(User.roles)))  # their names are shown, not their roles
