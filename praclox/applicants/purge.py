"""The retention rule and the purge: when an applicant's data must go, and making it go.

The rule, in one place (the report uses the same ``iter_due``, so the two always agree):

- hired: due ``retention.applicants_hired_days`` (28) days after the decision;
- rejected or withdrawn: due ``retention.applicants_rejected_days`` (28) days after the decision, unless a
  consent still holds then; a consent keeps the data until it expires or is withdrawn, and the applicant is
  due on that day (so the next daily run removes them: within 24 hours of a withdrawal);
- a legal hold stops all of this; an applicant still in the pipeline is never due (only flagged).

A consent holds from its ``given_on`` up to the day before ``expires_on``: on the expiry day it is over.
"""

from __future__ import annotations

import logging
import secrets
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Boolean, Date, Integer, Select, String, func, select, text

from praclox.applicants import services
from praclox.applicants.models import (
    DECIDED,
    Applicant,
    Consent,
    Status,
    Tombstone,
    Vacancy,
)
from praclox.audit.services import forget_record
from praclox.audit.services import record as audit
from praclox.auth.models import User
from praclox.backup import ledger
from praclox.bulk import in_values
from praclox.clock import check_not_ahead, today
from praclox.extensions import db
from praclox.files import store
from praclox.jobs.models import JobRun
from praclox.settings import services as settings

log = logging.getLogger("praclox.applicants.purge")

JOB_ID = "applicants-purge"
#: applicants per transaction: 1,000 halves the statements per applicant of 500 (0.042 -> 0.021) and holds
#: SQLite's write lock for about 0.8 s per batch of shaped applicants at load 12 (busy timeout: 5 s)
BATCH_SIZE = 1000
#: a failure that hits everyone is logged this many times, then only counted
MAX_ERROR_LINES = 20


#: a plain string: an enum member's ``.value`` costs a descriptor call, 100,000 times in a large purge
_HIRED = Status.HIRED.value


@dataclass(frozen=True)
class Policy:
    rejected_days: int
    hired_days: int

    @classmethod
    def current(cls) -> Policy:
        return cls(int(settings.get(services.REJECTED_DAYS)), int(settings.get(services.HIRED_DAYS)))


@dataclass(frozen=True)
class DueItem:
    """One applicant with the day their data must be gone and the rule that says so (no personal data)."""

    applicant_id: int
    vacancy_title: str
    status: str
    decided_on: date
    due_on: date
    rule: str


def due_rule(
    status: str, decided_on: date | None, consents: list[tuple[date, date | None]], policy: Policy
) -> tuple[date, str] | None:
    """The day an applicant becomes due for purge and the rule, or None (still in the pipeline).

    ``consents`` holds ``(expires_on, withdrawn_on)`` for each recorded consent. Legal holds are
    filtered out before this is asked.
    """
    if status not in DECIDED or decided_on is None:
        return None
    if status == _HIRED:
        return decided_on + timedelta(days=policy.hired_days), "hired"
    due_on, rule = decided_on + timedelta(days=policy.rejected_days), status
    for expires_on, withdrawn_on in consents:
        ended = min(expires_on, withdrawn_on) if withdrawn_on else expires_on
        if ended > due_on:
            due_on = ended
            rule = "consent_withdrawn" if withdrawn_on and withdrawn_on < expires_on else "consent_expired"
    return due_on, rule


def _candidates(cutoff: date, after_id: int, limit: int) -> Select[Any]:
    """The next applicants, by id, the rule may want on or before a day: decided by ``cutoff``, not on hold."""
    return (
        select(Applicant.id, Applicant.status, Applicant.decided_on)
        # coalesce() on a NOT NULL column changes nothing but keeps the planner off the (status, decided_on)
        # index: with it, SQLite sorted every due applicant again for each batch of 500 (a purge of 50,000
        # ran at a third of the speed of 10,000); without it each batch is the next stretch of the primary key
        .where(Applicant.id > after_id, func.coalesce(Applicant.status, "").in_(DECIDED),
               Applicant.legal_hold.is_(False), Applicant.decided_on <= cutoff)
        .order_by(Applicant.id)
        .limit(limit)
    )


def _cutoff(until: date, policy: Policy) -> date:
    # nobody can be due before the shortest period has passed since the decision
    return until - timedelta(days=min(policy.rejected_days, policy.hired_days))


def iter_due(until: date, *, batch_size: int = BATCH_SIZE) -> Iterator[list[DueItem]]:
    """Batches of applicants due for purge on or before ``until``, oldest id first.

    Only plain columns are read (never the encrypted notes), a batch at a time, so memory stays flat.
    """
    policy = Policy.current()
    cutoff = _cutoff(until, policy)
    last_id = 0
    while True:
        rows = db.session.execute(
            _candidates(cutoff, last_id, batch_size).add_columns(Vacancy.title)
            .join(Vacancy, Vacancy.id == Applicant.vacancy_id)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        consents: dict[int, list[tuple[date, date | None]]] = {}
        for applicant_id, expires_on, withdrawn_on in db.session.execute(
            select(Consent.applicant_id, Consent.expires_on, Consent.withdrawn_on)
            .where(in_values(Consent.applicant_id, [r.id for r in rows]))
        ):
            consents.setdefault(applicant_id, []).append((expires_on, withdrawn_on))
        batch = []
        for row in rows:
            found = due_rule(row.status, row.decided_on, consents.get(row.id, []), policy)
            if found is not None and found[0] <= until:
                batch.append(DueItem(row.id, row.title, row.status, row.decided_on, found[0], found[1]))
        if batch:
            yield batch


def iter_candidate_ids(until: date, policy: Policy, *, batch_size: int = BATCH_SIZE) -> Iterator[list[int]]:
    """The purge's batches: ids only, each read in a transaction of its own that is over before the batch is
    purged; the batch's own transaction reads the rows again, locked, and asks the rule (``purge_batch``)."""
    cutoff = _cutoff(until, policy)
    last_id = 0
    while ids := list(db.session.scalars(_candidates(cutoff, last_id, batch_size).with_only_columns(Applicant.id))):
        db.session.rollback()  # end the read transaction before the writes
        last_id = ids[-1]
        yield ids


CHILD_TABLES = ("applicant_status_changes", "applicant_consents", "applicant_consent_links", "applicant_documents")
_SELECT_APPLICANT = text(
    "SELECT a.status, a.decided_on, a.legal_hold, v.title FROM applicants a "
    "JOIN vacancies v ON v.id = a.vacancy_id WHERE a.id = :id"
).columns(status=String(), decided_on=Date(), legal_hold=Boolean(), title=String())
#: every child row in one round trip: (table, id, stored file name, consent expiry, consent withdrawal)
_CHILD_COLUMNS = {
    "applicant_documents": ("id", "stored_name", "NULL", "NULL"),
    "applicant_consents": ("id", "NULL", "expires_on", "withdrawn_on"),
    "applicant_consent_links": ("0", "NULL", "NULL", "NULL"),
}
_SELECT_CHILDREN = text(" UNION ALL ".join(
    f"SELECT '{t}' AS tbl, " + ", ".join(  # noqa: S608
        f"{value} AS {name}" for value, name in zip(
            _CHILD_COLUMNS.get(t, ("id", "NULL", "NULL", "NULL")), ("id", "stored", "expires_on", "withdrawn_on"),
            strict=True,
        )
    ) + f" FROM {t} WHERE applicant_id = :id" for t in CHILD_TABLES
)).columns(tbl=String(), id=Integer(), stored=String(), expires_on=Date(), withdrawn_on=Date())
# the table names come from the constant CHILD_TABLES above, never from input
_DELETE_CHILDREN = {t: text(f"DELETE FROM {t} WHERE applicant_id = :id") for t in CHILD_TABLES}  # noqa: S608  # nosec B608
_DELETE_APPLICANT = text("DELETE FROM applicants WHERE id = :id")
_INSERT_TOMBSTONE = Tombstone.__table__.insert()


class AlreadyGone(Exception):
    """Another run purged this applicant first."""


class NoLongerDue(Exception):
    """The applicant changed since the batch was read (a legal hold, a new consent, a reopened file)."""


def purge_applicant(
    applicant_id: int, rule: str, purged_on: date, *, recheck: bool = True, policy: Policy | None = None,
actor: User | None) -> list[str]:
    """Delete everything about one applicant, the stored files too, and leave a tombstone; returns the names of
    the stored files removed.

    Runs inside the caller's transaction (the caller commits). Raises AlreadyGone when the row is no longer
    there, so two runs never both leave a tombstone for the same applicant, and (with ``recheck``)
    NoLongerDue when the rule, asked again inside this transaction, no longer says the applicant must go.
    """
    # prepared statements on the session's connection: the same transaction, without building
    # expressions for each of 50,000 applicants
    conn = db.session.connection()
    row = conn.execute(_SELECT_APPLICANT, {"id": applicant_id}).first()
    if row is None:
        raise AlreadyGone(applicant_id)
    children: dict[str, list[int]] = {}
    files: list[str] = []
    consents: list[tuple[date, date | None]] = []
    for child in conn.execute(_SELECT_CHILDREN, {"id": applicant_id}):
        children.setdefault(child.tbl, []).append(child.id)
        if child.stored:
            files.append(child.stored)
        if child.expires_on:
            consents.append((child.expires_on, child.withdrawn_on))
    if recheck:
        found = due_rule(row.status, row.decided_on, consents, policy or Policy.current())
        if row.legal_hold or found is None or found[0] > purged_on:
            raise NoLongerDue(applicant_id)
    # children first and explicitly, so no database relies on its cascade to remove personal data
    for table in children:
        conn.execute(_DELETE_CHILDREN[table], {"id": applicant_id})
    store.remove(files)  # after the documents that name them
    if conn.execute(_DELETE_APPLICANT, {"id": applicant_id}).rowcount != 1:
        raise AlreadyGone(applicant_id)
    forget_record("applicants", [applicant_id])
    for table, ids in children.items():
        if table != "applicant_consent_links":  # a link is not audited; its nonce is no record id
            forget_record(table, ids)
    inserted = conn.execute(_INSERT_TOMBSTONE, {
        "public_id": secrets.token_hex(8), "vacancy_title": row.title, "decided_on": row.decided_on,
        "purged_on": today(), "rule": rule,  # the real day, whatever day the rule was asked about
    })
    ledger.note_added("applicant_tombstones", [inserted.inserted_primary_key[0]])
    audit("purge", None, record_type="applicant_tombstones", record_id=inserted.inserted_primary_key[0],
          fields=[rule], actor=actor)
    return files


def purge_due(as_of: date | None = None, *, dry_run: bool = False, batch_size: int = BATCH_SIZE) -> dict[str, int]:
    """Purge every applicant due on ``as_of`` (today): one transaction per batch; logs counts only.

    Running it twice purges nothing the second time. A failure on one applicant is logged and counted (its
    savepoint is rolled back); the others in its batch go on. Documents' files go in the batch's transaction.
    ``dry_run`` only counts what would be purged.
    """
    from praclox.applicants.purge_batch import purge_batch

    check_not_ahead(as_of, dry_run=dry_run)
    as_of = as_of or today()
    policy = Policy.current()
    counts: Counter[str] = Counter(due=0, purged=0, failed=0, already_gone=0, no_longer_due=0)
    if dry_run:
        counts["due"] = sum(len(batch) for batch in iter_due(as_of, batch_size=batch_size))
    for ids in [] if dry_run else iter_candidate_ids(as_of, policy, batch_size=batch_size):
        outcome = None
        try:
            outcome = purge_batch(ids, as_of, policy, counts["failed"])
            if outcome.counts["purged"]:
                db.session.commit()
            else:
                db.session.rollback()  # nothing due, or every one failed: nothing to keep
        except Exception as exc:  # the batch's read or its commit failed: nothing of this batch happened
            db.session.rollback()
            lost = outcome.counts["due"] if outcome else len(ids)
            counts["due"] += lost
            counts["failed"] += lost
            log.error("purge batch of %d failed: %s", lost, type(exc).__name__)
            continue
        counts.update(outcome.counts)
        db.session.expunge_all()
    log.info("applicant purge%s as of %s: %s", " (dry run)" if dry_run else "", as_of.isoformat(),
             ", ".join(f"{k}={v}" for k, v in sorted(counts.items())))
    return dict(counts)


@contextmanager
def advisory_lock(name: str) -> Iterator[bool]:
    """On PostgreSQL, a session advisory lock on a connection of its own; elsewhere the job's lock row does."""
    if db.engine.dialect.name != "postgresql":
        yield True
        return
    key = zlib.crc32(name.encode())
    with db.engine.connect() as conn:
        got = bool(conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}))
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
                conn.commit()


def locked_purge(as_of: date | None = None, *, dry_run: bool = False) -> dict[str, int]:
    """The purge under the PostgreSQL advisory lock (the caller, ``run_recorded``, holds the lock row)."""
    from praclox.jobs.services import JobLocked

    with advisory_lock(JOB_ID) as got:
        if not got:
            raise JobLocked(JOB_ID)
        return purge_due(as_of, dry_run=dry_run)


#: the tables a purge deletes from (VACUUMed on PostgreSQL afterwards)
TOUCHED_TABLES = ("applicants", *CHILD_TABLES, store.TABLE, "audit_entries")


def run_purge(as_of: date | None = None, *, dry_run: bool = False) -> JobRun:
    """The one entry point of the CLI: a recorded, locked purge run, then the disk settled (counts say how)."""
    from praclox.jobs.services import run_recorded
    from praclox.privacy.ondisk import settled

    return run_recorded(JOB_ID, settled(lambda: locked_purge(as_of, dry_run=dry_run), TOUCHED_TABLES,
                                        dry_run=dry_run), dry_run=dry_run)


def scheduled_purge() -> dict[str, int]:
    """The daily job's function (``run_job`` already wraps it in ``run_recorded``); settles the disk too."""
    from praclox.privacy.ondisk import settled

    return settled(locked_purge, TOUCHED_TABLES)()
