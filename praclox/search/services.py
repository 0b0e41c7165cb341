"""One search over offices, contacts and contact moments: index look-ups, ranked, with a snippet.

A record matches when every word of the query is one of its words or the beginning of one; it scores the
weight of the field each word was found in, three times over for a whole word. Only the records shown are
loaded, and only their summaries are decrypted (for the snippet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import selectinload

from praclox.extensions import db
from praclox.offices.models import Contact, Interaction
from praclox.search import blind
from praclox.search.index import BY_NAME, KINDS, Kind, index_key

#: records per kind a search reads before ranking them together
PER_KIND = 30
#: characters of context either side of the word a snippet is cut around
SNIPPET_BEFORE, SNIPPET_AFTER = 60, 140


@dataclass(frozen=True)
class Snippet:
    """A piece of text around the first word that matched; the template marks ``match`` (escaped, never markup)."""

    before: str
    match: str
    after: str


@dataclass(frozen=True)
class Result:
    kind: str  # "office", "contact" or "interaction"
    record: Any
    score: int
    snippet: Snippet | None


def matching(kind: Kind, words: list[blind.QueryWord]) -> Select[Any]:
    """Ids and scores of the records of ``kind`` holding every query word (a look-up by term, never a scan)."""
    terms = kind.terms
    wanted = [t for w in words for t in (w.whole, w.prefix) if t is not None]
    which = case(*((terms.term.in_([t for t in (w.whole, w.prefix) if t is not None]), i)
                   for i, w in enumerate(words)))
    score = func.sum(terms.weight * case((terms.term.in_([w.whole for w in words]), blind.WHOLE_WORD_FACTOR),
                                         else_=1))
    return (select(terms.record_id, score.label("score")).where(terms.term.in_(wanted))
            .group_by(terms.record_id).having(func.count(func.distinct(which)) == len(words)))


def _words(query: str) -> list[blind.QueryWord]:
    key = index_key()
    return [] if key is None else blind.query_words(key, query)


def index_usable() -> bool:
    """False when the index was built with a key that is no longer configured (``praclox search reindex``)."""
    return index_key() is not None


def search(query: str) -> list[Result]:
    """The best matches of every kind, ranked together (best first)."""
    words = _words(query)
    if not words:
        return []
    found: list[tuple[int, str, int]] = []
    for kind in KINDS:
        stmt = matching(kind, words)
        stmt = stmt.order_by(stmt.selected_columns.score.desc(), kind.terms.record_id.desc()).limit(PER_KIND)
        found.extend((score, kind.name, record_id) for record_id, score in db.session.execute(stmt))
    found.sort(key=lambda f: (-f[0], f[1], -f[2]))
    records = _load(found)
    return [Result(name, records[name][record_id], score,
                   _snippet(BY_NAME[name], records[name][record_id], words))
            for score, name, record_id in found if record_id in records[name]]


def _load(found: list[tuple[int, str, int]]) -> dict[str, dict[int, Any]]:
    loaded: dict[str, dict[int, Any]] = {}
    for kind in KINDS:
        ids = [record_id for _, name, record_id in found if name == kind.name]
        stmt = select(kind.model).where(kind.model.id.in_(ids))
        if kind.model is Contact:
            stmt = stmt.options(selectinload(Contact.office))
        elif kind.model is Interaction:
            stmt = stmt.options(selectinload(Interaction.office), selectinload(Interaction.contact))
        loaded[kind.name] = {r.id: r for r in db.session.scalars(stmt)} if ids else {}
    return loaded


def _snippet(kind: Kind, record: Any, words: list[blind.QueryWord]) -> Snippet | None:
    """Around the first word of the first field (in the kind's order) that begins with a query word."""
    wanted = tuple(w.word for w in words)
    for field, _weight in kind.fields:
        text = getattr(record, field) or ""
        for found in re.finditer(r"[^\W_]+", text):
            if any(word.startswith(wanted) for word in blind.words(found.group())):
                return _cut(text, found.start(), found.end())
    return None


def _cut(text: str, start: int, end: int) -> Snippet:
    left, right = max(0, start - SNIPPET_BEFORE), min(len(text), end + SNIPPET_AFTER)
    before, after = text[left:start], text[end:right]
    if left > 0:
        before = "…" + before.split(" ", 1)[-1] if " " in before else "…" + before
    if right < len(text):
        after = (after.rsplit(" ", 1)[0] if " " in after else after) + "…"
    return Snippet(before, text[start:end], after)


def office_ids(query: str) -> Select[Any] | None:
    """Offices found by the query directly or through one of their contacts (a subquery), or ``None`` when
    the query holds no word."""
    words = _words(query)
    if not words:
        return None
    offices = matching(BY_NAME["office"], words).subquery()
    contacts = matching(BY_NAME["contact"], words).subquery()
    return select(offices.c.record_id).union(
        select(Contact.office_id).where(Contact.id.in_(select(contacts.c.record_id))))


def contact_ids(query: str) -> Select[Any] | None:
    """Contacts the query finds (a subquery), or ``None`` when the query holds no word."""
    words = _words(query)
    if not words:
        return None
    found = matching(BY_NAME["contact"], words).subquery()
    return select(found.c.record_id)
