"""Keeping the search index in step with the records: on every flush, on a rebuild and on key rotation.

Every write path of offices, contacts and contact moments goes through the ORM, so one ``after_flush``
listener rewrites the terms of the records a flush added or whose searched fields it changed, in the same
transaction. Deleting a record deletes its terms through the foreign key. ``rebuild`` writes the whole index
again under the newest key: ``praclox search reindex``, and ``praclox keys rotate`` through ``search_index``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, event, func, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from praclox.crypto import derived_keys
from praclox.db import utcnow
from praclox.extensions import db
from praclox.offices.models import Contact, Interaction, Office
from praclox.search import blind
from praclox.search.models import ContactTerm, InteractionTerm, OfficeTerm, SearchIndexState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    """A kind of record the search finds: its model, its terms table and the fields read, with their weight."""

    name: str
    model: Any
    terms: Any
    fields: tuple[tuple[str, int], ...]

    def terms_of(self, key: bytes, record: Any) -> dict[int, int]:
        return blind.record_terms(key, ((getattr(record, f), w) for f, w in self.fields))


KINDS = (
    Kind("office", Office, OfficeTerm, (("name", 4), ("visit_city", 2), ("email", 2), ("website", 1), ("notes", 1))),
    Kind("contact", Contact, ContactTerm, (("first_name", 4), ("last_name", 4), ("job_title", 2), ("email", 2))),
    Kind("interaction", Interaction, InteractionTerm, (("summary", 1),)),
)
BY_NAME = {k.name: k for k in KINDS}


def _state_check(connection: Any) -> str | None:
    return connection.execute(select(SearchIndexState.key_check).where(SearchIndexState.id == 1)).scalar()


def index_key(connection: Any = None) -> bytes | None:
    """The key the stored index was built with: the newest key while nothing is indexed yet, ``None`` when no
    configured key built it (the index must be rebuilt: ``praclox search reindex``)."""
    return _key_for(_state_check(connection if connection is not None else db.session))


def _key_for(check: str | None) -> bytes | None:
    keys = derived_keys(blind.purpose())
    if check is None:
        return keys[0]
    return next((key for key in keys if blind.key_check(key) == check), None)


def _write(connection: Any, kind: Kind, key: bytes, records: Iterable[Any], *, replace: bool = True) -> int:
    records = list(records)
    if replace:
        connection.execute(delete(kind.terms).where(kind.terms.record_id.in_([r.id for r in records])))
    rows = [{"term": term, "weight": weight, "record_id": r.id}
            for r in records for term, weight in kind.terms_of(key, r).items()]
    if rows:
        connection.execute(insert(kind.terms), rows)
    return len(rows)


def _claim(connection: Any, key: bytes) -> None:
    """The first terms ever written name their key (only while no key is named: never overwritten here)."""
    values = {"key_check": blind.key_check(key), "built_at": utcnow()}
    claimed = connection.execute(update(SearchIndexState).where(
        SearchIndexState.id == 1, SearchIndexState.key_check.is_(None)).values(values)).rowcount
    if not claimed and _state_check(connection) is None:  # the row itself is gone (a database emptied by hand)
        _set_state(connection, values)


def _set_state(connection: Any, values: dict[str, Any]) -> None:
    done = connection.execute(update(SearchIndexState).where(SearchIndexState.id == 1).values(values)).rowcount
    if not done:
        try:
            with connection.begin_nested():  # two first writers at once: one inserts, the other finds it
                connection.execute(insert(SearchIndexState).values(id=1, **values))
        except IntegrityError:
            pass


def _changed(record: Any, kind: Kind) -> bool:
    state = inspect(record)
    return any(state.attrs[f].history.has_changes() for f, _ in kind.fields)


def _after_flush(session: Session, _context: Any) -> None:
    pending = {kind: [r for r in (*session.new, *session.dirty)
                      if isinstance(r, kind.model) and r not in session.deleted and _changed(r, kind)]
               for kind in KINDS}
    if not any(pending.values()):
        return
    connection = session.connection()
    check = _state_check(connection)
    key = _key_for(check)
    if key is None:
        log.warning("search index built with a key no longer configured: run `praclox search reindex`")
        return
    if check is None:  # a write per flush only until the index names its key (two statements fewer per save)
        _claim(connection, key)
    for kind, records in pending.items():
        if records:
            _write(connection, kind, key, records)


def listen() -> None:
    """Keep the index in step with every ORM flush (once per process)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def count_records() -> int:
    return sum(db.session.scalar(select(func.count()).select_from(kind.model)) or 0 for kind in KINDS)


def rebuild(*, batch_size: int = 500, on_progress: Callable[[int], None] | None = None) -> int:
    """Write the whole index again under the newest key, in the caller's transaction (one commit: a search
    never sees half an index under two keys). Returns the number of records indexed."""
    key = derived_keys(blind.purpose())[0]
    done = 0
    for kind in KINDS:
        db.session.execute(delete(kind.terms))
    for kind in KINDS:
        columns = [getattr(kind.model, f) for f, _ in kind.fields]
        last = 0
        while True:
            rows = db.session.execute(select(kind.model.id, *columns).where(kind.model.id > last)
                                      .order_by(kind.model.id).limit(batch_size)).all()
            if not rows:
                break
            _write(db.session, kind, key, rows, replace=False)
            last, done = rows[-1].id, done + len(rows)
            if on_progress is not None:
                on_progress(len(rows))
    _set_state(db.session, {"key_check": blind.key_check(key), "built_at": utcnow()})
    db.session.flush()
    return done


def search_index(batch_size: int) -> dict[str, int]:
    """``praclox keys rotate``: the index rebuilt under the newest key (left alone when already under it; a
    rotation that resumes does not build it twice)."""
    if _state_check(db.session) == blind.key_check(derived_keys(blind.purpose())[0]):
        return {"rebuilt": 0}
    done = rebuild(batch_size=batch_size)
    db.session.commit()
    return {"rebuilt": done}
