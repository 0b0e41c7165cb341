"""Merging two offices or two contacts into one: the user picks each field, everything that points at the
other record moves to the kept one, the other is deleted, and the audit trail gets one ``merge`` entry.

What moves is found from the schema, not listed here: every foreign key to ``offices.id`` (or
``contacts.id``) in any domain's table is re-pointed (see ``references``). Contacts, contact moments,
follow-ups, wishes, registrations, personal dates (and with them their congratulation marks), conversions and
attachments follow without this module knowing those domains; a new table with such a key is covered the day
it is added.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, update

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.db import utcnow
from praclox.extensions import db
from praclox.offices.models import Contact, Office
from praclox.offices.services import CONTACT_FIELDS, OFFICE_FIELDS
from praclox.offices.signals import contact_merged, office_merged
from praclox.privacy.holds import contact_is_held, office_is_held

#: the fields the merge screen offers a choice for (the office's kind is one; ids and bookkeeping are not)
MERGE_OFFICE_FIELDS = OFFICE_FIELDS
MERGE_CONTACT_FIELDS = CONTACT_FIELDS


class MergeRefused(ValueError):
    """The merge cannot be done; ``str()`` is a code the view words: same, held, offices."""


def references(table: str) -> list[Column[Any]]:
    """Every column in the schema that is a foreign key to ``table.id``, except those that are part of their
    table's primary key: such rows are about the record itself (e.g. its search terms), not linked to it,
    and go with it when it is deleted; the kept record's own are rewritten when its fields change."""
    return [column for other in db.metadata.sorted_tables for column in other.columns
            for key in column.foreign_keys
            if key.column.table.name == table and key.column.name == "id" and not column.primary_key]


def _move_references(table: str, gone_id: int, kept_id: int) -> dict[str, int]:
    moved = {}
    for column in references(table):
        result = db.session.execute(update(column.table).where(column == gone_id).values({column.name: kept_id}),
                                    execution_options={"synchronize_session": False})
        if result.rowcount:
            moved[f"{column.table.name}.{column.name}"] = result.rowcount
    return moved


def _take(kept: Any, other: Any, fields: tuple[str, ...], choices: Mapping[str, str]) -> list[str]:
    """Copy the fields the user chose from ``other`` onto ``kept``; return their names."""
    taken = []
    for name in fields:
        if choices.get(name) == "other" and getattr(kept, name) != getattr(other, name):
            setattr(kept, name, getattr(other, name))
            taken.append(name)
    return taken


def merge_offices(kept: Office, other: Office, choices: Mapping[str, str], *, actor: User | None) -> dict[str, int]:
    """Fold ``other`` into ``kept``: the fields whose choice is ``"other"`` come from it, its contacts, history
    and everything else linked to it move over, and it is deleted. One audit entry. The caller commits."""
    if kept.id == other.id:
        raise MergeRefused("same")
    if office_is_held(kept) or office_is_held(other):
        raise MergeRefused("held")
    taken = _take(kept, other, MERGE_OFFICE_FIELDS, choices)
    if kept.is_client:  # a client since the earlier of the two conversions
        known = [d for d in (kept.became_client_at, other.became_client_at) if d is not None]
        kept.became_client_at = min(known) if known else utcnow()
    db.session.flush()
    other_id = other.id
    moved = _move_references("offices", other_id, kept.id)
    db.session.expire_all()  # the other office's collections are now empty; deleting it cascades nothing
    db.session.delete(db.session.get(Office, other_id))
    audit("merge", kept, fields=taken, merged_id=other_id, actor=actor)
    db.session.flush()
    office_merged.send(kept, other_id=other_id)
    return moved


def merge_contacts(kept: Contact, other: Contact, choices: Mapping[str, str], *, actor: User | None) -> dict[str, int]:
    """Fold contact ``other`` into ``kept`` (the kept one's office stays): chosen fields, then their history,
    dates, follow-ups, wishes and registration move over and ``other`` is deleted. One audit entry."""
    if kept.id == other.id:
        raise MergeRefused("same")
    if kept.office_id != other.office_id:
        # their follow-ups and wishes belong to their own office: merge the offices first
        raise MergeRefused("offices")
    if contact_is_held(kept) or contact_is_held(other):
        raise MergeRefused("held")
    taken = _take(kept, other, MERGE_CONTACT_FIELDS, choices)
    if not kept.active and other.active:
        kept.active, kept.left_on, kept.needs_review = True, None, False
        taken.append("active")
    db.session.flush()
    other_id = other.id
    moved = _move_references("contacts", other_id, kept.id)
    db.session.expire_all()
    db.session.delete(db.session.get(Contact, other_id))
    audit("merge", kept, fields=taken, merged_id=other_id, actor=actor)
    db.session.flush()
    contact_merged.send(kept, other_id=other_id)
    return moved


def is_held(record: Office | Contact) -> bool:
    """Whether an open privacy request holds this office or contact (the merge screen says so up front)."""
    return office_is_held(record) if isinstance(record, Office) else contact_is_held(record)
