"""A person named in free text: found by the subject search, redacted by erasure, or listed for review.

The search widens from what it found: a contact found by e-mail address brings their name and phone, so
another office's history line that names them is found too. What is certain is redacted on erasure; what
is not (a surname alone, outside the person's own records) is listed for the privacy officer, who decides
on the record's page. Values are never stored or logged; review items name only the record and columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.extensions import db
from praclox.phones import text_pattern
from praclox.privacy.models import ERASED_MARKER
from praclox.privacy.records import RecordKind, kinds, scopes_of
from praclox.privacy.registry import Hit, Identity

DOMAIN = "mentions"
MARKER = ERASED_MARKER
CERTAIN, POSSIBLE = "certain", "possible"
#: a surname alone, outside the person's own records and office: listed as possible while there are few
SURNAME = "surname"
_RANK = {SURNAME: 0, POSSIBLE: 1, CERTAIN: 2}
#: more bare-surname records than this for one person: the surname is too common to check one by one
SURNAME_LIST_LIMIT = 10
#: a first or last name shorter than this is never looked for on its own
_SHORTEST_PART = 2


@dataclass(frozen=True)
class Needles:
    """One person's patterns, compiled once per search."""

    certain: re.Pattern[str] | None
    first: re.Pattern[str] | None
    last: re.Pattern[str] | None
    #: "M. Zwaanswijk", "J de Vries": the initial of a full name with the rest of it
    initialled: re.Pattern[str] | None
    #: a single word typed as the name, for a person found only in free text: never certain on its own
    loose: re.Pattern[str] | None
    own: frozenset[tuple[str, int]]
    near: frozenset[tuple[str, int]]


def _name(text: str) -> str:
    return r"(?<!\w)" + r"\s+".join(re.escape(w) for w in text.split()) + r"(?!\w)"


def _initialled(name: str) -> str | None:
    words = name.split()
    if len(words) < 2 or not words[0][:1].isalpha():
        return None
    return r"(?<!\w)" + re.escape(words[0][0]) + r"\.?\s*" + r"\s+".join(re.escape(w) for w in words[1:]) + r"(?!\w)"


def _email(text: str) -> str:
    return r"(?<![\w.+-])" + re.escape(text.strip()) + r"(?![\w-])"


def _compile(sources: list[str]) -> re.Pattern[str] | None:
    unique = sorted({s for s in sources if s}, key=len, reverse=True)  # the longest spelling wins
    return re.compile("|".join(f"(?:{s})" for s in unique), re.IGNORECASE) if unique else None


def needles(identity: Identity, loose: str | None = None) -> Needles:
    certain = [_name(n) for n in identity.names if len(n.split()) >= 2]
    certain += [_email(e) for e in identity.emails if "@" in e]
    certain += [p for p in (text_pattern(n) for n in identity.phones) if p]
    parts = [n for n in identity.first_names if len(n.strip()) >= _SHORTEST_PART]
    lasts = [n for n in identity.last_names if len(n.strip()) >= _SHORTEST_PART]
    initialled = [i for i in (_initialled(n) for n in identity.names) if i]
    return Needles(_compile(certain), _compile([_name(n) for n in parts]), _compile([_name(n) for n in lasts]),
                   _compile(initialled), _compile([_name(loose)]) if loose else None, identity.own, identity.near)


def _found(pattern: re.Pattern[str] | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


def classify(text: str, scopes: frozenset[tuple[str, int]], n: Needles) -> str | None:
    """CERTAIN when the text names the person beyond doubt, POSSIBLE when it may, SURNAME for their surname
    alone elsewhere (possible, unless too common to list), else None."""
    own, near = bool(scopes & n.own), bool(scopes & n.near)
    if _found(n.certain, text):
        return CERTAIN
    if own and (_found(n.first, text) or _found(n.last, text)):
        return CERTAIN
    if near and _found(n.last, text):
        return CERTAIN
    if _found(n.initialled, text) or (near and _found(n.first, text)) or _found(n.loose, text):
        return POSSIBLE
    return SURNAME if _found(n.last, text) else None


def redact(text: str, n: Needles) -> str:
    """The text with every certain naming of the person replaced by the marker (first and last names too:
    the text is known to be about them)."""
    for pattern in (n.certain, n.initialled, n.first, n.last):
        if pattern is not None:
            text = pattern.sub(MARKER, text)
    return text


@dataclass
class Candidate:
    """A person of the search results whose free-text mentions are looked for."""

    key: str
    identity: Identity
    loose: str | None = None


def find(people: list[Candidate]) -> tuple[list[Hit], dict[str, int]]:
    """Every free-text column of every registered record kind, read once (encrypted columns decrypted on
    the way), checked against each person's needles. Returns the hits, and per person the number of
    records that hold only their surname when there are too many to list (those are not hits)."""
    compiled = [(p.key, needles(p.identity, p.loose)) for p in people]
    found: list[tuple[RecordKind, int, str, dict[str, str]]] = []
    for kind in kinds().values():
        if kind.free_text:
            found += [(kind, *row) for row in _scan(kind, compiled)]
    surnames: dict[str, int] = {}
    for _kind, _id, key, levels in found:
        if max(levels.values(), key=_RANK.__getitem__) == SURNAME:
            surnames[key] = surnames.get(key, 0) + 1
    common = {key: count for key, count in surnames.items() if count > SURNAME_LIST_LIMIT}
    hits = [_hit(kind, record_id, key, levels) for kind, record_id, key, levels in found
            if not (key in common and max(levels.values(), key=_RANK.__getitem__) == SURNAME)]
    return hits, common


def _scan(kind: RecordKind, compiled: list[tuple[str, Needles]]) -> list[tuple[int, str, dict[str, str]]]:
    columns = dict.fromkeys(("id", *kind.free_text, *kind.scopes))
    stmt = (select(*(getattr(kind.model, c) for c in columns)).order_by(kind.model.id)
            .execution_options(yield_per=500))
    # one search for any needle of anyone rules out most rows before the per-person checks
    sources = [p.pattern for _key, n in compiled for p in (n.certain, n.initialled, n.first, n.last, n.loose) if p]
    if not sources:
        return []
    anything = re.compile("|".join(f"(?:{s})" for s in sources), re.IGNORECASE)
    found = []
    for row in db.session.execute(stmt):
        if not any((text := getattr(row, c)) and anything.search(text) for c in kind.free_text):
            continue
        scopes = scopes_of(kind, row)
        for key, n in compiled:
            levels = {c: level for c in kind.free_text
                      if (text := getattr(row, c)) and (level := classify(text, scopes, n))}
            if levels:
                found.append((row.id, key, levels))
    return found


def _hit(kind: RecordKind, record_id: int, key: str, levels: dict[str, str]) -> Hit:
    level = CERTAIN if CERTAIN in levels.values() else POSSIBLE
    record = db.session.get(kind.model, record_id)
    if level == CERTAIN:
        label = _("Named in: %(record)s", record=kind.describe(record))
    else:
        label = _("Possibly named in: %(record)s (erasure leaves this to you)", record=kind.describe(record))
    return Hit(DOMAIN, kind.table, record_id, key, label,
               extra={"columns": sorted(levels), "level": level, "keep_audit": True})


def export(hits: list[Hit]) -> dict[str, Any]:
    """The free text that names the person, column by column."""
    registered = kinds()
    rows = []
    for hit in hits:
        kind = registered.get(hit.record_type)
        record = db.session.get(kind.model, hit.record_id) if kind else None
        if record is not None:
            rows += [{"table": hit.record_type, "id": hit.record_id, "column": c, "text": getattr(record, c)}
                     for c in hit.extra.get("columns", [])]
    return {"mentions": rows}


def erase(
    hits: list[Hit], identity: Identity, loose: str | None = None, *, actor: User | None
) -> tuple[dict[str, int], list[Hit]]:
    """Redact the certain mentions through each domain's service; return the counts and the hits left for
    the privacy officer to decide (possible mentions, and texts a service would not take back redacted).
    Records already removed by a domain's erasure are skipped."""
    n = needles(identity, loose)
    registered = kinds()
    counts = {"redacted": 0, "to_review": 0}
    undecided = []
    for hit in hits:
        kind = registered.get(hit.record_type)
        record = db.session.get(kind.model, hit.record_id) if kind else None
        if kind is None or record is None:
            continue
        if hit.extra.get("level") == CERTAIN and _redact_record(kind, record, hit.extra["columns"], n, actor=actor):
            counts["redacted"] += 1
        scopes = scopes_of(kind, record)
        if any((t := getattr(record, c)) and classify(t, scopes, n) for c in hit.extra["columns"]):
            undecided.append(hit)
            counts["to_review"] += 1
    db.session.flush()
    return counts, undecided


def _redact_record(kind: RecordKind, record: Any, columns: list[str], n: Needles, *, actor: User | None) -> bool:
    changes = {c: redact(getattr(record, c), n) for c in columns if getattr(record, c)}
    changes = {c: v for c, v in changes.items() if v != getattr(record, c)}
    if not changes or kind.save is None or not all(_fits(kind, c, v) for c, v in changes.items()):
        return False  # the officer decides instead (the marker can make a full column overflow)
    try:
        changed = kind.save(record, changes, actor=actor)
    except ValueError:
        # the domain's service checks before it writes: nothing changed, the officer decides instead
        return False
    audit("redact", record, fields=changed, actor=actor)
    return True


def _fits(kind: RecordKind, column: str, value: str) -> bool:
    length = getattr(getattr(kind.model, column).type, "length", None)
    return length is None or len(value) <= length
