"""Every write path for offices, contacts and interactions, and the queries views share."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Date, Select, delete, func, insert, literal, select, union_all, update
from sqlalchemy.orm import selectinload

from praclox.audit.services import record as audit
from praclox.auth.models import User, UserRole
from praclox.clock import today, zone
from praclox.db import UTCDateTime, utcnow
from praclox.extensions import db
from praclox.offices.models import (
    Contact,
    Interaction,
    InteractionKind,
    Office,
    OfficeConversion,
    OfficeKind,
    Tag,
    TagGroup,
    office_tags,
)
from praclox.offices.signals import contact_deleting, contact_left
from praclox.settings import services as settings

OFFICE_FIELDS = (
    "kind", "name", "visit_street", "visit_postcode", "visit_city", "postal_street", "postal_postcode",
    "postal_city", "phone", "email", "website", "kvk_number", "notes", "account_manager_id",
)
CONTACT_FIELDS = ("first_name", "last_name", "job_title", "email", "phone", "mobile", "notes")
INTERACTION_FIELDS = ("kind", "occurred_on", "summary", "contact_id")

class OfficeError(ValueError):
    """An office operation that cannot be done as asked."""


def _assign(obj: Any, data: Mapping[str, Any], fields: tuple[str, ...]) -> list[str]:
    changed = []
    for name in fields:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip() or None
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def create_office(data: Mapping[str, Any], *, actor: User | None) -> Office:
    """Create an office (a prospect unless ``kind`` says client)."""
    check_account_manager(data)
    office = Office(kind=data.get("kind") or OfficeKind.PROSPECT.value)
    _assign(office, data, OFFICE_FIELDS)
    if office.kind == OfficeKind.CLIENT.value:
        office.became_client_at = utcnow()
    db.session.add(office)
    db.session.flush()
    audit("create", office, fields=[f for f in OFFICE_FIELDS if getattr(office, f) is not None], actor=actor)
    return office


def update_office(office: Office, data: Mapping[str, Any], *, actor: User | None) -> list[str]:
    check_account_manager(data, office.account_manager_id)
    was_client = office.is_client
    changed = _assign(office, data, OFFICE_FIELDS)
    if not was_client and office.is_client:
        _became_client(office, actor=actor)
    if changed:
        audit("update", office, fields=changed, actor=actor)
    return changed


def convert_to_client(office: Office, *, actor: User | None) -> bool:
    """Turn a prospect into a client; contacts and history stay as they are, the conversion joins them."""
    if office.is_client:
        return False
    office.kind = OfficeKind.CLIENT.value
    _became_client(office, actor=actor)
    audit("update", office, fields=["kind"], actor=actor)
    return True


def _became_client(office: Office, *, actor: User | None) -> None:
    """A prospect became a client (converted, or its kind changed on the form): an entry in its history."""
    office.became_client_at = utcnow()
    conversion = OfficeConversion(office=office, converted_at=office.became_client_at,
                                  converted_by_id=getattr(actor, "id", None))
    db.session.add(conversion)
    db.session.flush()
    audit("create", conversion, fields=["converted_at"], actor=actor)


def delete_office(office: Office, *, actor: User | None) -> None:
    """Delete an office with its contacts and history."""
    for contact in list(office.contacts):
        contact_deleting.send(contact, actor=actor)
    audit("delete", office, actor=actor)
    db.session.delete(office)
    db.session.flush()


def create_contact(office: Office, data: Mapping[str, Any], *, actor: User | None) -> Contact:
    contact = Contact(office=office)
    _assign(contact, data, CONTACT_FIELDS)
    db.session.add(contact)
    db.session.flush()
    audit("create", contact, fields=[f for f in CONTACT_FIELDS if getattr(contact, f) is not None], actor=actor)
    return contact


def update_contact(contact: Contact, data: Mapping[str, Any], *, actor: User | None) -> list[str]:
    changed = _assign(contact, data, CONTACT_FIELDS)
    if changed:
        audit("update", contact, fields=changed, actor=actor)
    return changed


def mark_left(contact: Contact, left_on: date, *, actor: User | None) -> None:
    """Record that a contact left the office: inactive, flagged for review, dates ended."""
    if left_on > today():
        raise OfficeError("future")
    if not contact.active:
        raise OfficeError("already")
    contact.active = False
    contact.left_on = left_on
    contact.needs_review = True
    audit("update", contact, fields=["active", "left_on"], actor=actor)
    contact_left.send(contact, actor=actor)


def reactivate(contact: Contact, *, actor: User | None) -> None:
    """Undo "left the office" (a mistake, or they came back)."""
    contact.active = True
    contact.left_on = None
    contact.needs_review = False
    audit("update", contact, fields=["active", "left_on"], actor=actor)


def delete_contact(contact: Contact, *, actor: User | None) -> None:
    contact_deleting.send(contact, actor=actor)
    audit("delete", contact, actor=actor)
    db.session.delete(contact)
    db.session.flush()


def log_interaction(
    office: Office, *, kind: str, occurred_on: date, summary: str, contact: Contact | None, actor: User | None
) -> Interaction:
    """Log a call, meeting, visit or e-mail with an office (and optionally one of its contacts)."""
    if kind not in {k.value for k in InteractionKind}:
        raise OfficeError("kind")
    if contact is not None and contact.office_id != office.id:
        raise OfficeError("contact")
    if occurred_on > today():
        raise OfficeError("future")
    interaction = Interaction(
        office=office, contact=contact, kind=kind, occurred_on=occurred_on, summary=summary.strip(),
        logged_by_id=getattr(actor, "id", None),
    )
    db.session.add(interaction)
    office.updated_at = utcnow()
    db.session.flush()
    audit("create", interaction, fields=["kind", "occurred_on", "summary", "contact_id"], actor=actor)
    return interaction


def may_edit_interaction(interaction: Interaction, user: Any) -> bool:
    """Its author may correct a logged contact moment, and so may an admin; other staff may not."""
    return user.has_role("admin") or (interaction.logged_by_id is not None and interaction.logged_by_id == user.id)


def edit_interaction(interaction: Interaction, data: Mapping[str, Any], *, actor: User | None) -> list[str]:
    """Change a logged contact moment (kind, day, summary, contact); the entry then shows as edited.

    The caller checks ``may_edit_interaction``. Returns the changed field names (audited by name, not value)."""
    if data["kind"] not in {k.value for k in InteractionKind}:
        raise OfficeError("kind")
    if data["occurred_on"] > today():
        raise OfficeError("future")
    if not (data["summary"] or "").strip():
        raise OfficeError("summary")
    contact_id = data.get("contact_id")
    if contact_id is not None:
        contact = db.session.get(Contact, contact_id)
        if contact is None or contact.office_id != interaction.office_id:
            raise OfficeError("contact")
    return _save_edit(interaction, _assign(interaction, data, INTERACTION_FIELDS), actor=actor)


def update_summary(interaction: Interaction, summary: str, *, actor: User | None) -> list[str]:
    """Correct what an interaction's summary says (the privacy officer removes or fixes a person's data)."""
    summary = (summary or "").strip()
    if not summary:
        raise OfficeError("summary")
    if summary == interaction.summary:
        return []
    interaction.summary = summary
    return _save_edit(interaction, ["summary"], actor=actor)


def _save_edit(interaction: Interaction, changed: list[str], *, actor: User | None) -> list[str]:
    if changed:
        interaction.edited_at = utcnow()
        audit("update", interaction, fields=changed, actor=actor)
        db.session.flush()
    return changed


def delete_interaction(interaction: Interaction, *, actor: User | None) -> None:
    audit("delete", interaction, actor=actor)
    db.session.delete(interaction)
    db.session.flush()


# --- queries -----------------------------------------------------------------------------------


def history_keys(office: Office) -> Select[tuple[int]]:
    """The office's history newest first as one column for paging in SQL: a contact moment's id, or a
    conversion's id negated. The conversions (a handful, nothing to decrypt) are read here and take part in
    the sort as literal rows: their day is the local day of the moment, which only Python knows on both
    databases. Ties keep the contact moment first."""
    parts: list[Select[Any]] = [select(Interaction.id.label("key"), Interaction.occurred_on.label("day"),
                                       Interaction.created_at.label("at"), literal(1).label("first"))
                                .where(Interaction.office_id == office.id)]
    for conversion_id, at in db.session.execute(
            select(OfficeConversion.id, OfficeConversion.converted_at).where(OfficeConversion.office_id == office.id)):
        parts.append(select(literal(-conversion_id).label("key"), literal(at.astimezone(zone()).date(), Date),
                            literal(at, UTCDateTime), literal(0)))
    rows = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    return select(rows.c.key).order_by(rows.c.day.desc(), rows.c.at.desc(), rows.c.first.desc(),
                                       rows.c.key.desc())


def history_count(office: Office) -> int:
    """How many contact moments the office has (counted, not loaded)."""
    return db.session.scalar(select(func.count()).where(Interaction.office_id == office.id)) or 0


def history_entries(office: Office, keys: list[int]) -> list[Interaction | OfficeConversion]:
    """The records behind one page of ``history_keys``, in that order: only these summaries are decrypted. Each
    moment's contact is one of the office's (loaded once for the page, then found without a query)."""
    office.contacts  # noqa: B018  (loaded here, so the moments' contacts need no statement of their own)
    found: dict[int, Interaction | OfficeConversion] = {}
    wanted = [key for key in keys if key > 0]
    if wanted:
        found.update((i.id, i) for i in db.session.scalars(
            select(Interaction).where(Interaction.id.in_(wanted)).options(selectinload(Interaction.logged_by))))
    converted = [-key for key in keys if key < 0]
    if converted:
        found.update((-c.id, c) for c in db.session.scalars(
            select(OfficeConversion).where(OfficeConversion.id.in_(converted))
            .options(selectinload(OfficeConversion.converted_by))))
    return [found[key] for key in keys if key in found]


def last_contact_subquery() -> Any:
    return (
        select(Interaction.office_id, func.max(Interaction.occurred_on).label("last_contact"))
        .group_by(Interaction.office_id)
        .subquery()
    )


def matched_contacts(office_ids: list[int], query: str) -> dict[int, list[Contact]]:
    """Per office in a search result, the contacts the query found (so the result can say why an office was
    found)."""
    from praclox.search.services import contact_ids

    found_ids = contact_ids(query) if query.strip() and office_ids else None
    if found_ids is None:
        return {}
    found: dict[int, list[Contact]] = {}
    stmt = select(Contact).where(Contact.office_id.in_(office_ids), Contact.id.in_(found_ids))
    for contact in db.session.scalars(stmt.order_by(Contact.last_name, Contact.first_name)):
        found.setdefault(contact.office_id, []).append(contact)
    return found


def last_contact_dates(office_ids: list[int], by: Any = Interaction.office_id) -> dict[int, date]:
    """The last contact date per office (or, ``by=Interaction.contact_id``, per contact), for one page of a list
    in one query."""
    if not office_ids:
        return {}
    rows = db.session.execute(
        select(by, func.max(Interaction.occurred_on)).where(by.in_(office_ids)).group_by(by)
    )
    return dict(rows.all())

def last_contact_date(office: Office) -> date | None:
    return db.session.scalar(select(func.max(Interaction.occurred_on)).where(Interaction.office_id == office.id))

def contact_last_date(contact: Contact) -> date | None:
    return db.session.scalar(
        select(func.max(Interaction.occurred_on)).where(Interaction.contact_id == contact.id)
    )

# --- account managers and tags -------------------------------------------------------------------

#: staff may add a tag that is not on the admin's list (a setting; admins always may)
FREE_TAGS = "offices.free_tags"
#: rows per statement in bulk changes: well under every database's limit on bound parameters
BULK_CHUNK = 500

def account_managers() -> Select[tuple[User]]:
    """Who may look after an office: active users who work with offices (staff, admin); by name."""
    return (select(User).where(User.active.is_(True), User.id.in_(
        select(UserRole.user_id).where(UserRole.role.in_(("staff", "admin"))))).order_by(User.name, User.id))

def check_account_manager(data: Mapping[str, Any], current: int | None = None) -> None:
    """A new account manager must be one of ``account_managers()``; the one already set may stay."""
    manager_id = data.get("account_manager_id")
    if manager_id is None or manager_id == current:
        return
    if db.session.scalar(account_managers().where(User.id == manager_id)) is None:
        raise OfficeError("account_manager_id")

def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BULK_CHUNK):
        yield ids[start:start + BULK_CHUNK]

def _audit_offices(ids: list[int], field: str, *, actor: User | None) -> None:
    for office_id in ids:
        audit("update", None, fields=[field], actor=actor, record_type="offices", record_id=office_id)

def assign_account_manager(offices: Select[tuple[int]], manager_id: int | None, *, actor: User | None) -> int:
    """Give every office ``offices`` selects (a SELECT of ids) this account manager (None: nobody).

    Returns how many offices changed; each change is audited on its office.
    """
    check_account_manager({"account_manager_id": manager_id})
    ids = list(db.session.scalars(offices.where(Office.account_manager_id.is_distinct_from(manager_id))))
    for chunk in _chunks(ids):
        db.session.execute(update(Office).where(Office.id.in_(chunk)).values(account_manager_id=manager_id),
                           execution_options={"synchronize_session": False})
    _audit_offices(ids, "account_manager_id", actor=actor)
    db.session.flush()
    return len(ids)

def _tagged(tag: Tag) -> Select[tuple[int]]:
    return select(office_tags.c.office_id).where(office_tags.c.tag_id == tag.id)

def add_tag(offices: Select[tuple[int]], tag: Tag, *, actor: User | None) -> int:
    """Put ``tag`` on every office ``offices`` selects that lacks it; returns how many got it (audited)."""
    ids = list(db.session.scalars(offices.where(Office.id.not_in(_tagged(tag)))))
    for chunk in _chunks(ids):
        db.session.execute(insert(office_tags), [{"office_id": i, "tag_id": tag.id} for i in chunk])
    _audit_offices(ids, "tags", actor=actor)
    db.session.flush()
    return len(ids)

def remove_tag(offices: Select[tuple[int]], tag: Tag, *, actor: User | None) -> int:
    """Take ``tag`` off every office ``offices`` selects; returns how many lost it (audited)."""
    ids = list(db.session.scalars(offices.where(Office.id.in_(_tagged(tag)))))
    for chunk in _chunks(ids):
        db.session.execute(delete(office_tags).where(office_tags.c.tag_id == tag.id,
                                                     office_tags.c.office_id.in_(chunk)))
    _audit_offices(ids, "tags", actor=actor)
    db.session.flush()
    return len(ids)

def one_office(office: Office) -> Select[tuple[int]]:
    """``office`` as the selection the tag and manager functions take."""
    return select(Office.id).where(Office.id == office.id)

def _tag_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > 60:
        raise OfficeError("name")
    return name

def tag_named(name: str) -> Tag | None:
    """The tag of this name, whatever its case."""
    return db.session.scalar(select(Tag).where(func.lower(Tag.name) == _tag_name(name).lower()))

def create_tag(name: str, group: str, *, actor: User | None) -> Tag:
    """Add a tag to the list (the admin's list, or a free tag: group ``free``); a name is unique in any case."""
    name = _tag_name(name)
    if group not in TagGroup.values():
        raise OfficeError("tag_group")
    if tag_named(name) is not None:
        raise OfficeError("duplicate")
    tag = Tag(name=name, tag_group=group)
    db.session.add(tag)
    db.session.flush()
    audit("create", tag, fields=["name", "tag_group"], actor=actor)
    return tag

def update_tag(tag: Tag, name: str, group: str, *, actor: User | None) -> list[str]:
    """Rename a tag or move it to another group; the offices keep it."""
    name = _tag_name(name)
    if group not in TagGroup.values():
        raise OfficeError("tag_group")
    twin = tag_named(name)
    if twin is not None and twin.id != tag.id:
        raise OfficeError("duplicate")
    changed = [f for f, value in (("name", name), ("tag_group", group)) if getattr(tag, f) != value]
    for field in changed:
        setattr(tag, field, name if field == "name" else group)
    if changed:
        audit("update", tag, fields=changed, actor=actor)
    db.session.flush()
    return changed

def delete_tag(tag: Tag, *, actor: User | None) -> int:
    """Delete a tag from the list and from every office carrying it; returns how many offices lost it."""
    count = remove_tag(select(Office.id), tag, actor=actor)
    audit("delete", tag, actor=actor)
    db.session.delete(tag)
    db.session.flush()
    return count

def free_tag(name: str, *, actor: User | None) -> Tag:
    """The tag a colleague typed: the existing one of that name, else a new free tag when they may add one."""
    found = tag_named(name)
    if found is not None:
        return found
    if not (actor.has_role("admin") or settings.get(FREE_TAGS)):
        raise OfficeError("tag")
    return create_tag(name, TagGroup.FREE.value, actor=actor)
