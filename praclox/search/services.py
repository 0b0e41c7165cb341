"""One search over offices, contacts and contact moments: index look-ups, ranked, with a snippet.

A record matches when every word of the query is one of its words or the beginning of one; it scores the
weight of the field each word was found in, three times over for a whole word. A page reads per kind only the
best ids up to that page (for one word straight from the index's order: a word in 14,000 summaries reads 41
index entries on the first page, not 14,000; several words that are all that common rank the newest
``CANDIDATES`` records holding the rarest of them), and only the records shown are loaded, and only their
summaries decrypted (for the snippet).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import g, has_request_context
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    bindparam,
    case,
    func,
    intersect,
    literal,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import aliased

from praclox.extensions import db
from praclox.offices.models import Contact, Interaction, Office
from praclox.search import blind
from praclox.search.index import BY_NAME, KINDS, Kind, index_key

#: results on one page of the Search page; only these records are loaded (and their summaries decrypted)
PAGE_SIZE = 20
#: the last page a search reads to (each page reads every kind's best ``page × PAGE_SIZE + 1`` ids)
MAX_PAGE = 25
#: a query of several words ranks the records holding its rarest word, at most this many (the newest): a word
#: in 14,000 summaries would otherwise have every one of its records grouped
CANDIDATES = 2000
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
    """One shown result: what its line says (read as columns, never as loaded records) and where it links."""

    kind: str  # "office", "contact" or "interaction"
    id: int
    office_id: int
    #: the office's name (an office, a contact moment) or the person's name (a contact)
    title: str
    #: an office's city, a contact's office name, a contact moment's contact (may be empty)
    detail: str
    score: int
    snippet: Snippet | None
    #: the day of a contact moment
    occurred_on: date | None = None


@dataclass(frozen=True)
class Found:
    """One page of results, and whether a next page holds more."""

    results: list[Result]
    page: int
    more: bool
    #: False when the index was built with a key that is no longer configured (``praclox search reindex``)
    usable: bool = True


def _terms_of(word: blind.QueryWord) -> list[int]:
    return [t for t in (word.whole, word.prefix) if t is not None]


def matching(kind: Kind, words: list[blind.QueryWord], within: list[int] | None = None) -> Select[Any]:
    """Ids and scores of the records of ``kind`` holding every query word (a look-up by term, never a scan),
    among the ids ``within`` when given.

    A word scores once per record: the weight of the best field it was found in, three times over when found
    whole rather than by its beginning; a record's score is the sum over the words."""
    terms = kind.terms
    wanted = [t for w in words for t in _terms_of(w)]
    which = case(*((terms.term.in_(_terms_of(w)), i) for i, w in enumerate(words)))
    best = func.max(terms.weight * case((terms.term.in_([w.whole for w in words]), blind.WHOLE_WORD_FACTOR),
                                        else_=1))
    stmt = select(terms.record_id.label("record_id"), best.label("best")).where(terms.term.in_(wanted))
    if within is not None:
        stmt = stmt.where(terms.record_id.in_(within))
    per_word = stmt.group_by(terms.record_id, which).subquery()
    return (select(per_word.c.record_id, func.sum(per_word.c.best).label("score"))
            .group_by(per_word.c.record_id).having(func.count() == len(words)))


def _ranked_one_word(kinds: tuple[Kind, ...], word: blind.QueryWord, limit: int) -> dict[str, list[tuple[int, int]]]:
    """Per kind, the best ``limit`` (score, id) of one word, best first, in one statement: per kind and term
    the records by weight and newest first, ``limit`` of them read in the index's order, never every record
    holding a common word. A record's score is its better match (whole or by the beginning), so the best of
    both short lists are the best of all."""
    params = {"whole": word.whole, "limit": limit}
    if word.prefix is not None:
        params["prefix"] = word.prefix
    best: list[dict[int, int]] = [{} for _ in kinds]
    for number, record_id, score in db.session.execute(_one_word_statement(kinds, word.prefix is not None), params):
        best[number][record_id] = max(best[number].get(record_id, 0), score)
    return {kind.name: sorted(((score, record_id) for record_id, score in found.items()),
                              key=lambda f: (-f[0], -f[1]))[:limit] for kind, found in zip(kinds, best, strict=True)}


@functools.cache
def _one_word_statement(kinds: tuple[Kind, ...], with_prefix: bool) -> Any:
    """The statement of ``_ranked_one_word``, built once with its terms and limit as parameters (a statement
    object keeps its cache key: a search neither rebuilds nor re-keys it)."""
    limit = bindparam("limit", type_=Integer)
    branches = []
    for number, kind in enumerate(kinds):
        terms, weights = kind.terms, {w for _, w in kind.fields}
        one_weight = len(weights) == 1  # contact moments: the primary key's order (term, record) is the rank
        weight = literal(next(iter(weights))) if one_weight else terms.weight
        order = [terms.record_id.desc()] if one_weight else [terms.weight.desc(), terms.record_id.desc()]
        for name, factor in (("whole", blind.WHOLE_WORD_FACTOR), ("prefix", 1))[:2 if with_prefix else 1]:
            branch = select(literal(number).label("kind"), terms.record_id.label("record_id"),
                            (weight * factor).label("score")).where(terms.term == bindparam(name, type_=BigInteger))
            branches.append(select(branch.order_by(*order).limit(limit).subquery()))
    return union_all(*branches)


def _word_params(words: list[blind.QueryWord]) -> dict[str, int]:
    """The terms of a query's words as the parameters of the statements built once per shape: ``w0``, ``p0``, …"""
    params = {f"w{i}": word.whole for i, word in enumerate(words)}
    params.update({f"p{i}": word.prefix for i, word in enumerate(words) if word.prefix is not None})
    return params


def _term_names(shape: tuple[bool, ...], position: int) -> list[tuple[str, int]]:
    """The parameter names of one word's terms, each with its factor: whole, then (when it has one) beginning."""
    names = [(f"w{position}", blind.WHOLE_WORD_FACTOR)]
    return names + [(f"p{position}", 1)] if shape[position] else names


def _term(name: str) -> Any:
    return bindparam(name, type_=BigInteger)


def _capped_counts(kinds: tuple[Kind, ...], words: list[blind.QueryWord], cap: int) -> dict[tuple[int, int], int]:
    """Per kind and query word, how many postings its terms hold, counted up to ``cap + 1`` per term (one
    statement; each count an index-only walk of one term that stops there): enough to tell the rarest word."""
    shape = tuple(word.prefix is not None for word in words)
    counts: dict[tuple[int, int], int] = {}
    rows = db.session.execute(_counts_statement(kinds, shape), {**_word_params(words), "cap": cap + 1})
    for number, position, postings in rows:
        counts[(number, position)] = counts.get((number, position), 0) + postings
    return counts


@functools.cache
def _counts_statement(kinds: tuple[Kind, ...], shape: tuple[bool, ...]) -> Any:
    cap = bindparam("cap", type_=Integer)
    branches = []
    for number, kind in enumerate(kinds):
        terms = kind.terms
        for position in range(len(shape)):
            for name, _factor in _term_names(shape, position):
                capped = select(terms.record_id).where(terms.term == _term(name)).limit(cap).subquery()
                branches.append(select(literal(number).label("kind"), literal(position).label("word"),
                                       select(func.count()).select_from(capped).scalar_subquery().label("postings")))
    return union_all(*branches)


def _probe(terms: Any, name: str, record_id: Any, factor: int, weight: Any) -> Any:
    """The weight (times ``factor``) of one term of one record: a unique look-up on the primary key (``weight``
    a literal when the kind has one weight: the look-up then reads the index alone)."""
    probe = aliased(terms)
    weight = probe.weight if weight is terms.weight else weight
    return (select(weight * factor if factor != 1 else weight)
            .where(probe.term == _term(name), probe.record_id == record_id).scalar_subquery())


def _ranked_words(kinds: tuple[Kind, ...], words: list[blind.QueryWord],
                  limit: int) -> dict[str, list[tuple[int, int]]]:
    """Per kind, the best ``limit`` (score, id) of a query of several words, best first, in two statements
    whatever the words: the postings counted (up to ``CANDIDATES`` per term) to find each kind's rarest word,
    then one ranking of every kind. The candidates are the records holding the rarest word (its newest
    ``CANDIDATES`` when it is that common), read in the index's order with that word's score; each other word is
    one or two unique look-ups on (term, record) per candidate, never a grouping of a common word's postings.
    Both statements are built once per shape of query (its words' count, which of them have a beginning, which
    is the rarest per kind) and take the terms as parameters."""
    counts = _capped_counts(kinds, words, CANDIDATES)
    rarest = tuple(min(range(len(words)), key=lambda position, n=number: counts[(n, position)])
                   for number in range(len(kinds)))
    rarest = tuple(r if counts[(n, r)] else None for n, r in enumerate(rarest))
    ranked: dict[str, list[tuple[int, int]]] = {kind.name: [] for kind in kinds}
    if any(r is not None for r in rarest):
        shape = tuple(word.prefix is not None for word in words)
        params = {**_word_params(words), "cap": CANDIDATES, "limit": limit}
        for number, record_id, score in db.session.execute(_ranking_statement(kinds, shape, rarest), params):
            ranked[kinds[number].name].append((score, record_id))
    return {name: sorted(best, key=lambda f: (-f[0], -f[1])) for name, best in ranked.items()}


@functools.cache
def _ranking_statement(kinds: tuple[Kind, ...], shape: tuple[bool, ...], rarest: tuple[int | None, ...]) -> Any:
    cap, limit = bindparam("cap", type_=Integer), bindparam("limit", type_=Integer)
    branches = []
    for number, kind in enumerate(kinds):
        if rarest[number] is None:
            continue
        terms = kind.terms
        weights = {w for _, w in kind.fields}
        one_weight = len(weights) == 1  # contact moments: the walk and the look-ups read the index alone
        weight = literal(next(iter(weights))) if one_weight else terms.weight
        walks = [select(terms.record_id.label("record_id"), (weight * factor).label("score"))
                 .where(terms.term == _term(name)).order_by(terms.record_id.desc()).limit(cap)
                 for name, factor in _term_names(shape, rarest[number])]
        walked = union_all(*(select(w.subquery()) for w in walks)).subquery()
        found = (select(walked.c.record_id, func.max(walked.c.score).label("score")).group_by(walked.c.record_id)
                 .order_by(walked.c.record_id.desc()).limit(cap).subquery())
        others = []
        for position in range(len(shape)):
            if position == rarest[number]:
                continue
            whole = _probe(terms, f"w{position}", found.c.record_id, blind.WHOLE_WORD_FACTOR, weight)
            if not shape[position]:
                others.append(whole)
                continue
            prefix = _probe(terms, f"p{position}", found.c.record_id, 1, weight)
            others.append(func.coalesce(whole, prefix) if one_weight else case(  # a whole word outweighs a beginning
                (func.coalesce(whole, 0) >= func.coalesce(prefix, 0), whole), else_=prefix))
        # the LIMIT keeps this layer a subquery of its own, so each look-up runs once per candidate
        scored = select(found.c.record_id, found.c.score, *(o.label(f"s{i}") for i, o in enumerate(others))).limit(
            cap).subquery()
        score = sum((scored.c[f"s{i}"] for i in range(len(others))), scored.c.score)
        best = (select(literal(number).label("kind"), scored.c.record_id, score.label("score"))
                .where(*(scored.c[f"s{i}"].is_not(None) for i in range(len(others))))
                .order_by(score.desc(), scored.c.record_id.desc()).limit(limit))
        branches.append(select(best.subquery()))
    return union_all(*branches)


def _ranked(kind: Kind, words: list[blind.QueryWord], limit: int) -> list[tuple[int, int]]:
    """The best ``limit`` (score, id) of ``kind`` for the query, best first.

    Several words are ranked among the records holding the rarest of them: all of them when it is in at most
    ``CANDIDATES`` records, else the newest ``CANDIDATES`` (then an older record holding every word of a query
    of only very common words is not found: refine the query)."""
    if len(words) == 1:
        return _ranked_one_word((kind,), words[0], limit)[kind.name]
    return _ranked_words((kind,), words, limit)[kind.name]


def _words(query: str, key: bytes | None) -> list[blind.QueryWord]:
    return [] if key is None else blind.query_words(key, query)


def index_usable() -> bool:
    """False when the index was built with a key that is no longer configured (``praclox search reindex``)."""
    return index_key() is not None


def search(query: str, page: int = 1) -> Found:
    """One page of the best matches of every kind, ranked together (best first)."""
    page = min(max(page, 1), MAX_PAGE)
    key = index_key()
    words = _words(query, key)
    if not words:
        return Found([], page, False, key is not None)
    upto = page * PAGE_SIZE
    if len(words) == 1:
        ranked = _ranked_one_word(KINDS, words[0], upto + 1)
    else:
        ranked = _ranked_words(KINDS, words, upto + 1)
    found = [(score, name, record_id) for name, best in ranked.items() for score, record_id in best]
    found.sort(key=lambda f: (-f[0], f[1], -f[2]))
    shown = found[upto - PAGE_SIZE:upto]
    rows = _load(shown)
    results = [_result(name, rows[name][record_id], score, words)
               for score, name, record_id in shown if record_id in rows[name]]
    return Found(results, page, len(found) > upto and page < MAX_PAGE, True)


def _columns() -> dict[str, Select[Any]]:
    """Per kind, the columns a shown result needs (its snippet's fields among them), by id: plain rows, no ORM
    records; a contact moment's summary is decrypted for the shown page only (the column's type does it)."""
    office, contact = aliased(Office), aliased(Contact)
    ids = bindparam("ids", expanding=True)
    return {
        "office": select(Office.id, Office.id.label("office_id"), Office.name, Office.visit_city, Office.email,
                         Office.website, Office.notes).where(Office.id.in_(ids)),
        "contact": select(Contact.id, Contact.office_id, Contact.first_name, Contact.last_name, Contact.job_title,
                          Contact.email, office.name.label("office_name"))
        .join(office, office.id == Contact.office_id).where(Contact.id.in_(ids)),
        "interaction": select(Interaction.id, Interaction.office_id, Interaction.occurred_on, Interaction.summary,
                              office.name.label("office_name"), contact.first_name, contact.last_name)
        .join(office, office.id == Interaction.office_id).outerjoin(contact, contact.id == Interaction.contact_id)
        .where(Interaction.id.in_(ids)),
    }


#: built once: a statement object keeps its cache key, so a search does not rebuild and re-key it per request
_LOADS = _columns()


def _load(found: list[tuple[int, str, int]]) -> dict[str, dict[int, Any]]:
    loaded: dict[str, dict[int, Any]] = {}
    for kind in KINDS:
        ids = [record_id for _, name, record_id in found if name == kind.name]
        loaded[kind.name] = {r.id: r for r in db.session.execute(_LOADS[kind.name], {"ids": ids})} if ids else {}
    return loaded


def _name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


def _result(name: str, row: Any, score: int, words: list[blind.QueryWord]) -> Result:
    snippet = _snippet(BY_NAME[name], row, words)
    if name == "office":
        return Result(name, row.id, row.office_id, row.name, row.visit_city or "", score, snippet)
    if name == "contact":
        return Result(name, row.id, row.office_id, _name(row.first_name, row.last_name), row.office_name, score,
                      snippet)
    return Result(name, row.id, row.office_id, row.office_name, _name(row.first_name, row.last_name), score, snippet,
                  row.occurred_on)


def _snippet(kind: Kind, record: Any, words: list[blind.QueryWord]) -> Snippet | None:
    """Around the first word of the first field (in the kind's order) that begins with a query word."""
    wanted = tuple(w.word for w in words)
    for field, _weight in kind.fields:
        text = getattr(record, field) or ""
        for found in re.finditer(r"[^\W_]+", text):
            word = found.group()  # a plain ASCII word needs only its case folded, not the full normalisation
            if (word.casefold().startswith(wanted) if word.isascii()
                    else any(w.startswith(wanted) for w in blind.words(word))):
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


def _holding(kind: Kind, words: list[blind.QueryWord]) -> Select[Any]:
    """Ids of the records of ``kind`` holding every query word (a subquery): per word an index-only walk of its
    postings, the walks intersected; no grouping or scores (the lists filter, they do not rank)."""
    terms = kind.terms
    walks = [select(terms.record_id).where(terms.term.in_(_terms_of(word))) for word in words]
    if len(walks) == 1:
        return walks[0]
    both = intersect(*walks).subquery()
    return select(both.c.record_id)


def office_condition(words: list[blind.QueryWord]) -> ColumnElement[bool]:
    """An office holding every word, or one of its contacts holding every word: two ``IN`` subqueries that the
    planner hashes once (or probes by index), where an ``IN`` of their union was a nested loop over every office
    (PostgreSQL, 23,200 comparisons for 400 offices)."""
    contacts = _holding(BY_NAME["contact"], words)
    return Office.id.in_(union(_holding(BY_NAME["office"], words),
                               select(Contact.office_id).where(Contact.id.in_(contacts))))


def office_words(query: str) -> list[blind.QueryWord]:
    """The query's words under the index's key (none without a word or a usable index)."""
    return _words(query, _request_key())


def contact_ids(query: str) -> Select[Any] | None:
    """Contacts the query finds (a subquery), or ``None`` when the query holds no word."""
    words = _words(query, _request_key())
    if not words:
        return None
    return _holding(BY_NAME["contact"], words)


def _request_key() -> bytes | None:
    """The index's key, read once per request (a list asks for it for its page, its count and its tag counts)."""
    if not has_request_context():
        return index_key()
    if "search_index_key" not in g:
        g.search_index_key = index_key()
    return g.search_index_key
