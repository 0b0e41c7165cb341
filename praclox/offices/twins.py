"""Possible duplicates ("twins") of offices and contacts: the same e-mail address, phone number (any
spelling), KvK number or website, or a nearly identical name.

Nothing here compares every record with every other. Exact keys are grouped (``GROUP BY`` in SQL where the
stored value can be compared as it is; one pass over normalised values where it cannot, as for phone
numbers written any way); names are compared only within a block that shares the first letters of the
normalised name, with rapidfuzz. A single office's twins are found by indexed lookups and one such block.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from rapidfuzz import fuzz, process
from sqlalchemy import and_, func, or_, select

from praclox import phones
from praclox.extensions import db
from praclox.offices.models import Contact, Office

#: token-sorted similarity (0-100) from which two normalised names count as "nearly the same"
NAME_SIMILARITY = 90
#: how many leading characters of the normalised name make a block of names to compare
BLOCK = 4
#: legal forms and fillers that do not tell two offices apart
NOISE = frozenset({"bv", "b v", "nv", "vof", "cv", "holding", "the", "de", "het", "en", "and", "&"})
REASONS = ("email", "phone", "kvk_number", "website", "name")
REASON_LABELS = {"email": _l("same e-mail address"), "phone": _l("same phone number"),
                 "kvk_number": _l("same KvK number"), "website": _l("same website"),
                 "name": _l("nearly the same name")}


def reasons_text(reasons: Iterable[str]) -> str:
    """Why two records may be one, in words: "same e-mail address, nearly the same name"."""
    return ", ".join(str(REASON_LABELS[r]) for r in REASONS if r in set(reasons))


def normal_name(name: str | None) -> str:
    """Lower case, accents and punctuation gone, legal forms ("B.V.", "v.o.f.") and fillers dropped."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", text)  # "b.v." -> "bv."
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(w for w in words if w not in NOISE)


def name_block(name: str | None) -> str | None:
    """The block a name is compared in: the first ``BLOCK`` letters of its normal form ("De Groot Techniek
    B.V." and "Groot Techniek" both ``groo``). Stored with each office (``Office.name_block``) so one office's
    name twins are one index look-up; ``None`` for a name of fillers only, which is compared with nothing."""
    return normal_name(name)[:BLOCK] or None


def normal_website(url: str | None) -> str:
    """The host of a web address without scheme, ``www.``, path or case: ``https://www.X.nl/`` -> ``x.nl``."""
    host = re.sub(r"^[a-z]+://", "", (url or "").strip().lower()).split("/")[0]
    return host.removeprefix("www.")


def normal_email(address: str | None) -> str:
    return (address or "").strip().lower()


_NORMAL_FORMS = {"email": normal_email, "website": normal_website, "phone": phones.normalise}


def twin_key(column: str, value: str | None) -> str | None:
    """What an office keeps in ``<column>_key`` (``email``, ``website`` or ``phone``): the normal form the checks
    compare, so one office's twins are found by an index (``None`` for an empty value)."""
    return _NORMAL_FORMS[column](value) or None


def names_match(a: str, b: str) -> bool:
    """Nearly the same normalised names. Differing numbers tell branches apart: "Kantoor 2" is not "Kantoor 3"."""
    if not a or not b or re.findall(r"\d+", a) != re.findall(r"\d+", b):
        return False
    return fuzz.token_sort_ratio(a, b) >= NAME_SIMILARITY


@dataclass
class Pair:
    """Two records that may be one, and why."""

    first: Any
    second: Any
    reasons: set[str] = field(default_factory=set)

    @property
    def ordered_reasons(self) -> list[str]:
        return [r for r in REASONS if r in self.reasons]


# --- one office: its likely twins --------------------------------------------------------------------


def office_twins(data: Mapping[str, Any], *, exclude_id: int | None = None, limit: int = 10) -> list[Pair]:
    """Existing offices that look like ``data`` (an office's fields, e.g. a form's or an import row's).

    One query narrows the offices to candidates by index look-ups (the same normal e-mail address, KvK number,
    website host or phone number, each kept with the office; a name in the same block as the duplicates page's
    and holding the same numbers); the normal forms and rapidfuzz decide among those, as on that page."""
    email, kvk = normal_email(data.get("email")), (data.get("kvk_number") or "").strip()
    site, number, name = normal_website(data.get("website")), phones.normalise(data.get("phone")), normal_name(
        data.get("name"))
    conditions: list[Any] = [key == value for key, value in (
        (Office.email_key, email), (Office.kvk_number, kvk), (Office.website_key, site), (Office.phone_key, number))
        if value]  # each an index look-up on a normal form kept with the office (``twin_key``), never a scan
    if name:  # the block the duplicates page compares this name in (``_name_blocks``), by its index
        same_numbers = [Office.name.like(f"%{n}%") for n in re.findall(r"\d+", name)]
        conditions.append(and_(Office.name_block == name[:BLOCK], *same_numbers))
    if not conditions:
        return []
    stmt = select(Office.id, Office.name, Office.email, Office.kvk_number, Office.website, Office.phone).where(
        or_(*conditions))
    if exclude_id is not None:
        stmt = stmt.where(Office.id != exclude_id)
    found: dict[int, set[str]] = {}
    for row in db.session.execute(stmt.order_by(Office.id).limit(2000)):
        reasons = {reason for reason, same in (
            ("email", bool(email) and normal_email(row.email) == email),
            ("kvk_number", bool(kvk) and row.kvk_number == kvk),
            ("website", bool(site) and normal_website(row.website) == site),
            ("phone", bool(number) and phones.normalise(row.phone) == number),
            ("name", bool(name) and names_match(name, normal_name(row.name))),
        ) if same}
        if reasons:
            found[row.id] = reasons
    shown = sorted(found, key=lambda oid: (-len(found[oid]), oid))[:limit]
    offices = {o.id: o for o in db.session.scalars(select(Office).where(Office.id.in_(shown)))} if shown else {}
    return [Pair(None, offices[oid], found[oid]) for oid in shown]


def contact_twins(data: Mapping[str, Any], office: Office, *, exclude_id: int | None = None) -> list[Pair]:
    """Contacts that look like ``data``: the same e-mail anywhere, or a nearly same name or the same mobile
    number at ``office``."""
    found: dict[int, set[str]] = defaultdict(set)
    email = normal_email(data.get("email"))
    if email:
        for cid in db.session.scalars(select(Contact.id).where(func.lower(Contact.email) == email)):
            found[cid].add("email")
    name = normal_name(f"{data.get('first_name') or ''} {data.get('last_name') or ''}")
    numbers = {phones.normalise(data.get(k)) for k in ("phone", "mobile")} - {"", phones.normalise(office.phone)}
    for contact in office.contacts:
        if name and names_match(name, normal_name(contact.full_name)):
            found[contact.id].add("name")
        if numbers & {phones.normalise(contact.phone), phones.normalise(contact.mobile)}:
            found[contact.id].add("phone")
    found.pop(exclude_id, None)  # type: ignore[arg-type]
    contacts = {c.id: c for c in db.session.scalars(select(Contact).where(Contact.id.in_(list(found))))}
    return [Pair(None, contacts[cid], reasons) for cid, reasons in sorted(found.items(), key=lambda i: -len(i[1]))]


# --- everything: the list of candidates ---------------------------------------------------------------


def _pairs_of_groups(pairs: dict[tuple[int, int], set[str]], groups: Iterable[list[int]], reason: str) -> None:
    for ids in groups:
        ids = sorted(set(ids))
        for i, first in enumerate(ids):
            for second in ids[i + 1:]:
                pairs[(first, second)].add(reason)


def _grouped(rows: Iterable[tuple[int, str]]) -> list[list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for rid, key in rows:
        if key:
            groups[key].append(rid)
    return [ids for ids in groups.values() if len(ids) > 1]


def _sql_groups(id_column: Any, key: Any) -> list[list[int]]:
    """Ids sharing a key, found by the database: only keys held more than once come back."""
    shared = select(key.label("k")).where(key.is_not(None), key != "").group_by(key).having(func.count() > 1).subquery()
    rows = db.session.execute(select(id_column, key).where(key.in_(select(shared.c.k))))
    return _grouped((rid, k) for rid, k in rows)


def _name_blocks(rows: Iterable[tuple[int, str, Any]]) -> list[list[int]]:
    """Pairs of nearly-same names, compared only within a block: the same ``scope`` (e.g. the office of a
    contact; None for offices), the same first letters of the normalised name and the same numbers in it."""
    blocks: dict[tuple[Any, str, tuple[str, ...]], list[tuple[int, str]]] = defaultdict(list)
    for rid, name, scope in rows:
        normal = normal_name(name)
        if normal:  # names with different numbers never match: "Kantoor 12" is not compared with "Kantoor 13"
            blocks[(scope, normal[:BLOCK], tuple(re.findall(r"\d+", normal)))].append((rid, normal))
    found = []
    for block in blocks.values():
        if len(block) < 2:
            continue
        names = [n for _, n in block]
        for i, (rid, name) in enumerate(block[:-1]):
            for _match, _score, j in process.extract(name, names[i + 1:], scorer=fuzz.token_sort_ratio,
                                                     score_cutoff=NAME_SIMILARITY, limit=None):
                other_id, other = block[i + 1 + j]
                if names_match(name, other):
                    found.append([rid, other_id])
    return found


def office_pairs() -> list[Pair]:
    """Every pair of offices that may be one, most reasons first."""
    pairs: dict[tuple[int, int], set[str]] = defaultdict(set)
    for reason, key in (("email", Office.email_key), ("kvk_number", Office.kvk_number),
                        ("phone", Office.phone_key), ("website", Office.website_key)):
        _pairs_of_groups(pairs, _sql_groups(Office.id, key), reason)  # the normal forms kept with each office
    rows = db.session.execute(select(Office.id, Office.name)).all()
    _pairs_of_groups(pairs, _name_blocks((r.id, r.name, None) for r in rows), "name")
    return _ranked(pairs)


def contact_pairs() -> list[Pair]:
    """Every pair of contacts that may be one person: the same e-mail address anywhere; the same mobile
    number (a direct number, never the office's switchboard); a nearly same name at the same office."""
    pairs: dict[tuple[int, int], set[str]] = defaultdict(set)
    _pairs_of_groups(pairs, _sql_groups(Contact.id, func.lower(Contact.email)), "email")
    rows = db.session.execute(select(Contact.id, Contact.office_id, Contact.first_name, Contact.last_name,
                                     Contact.phone, Contact.mobile, Office.phone.label("switchboard"))
                              .join(Office, Office.id == Contact.office_id)).all()
    normal = functools.lru_cache(maxsize=None)(phones.normalise)  # an office's switchboard, once
    direct = [(r.id, n) for r in rows for n in {normal(r.phone), normal(r.mobile)} if n and n != normal(r.switchboard)]
    _pairs_of_groups(pairs, _grouped(direct), "phone")
    people = ((r.id, f"{r.first_name} {r.last_name}", r.office_id) for r in rows)
    _pairs_of_groups(pairs, _name_blocks(people), "name")
    return _ranked(pairs)


def _ranked(pairs: dict[tuple[int, int], set[str]]) -> list[Pair]:
    order = sorted(pairs.items(), key=lambda item: (-len(item[1]), item[0]))
    return [Pair(first, second, reasons) for (first, second), reasons in order]
