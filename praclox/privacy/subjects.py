"""Data-subject requests across every domain: find a person, show or hand over everything, erase."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from praclox.audit.services import forget_record
from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.backup import ledger
from praclox.clock import now
from praclox.extensions import db
from praclox.phones import normalise
from praclox.privacy import mentions, review, suppression
from praclox.privacy.models import ERASED_MARKER, PrivacyRequest, Suppression, Tombstone
from praclox.privacy.ondisk import DiskState, settle
from praclox.privacy.registry import Hit, Identity, PersonalField, SubjectQuery, all_fields, domains
from praclox.privacy.requests import close_request

log = logging.getLogger(__name__)


class SubjectError(ValueError):
    """A search or erasure that cannot be done as asked; ``str()`` is a code the view translates."""


@dataclass
class Person:
    """Every hit that belongs to one person (grouped by ``Hit.person_key``)."""

    key: str
    hits: list[Hit] = field(default_factory=list)
    #: who the hits say the person is (names, addresses, numbers), with what the search gave
    identity: Identity = field(default_factory=Identity)
    #: a one-word name searched for a person found only in free text
    loose: str | None = None
    #: records that hold only the person's surname, when too many to list (a common surname)
    surname_elsewhere: int = 0
    #: found through a name, address or number on the other results, not through the search itself
    widened: bool = False

    @property
    def domains(self) -> list[str]:
        return sorted({h.domain for h in self.hits})


def search(query: SubjectQuery) -> list[Person]:
    """Ask every registered domain; group the hits by person; then read all free text for each person,
    widened to every name, address and number their records hold. An empty query is an error."""
    if query.is_empty():
        raise SubjectError("empty")
    people: dict[str, Person] = {}
    _collect(people, query)
    if len(people) <= WIDEN_UP_TO:
        for other in _widened_queries(list(people.values()), query):
            _widen(people, other)
    asked = _asked(query)
    for found in people.values():
        found.identity = _identity(found.hits) if found.widened else _with_query(_identity(found.hits), asked)
    if not people:
        name = " ".join((query.name or "").split())
        key = (query.email or "").strip().lower() or name.lower() or f"phone:{normalise(query.phone)}"
        people[key] = Person(key, identity=asked, loose=name if name and " " not in name else None)
    # free text is read for the people searched for; the widened ones are searched for on their own
    candidates = [mentions.Candidate(p.key, p.identity, p.loose) for p in people.values() if not p.widened]
    named, common = mentions.find(candidates)
    for hit in named:
        people[hit.person_key].hits.append(hit)
    for key, count in common.items():
        people[key].surname_elsewhere = count
    return [p for p in people.values() if p.hits]


#: a search that finds more people than this is too broad to widen (a first name, a common surname)
WIDEN_UP_TO = 3


def _collect(people: dict[str, Person], query: SubjectQuery, *, widened: bool = False) -> None:
    for module in domains().values():
        for hit in module.find(query):
            person = people.get(hit.person_key)
            if person is None:
                person = people[hit.person_key] = Person(hit.person_key, widened=widened)
            _merge(person, [hit])


def _widen(people: dict[str, Person], query: SubjectQuery) -> None:
    """Add the people a widened query finds, unless it finds so many that the name is simply common."""
    found: dict[str, Person] = {}
    _collect(found, query, widened=True)
    new = {key for key in found if key not in people}
    for key, person in found.items():
        if key in people:
            _merge(people[key], person.hits)
        elif len(new) <= WIDEN_UP_TO:
            people[key] = person


def _merge(person: Person, hits: list[Hit]) -> None:
    for hit in hits:
        if all((h.record_type, h.record_id) != (hit.record_type, hit.record_id) for h in person.hits):
            person.hits.append(hit)


def _widened_queries(found: list[Person], query: SubjectQuery) -> list[SubjectQuery]:
    """The other full names, addresses and numbers on what was found: the same person may be on records
    that carry another of them (a private address on an application, a work address on a contact)."""
    identity = _identity([h for p in found for h in p.hits])
    asked_name = " ".join((query.name or "").split()).lower()
    asked_email = (query.email or "").strip().lower()
    names = {" ".join(n.split()) for n in identity.names if " " in n.strip()}
    emails = {e.strip().lower() for e in identity.emails if "@" in e}
    numbers = {normalise(p): p for p in identity.phones if normalise(p)}
    return ([SubjectQuery(name=n) for n in sorted(names) if n.lower() != asked_name]
            + [SubjectQuery(email=e) for e in sorted(emails) if e != asked_email]
            + [SubjectQuery(phone=p) for key, p in sorted(numbers.items()) if key != normalise(query.phone)])


def _identity(hits: list[Hit]) -> Identity:
    merged = Identity()
    for hit in hits:
        merged = merged | hit.identity
    return merged


def _asked(query: SubjectQuery) -> Identity:
    name = " ".join((query.name or "").split())
    return Identity(names=(name,) if " " in name else (), emails=((query.email or "").strip(),),
                    phones=((query.phone or "").strip(),))


def _with_query(found: Identity, asked: Identity) -> Identity:
    """What was searched for belongs to a found person only where their records say nothing of that kind:
    a name typed for a search that found "Jan de Vriesendorp" too is not his name."""
    return found | Identity(names=() if found.names else asked.names, emails=() if found.emails else asked.emails,
                            phones=() if found.phones else asked.phones)


def person(query: SubjectQuery, key: str) -> Person:
    """The person with this key in the results of ``query``; searched again, never stored."""
    for found in search(query):
        if found.key == key and not found.widened:  # a widened person is searched for on their own
            return found
    raise SubjectError("not_found")


def _by_domain(hits: list[Hit]) -> dict[str, list[Hit]]:
    grouped: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        grouped[hit.domain].append(hit)
    return grouped


def export_person(found: Person, *, actor: User | None) -> dict[str, Any]:
    """Everything held about the person, per domain, with the declaration of every field (art. 15, 20)."""
    registered: dict[str, Any] = {**domains(), mentions.DOMAIN: mentions}
    data = {name: registered[name].export(hits) for name, hits in sorted(_by_domain(found.hits).items())}
    declared = {(f.table, f.column): f for f in all_fields()}
    for hit in found.hits:
        audit("export", None, record_type=hit.record_type, record_id=hit.record_id, actor=actor)
    return {
        "generated_at": now().isoformat(timespec="seconds"),
        "controller": "Praclox",
        "data": data,
        "fields": [_describe(f) for (table, _col), f in sorted(declared.items()) if _table_in(data, table)],
    }


def _table_in(data: dict[str, Any], table: str) -> bool:
    return any(isinstance(part, dict) and table in part for part in data.values())


def _describe(item: PersonalField) -> dict[str, Any]:
    from praclox.privacy.register import retention_text

    return {"table": item.table, "column": item.column, "category": item.category, "purpose": str(item.purpose),
            "legal_basis": item.legal_basis, "retention": retention_text(item), "encrypted": item.encrypted,
            "stored_in": item.stored_in}


def erase_person(found: Person, *, actor: User | None, request: PrivacyRequest | None = None) -> Tombstone:
    """Erase the person in every domain, forget their audit entries, keep a tombstone and a suppression
    entry. Irreversible; the caller commits (and then calls ``compact_storage``)."""
    registered = domains()
    counts: dict[str, dict[str, int]] = {}
    grouped = _by_domain(found.hits)
    named = grouped.pop(mentions.DOMAIN, [])
    for name, hits in sorted(grouped.items()):
        counts[name] = registered[name].erase(hits, actor=actor)
    # free text last: records a domain removed are skipped, the rest is redacted or left to the officer
    counts[mentions.DOMAIN], undecided = mentions.erase(named, found.identity, found.loose, actor=actor)
    forgotten = 0
    for hit in found.hits:
        if not hit.extra.get("keep_audit"):
            forgotten += forget_record(hit.record_type, [hit.record_id])
    counts["audit"] = {"entries": forgotten}
    tombstone = Tombstone(counts=json.dumps(counts, sort_keys=True), erased_by_id=getattr(actor, "id", None),
                          request_id=request.id if request is not None else None)
    db.session.add(tombstone)
    db.session.flush()
    for key in {h.person_key for h in found.hits if "@" in h.person_key and " " not in h.person_key}:
        suppression.suppress(key, tombstone.id)
    _note_redactions(named, undecided)
    ledger.note_added(Tombstone.__tablename__, [tombstone.id])
    ledger.note_added(Suppression.__tablename__, db.session.scalars(
        select(Suppression.id).where(Suppression.tombstone_id == tombstone.id)))
    review.add_items(tombstone, request, undecided)
    if request is not None:
        request.requester_name, request.requester_contact = ERASED_MARKER, None
        if request.is_open and not undecided:
            close_request(request, status="completed", outcome=f"erased, tombstone #{tombstone.id}", actor=actor)
    audit("erase", tombstone, fields=sorted(counts), actor=actor)
    db.session.flush()
    log.info("erasure done: %d record(s) in %d domain(s)", len(found.hits), len(counts) - 1)
    return tombstone


def _note_redactions(named: list[Hit], undecided: list[Hit]) -> None:
    """The free text redacted here, for the ledger a restore re-applies; texts left to the officer are not
    copied (they still name the person)."""
    left = {(h.record_type, h.record_id) for h in undecided}
    for hit in named:
        if (hit.record_type, hit.record_id) not in left and hit.extra.get("columns"):
            ledger.note_redacted(hit.record_type, hit.record_id, hit.extra["columns"])


def compact_storage(found: Person | None = None) -> DiskState:
    """After an erasure is committed: SQLite's write-ahead log still holds the old pages; fold it back
    and truncate it so the erased values are gone from disk (secure_delete zeroes the freed pages), retrying
    while a reader blocks it; on PostgreSQL vacuum the tables of the person's records and the audit trail
    (every table when the person is not given)."""
    if found is None:
        return settle(table.name for table in db.metadata.sorted_tables)
    # the stored files of documents and attachments are rows of the file store
    touched = {hit.record_type for hit in found.hits} | {"audit_entries", "stored_files"}
    return settle(sorted(touched & set(db.metadata.tables)))
