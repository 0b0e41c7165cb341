"""Purging one batch of due applicants in one transaction: bulk statements, a savepoint per applicant on failure.

The fast path purges the whole batch with a few set-based statements (one DELETE per child table, one for the
applicants, one INSERT of the tombstones and one of their audit entries) inside a savepoint. When anything in
it fails, that savepoint is rolled back and the batch is done again one applicant per savepoint, so one
applicant's failure never stops the others, and the batch still commits once. Per-applicant savepoints on
every applicant would cost three round trips each; the profile of the old purge showed the round trips and
the commit per applicant as the whole cost (bench/README.md).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Integer, any_, delete, func, insert, literal, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY

from praclox.applicants.models import Applicant, Consent, ConsentLink, Document, StatusChange, Tombstone, Vacancy
from praclox.applicants.purge import (
    MAX_ERROR_LINES,
    AlreadyGone,
    DueItem,
    NoLongerDue,
    Policy,
    due_rule,
    purge_applicant,
)
from praclox.audit.models import AuditEntry
from praclox.backup import ledger
from praclox.clock import today
from praclox.db import UTCDateTime, utcnow
from praclox.extensions import db
from praclox.files import store

log = logging.getLogger("praclox.applicants.purge")

#: child tables whose ids are audited (consent links are not: a nonce is no record id)
AUDITED_CHILDREN = (StatusChange, Consent, Document)


@dataclass
class BatchOutcome:
    counts: Counter[str] = field(default_factory=Counter)
    files: list[str] = field(default_factory=list)


class _BatchFailed(Exception):
    """The bulk path met something it cannot decide for the whole batch (e.g. a row gone meanwhile)."""


def begin_write() -> None:
    """Open the batch's write transaction now, so its savepoints nest inside it.

    SQLite through pysqlite starts a transaction only at the first INSERT/UPDATE/DELETE; a SAVEPOINT before
    that would be the outermost transaction and its RELEASE a commit. BEGIN IMMEDIATE also takes the write
    lock up front, so a second purge waits for this batch instead of failing on a stale snapshot.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def ids_in(column: Any, ids: list[Any]) -> Any:
    """``column IN ids`` with one parameter instead of 500 (the profile showed rendering and converting the
    expanded placeholders as the largest cost after the round trips)."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        return column == any_(literal(ids, ARRAY(column.type)))
    if dialect == "sqlite":  # the same on SQLite: one JSON parameter, still looked up through the index
        return column.in_(select(literal_column("value")).select_from(func.json_each(literal(json.dumps(ids)))))
    return column.in_(ids)


def _recheck(batch: Sequence[DueItem], as_of: date, policy: Policy, outcome: BatchOutcome
             ) -> list[tuple[int, str, Any]]:
    """Read the batch again inside the transaction (rows locked on PostgreSQL): (id, rule, row) still due."""
    ids = [item.applicant_id for item in batch]
    rows = {row.id: row for row in db.session.execute(
        select(Applicant.id, Applicant.status, Applicant.decided_on, Applicant.legal_hold, Vacancy.title)
        .join(Vacancy, Vacancy.id == Applicant.vacancy_id)
        .where(ids_in(Applicant.id, ids)).with_for_update(of=Applicant)
    )}
    consents: dict[int, list[tuple[date, date | None]]] = {}
    for applicant_id, expires_on, withdrawn_on in db.session.execute(
        select(Consent.applicant_id, Consent.expires_on, Consent.withdrawn_on).where(ids_in(Consent.applicant_id, ids))
    ):
        consents.setdefault(applicant_id, []).append((expires_on, withdrawn_on))
    due = []
    for item in batch:
        row = rows.get(item.applicant_id)
        if row is None:
            outcome.counts["already_gone"] += 1
            continue
        found = due_rule(row.status, row.decided_on, consents.get(row.id, []), policy)
        if row.legal_hold or found is None or found[0] > as_of:
            outcome.counts["no_longer_due"] += 1
            continue
        due.append((row.id, found[1], row))
    return due


def _bulk(batch: Sequence[DueItem], as_of: date, policy: Policy) -> BatchOutcome:
    outcome = BatchOutcome()
    due = _recheck(batch, as_of, policy, outcome)
    if not due:
        return outcome
    ids = [applicant_id for applicant_id, _, _ in due]
    outcome.files = list(db.session.scalars(select(Document.stored_name).where(ids_in(Document.applicant_id, ids))))
    # the audit trail forgets the records first, while their ids can still be found by the applicant's id
    forget = delete(AuditEntry).execution_options(synchronize_session=False)
    for model in AUDITED_CHILDREN:
        # the ids as a list, not a subquery: PostgreSQL planned the subquery as a hash join over the whole
        # audit trail, once per table and batch (a purge of 50,000 ran at a tenth of the speed of 10,000)
        child_ids = list(db.session.scalars(select(model.id).where(ids_in(model.applicant_id, ids))))
        if child_ids:
            db.session.execute(forget.where(AuditEntry.record_type == model.__tablename__,
                                            ids_in(AuditEntry.record_id, child_ids)))
    db.session.execute(forget.where(AuditEntry.record_type == "applicants", ids_in(AuditEntry.record_id, ids)))
    # children first and explicitly, so no database relies on its cascade to remove personal data
    for model in (*AUDITED_CHILDREN, ConsentLink):
        db.session.execute(delete(model).where(ids_in(model.applicant_id, ids))
                           .execution_options(synchronize_session=False))
    store.remove(outcome.files)  # after the documents that name them, in the same transaction
    gone = db.session.execute(delete(Applicant).where(ids_in(Applicant.id, ids))
                              .execution_options(synchronize_session=False)).rowcount
    ledger.note("applicants", ids)  # the audit entries went without forget_record: a restore needs the ids
    if gone != len(ids):
        raise _BatchFailed(f"{len(ids) - gone} applicant(s) went meanwhile")
    _tombstones(due, as_of)
    outcome.counts["purged"] = len(ids)
    return outcome


def _tombstones(due: list[tuple[int, str, Any]], as_of: date) -> None:
    rows = [{"public_id": secrets.token_hex(8), "vacancy_title": row.title, "decided_on": row.decided_on,
             "purged_on": today(), "rule": rule} for _, rule, row in due]  # the real day, whatever as_of says
    # Core tables on the session's connection, no RETURNING: on SQLite an ordered RETURNING falls back to one
    # INSERT per row, which the profile showed as the purge's largest cost
    connection = db.session.connection()
    tombstones = Tombstone.__table__
    connection.execute(insert(tombstones), rows)
    # their audit entries in one statement, found again by their random public ids; the batch purge is the job's
    # or the command's, a system action: no actor (praclox/README.md)
    connection.execute(insert(AuditEntry.__table__).from_select(
        ["actor_id", "action", "record_type", "record_id", "fields", "at"],
        select(literal(None, Integer), literal("purge"), literal(tombstones.name), tombstones.c.id,
               tombstones.c.rule, literal(utcnow(), UTCDateTime()))
        .where(ids_in(tombstones.c.public_id, [row["public_id"] for row in rows])),
    ))
    ledger.note_added(tombstones.name, connection.scalars(
        select(tombstones.c.id).where(ids_in(tombstones.c.public_id, [row["public_id"] for row in rows]))))


def _one_by_one(batch: Sequence[DueItem], as_of: date, policy: Policy, failed_so_far: int) -> BatchOutcome:
    outcome = BatchOutcome()
    for item in batch:
        savepoint = db.session.begin_nested()
        try:
            files = purge_applicant(item.applicant_id, item.rule, as_of, policy=policy, actor=None)
            savepoint.commit()
        except AlreadyGone:
            savepoint.rollback()
            outcome.counts["already_gone"] += 1
        except NoLongerDue:
            savepoint.rollback()
            outcome.counts["no_longer_due"] += 1
        except Exception as exc:  # one applicant's failure must not stop the rest
            savepoint.rollback()
            outcome.counts["failed"] += 1
            if failed_so_far + outcome.counts["failed"] <= MAX_ERROR_LINES:
                log.error("purge failed for applicant id %d: %s", item.applicant_id, type(exc).__name__)
        else:
            outcome.counts["purged"] += 1
            outcome.files.extend(files)
    return outcome


def purge_batch(batch: Sequence[DueItem], as_of: date, policy: Policy, failed_so_far: int = 0) -> BatchOutcome:
    """Purge a batch, the documents' stored files too, inside the caller's transaction (the caller commits)."""
    begin_write()
    savepoint = db.session.begin_nested()
    try:
        outcome = _bulk(batch, as_of, policy)
        savepoint.commit()
        return outcome
    except Exception as exc:  # noqa: BLE001  (decided again one applicant at a time below)
        savepoint.rollback()
        if failed_so_far < MAX_ERROR_LINES:
            log.warning("purge batch of %d went one by one after %s", len(batch), type(exc).__name__)
    return _one_by_one(batch, as_of, policy, failed_so_far)
