"""The purge works in batches: one transaction per batch, a savepoint keeps one failure from stopping the rest."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event, func, select

from praclox.applicants import documents, purge
from praclox.applicants.models import Applicant, Document, Tombstone
from praclox.audit.models import AuditEntry
from praclox.extensions import db
from tests.applicants.conftest import pdf_bytes
from tests.applicants.test_purge_rules import _block_deletion_of
from tests.files.support import stored_token

DECIDED = date(2026, 3, 2)
AS_OF = DECIDED + timedelta(days=28)


def _with_document(app, make_applicant, name: str) -> tuple[int, str]:
    applicant_id = make_applicant(name, status="rejected", decided_on=DECIDED)
    with app.test_request_context():
        applicant = db.session.get(Applicant, applicant_id)
        documents.store_document(applicant, filename="cv.pdf", data=pdf_bytes(), kind="cv", actor=None)
        db.session.commit()
        stored = db.session.scalar(select(Document.stored_name).where(Document.applicant_id == applicant_id))
        return applicant_id, stored


def _file_exists(app, stored: str) -> bool:
    return stored_token(app, stored) is not None


def test_one_failing_applicant_in_a_batch_leaves_the_rest_of_the_batch_purged(app, make_applicant):
    people = [_with_document(app, make_applicant, f"Batch {n}") for n in range(5)]
    blocked_id, blocked_file = people[2]
    undo = _block_deletion_of(app, blocked_id)
    try:
        with app.test_request_context():
            counts = purge.purge_due(AS_OF, batch_size=500)
    finally:
        with app.app_context(), db.engine.begin() as conn:
            for statement in undo.split("; "):
                conn.exec_driver_sql(statement)
    assert (counts["purged"], counts["failed"]) == (4, 1)
    with app.app_context():
        assert db.session.scalars(select(Applicant.id)).all() == [blocked_id]
        # the failed applicant keeps all of its rows: its savepoint took back its child deletes too
        assert db.session.scalar(select(func.count()).select_from(Document)) == 1
        assert db.session.scalar(select(func.count()).select_from(Tombstone)) == 4
        purge_entries = db.session.scalar(select(func.count()).select_from(AuditEntry)
                                          .where(AuditEntry.action == "purge"))
        assert purge_entries == 4
    # files of the purged four went with their rows; the failed applicant's file stays with its row
    assert [_file_exists(app, stored) for _, stored in people] == [False, False, True, False, False]
    assert _file_exists(app, blocked_file)


def _purge_counting(app, engine_event: str, batch_size: int) -> tuple[dict[str, int], list[int]]:
    """The purge's counts, and one entry per ``engine_event`` the engine fired during it."""
    fired: list[int] = []

    def count(*args) -> None:
        fired.append(1)

    with app.test_request_context():
        event.listen(db.engine, engine_event, count)
        try:
            counts = purge.purge_due(AS_OF, batch_size=batch_size)
        finally:
            event.remove(db.engine, engine_event, count)
    return counts, fired


def test_a_batch_is_one_transaction_not_one_per_applicant(app, make_applicant):
    for n in range(12):
        make_applicant(f"Commit {n}", status="rejected", decided_on=DECIDED)
    counts, commits = _purge_counting(app, "commit", batch_size=5)
    assert counts["purged"] == 12
    # three batches (5, 5, 2): three commits of purge work, not twelve
    assert len(commits) == 3


def test_purged_applicants_leave_no_audit_entry_about_their_records(app, make_applicant):
    applicant_id, _ = _with_document(app, make_applicant, "Audited")
    with app.app_context():
        document_id = db.session.scalar(select(Document.id))
        before = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.record_type.in_(("applicants", "applicant_documents", "applicant_status_changes"))))
        assert before > 0
    with app.test_request_context():
        assert purge.purge_due(AS_OF)["purged"] == 1
    with app.app_context():
        left = db.session.execute(select(AuditEntry.record_type, AuditEntry.record_id).where(
            AuditEntry.record_type != "applicant_tombstones")).all()
        assert ("applicants", applicant_id) not in left
        assert ("applicant_documents", document_id) not in left
        assert not [row for row in left if row.record_type.startswith("applicant")]


def _statements_of_one_batch(app, make_applicant, people: int, prefix: str) -> int:
    ids = [_with_document(app, make_applicant, f"{prefix} {n}")[0] for n in range(people)]
    counts, statements = _purge_counting(app, "before_cursor_execute", batch_size=50)
    assert (counts["due"], counts["purged"], counts["failed"]) == (people, people, 0)
    with app.app_context():
        assert not db.session.scalars(select(Applicant.id).where(Applicant.id.in_(ids))).all()
    return len(statements)


def test_a_batch_costs_the_same_statements_for_two_applicants_or_nine(app, make_applicant):
    # set-based: each statement of the batch covers all of its applicants (one DELETE per table, one INSERT of
    # the tombstones, one of their audit entries); a statement per applicant would show as seven more
    assert _statements_of_one_batch(app, make_applicant, 2, "Two") == \
        _statements_of_one_batch(app, make_applicant, 9, "Nine")


def test_an_applicant_whose_consent_still_holds_is_left_alone_in_a_batch_of_due_ones(app, make_applicant):
    from praclox.applicants import services
    from praclox.applicants.models import Consent

    due = [_with_document(app, make_applicant, f"Due {n}")[0] for n in range(3)]
    kept, kept_file = _with_document(app, make_applicant, "Kept")
    with app.test_request_context():
        applicant = db.session.get(Applicant, kept)
        services.record_consent(applicant, given_on=DECIDED - timedelta(days=5), method="phone",
                                evidence="Said yes", actor=None)
        db.session.commit()
        expires = db.session.scalar(select(Consent.expires_on).where(Consent.applicant_id == kept))
        assert expires > AS_OF
        counts = purge.purge_due(AS_OF, batch_size=500)
    # the candidate the rule does not want yet is neither due nor counted as anything else
    assert {k: counts[k] for k in ("due", "purged", "failed", "already_gone", "no_longer_due")} == \
        {"due": 3, "purged": 3, "failed": 0, "already_gone": 0, "no_longer_due": 0}
    with app.app_context():
        assert db.session.scalars(select(Applicant.id)).all() == [kept]
        assert not db.session.scalars(select(Applicant.id).where(Applicant.id.in_(due))).all()
    assert _file_exists(app, kept_file)


def test_every_foreign_key_a_purge_deletes_through_has_an_index(app):
    # each deleted applicant or stored file fires one check or cascade per referencing table on PostgreSQL
    # (per row: two for a stored file, four for an applicant); without an index on the referencing column
    # each would read its whole table
    from sqlalchemy import inspect

    with app.app_context():
        inspector = inspect(db.engine)
        found = []
        for table in inspector.get_table_names():
            leading = {tuple(index["column_names"][:1]) for index in inspector.get_indexes(table)}
            leading |= {tuple(unique["column_names"][:1]) for unique in inspector.get_unique_constraints(table)}
            leading.add(tuple(inspector.get_pk_constraint(table)["constrained_columns"][:1]))
            for key in inspector.get_foreign_keys(table):
                if key["referred_table"] in ("applicants", "stored_files"):
                    found.append((table, key["constrained_columns"][0],
                                  (key["constrained_columns"][0],) in leading))
    assert len(found) >= 6
    assert [entry for entry in found if not entry[2]] == []
