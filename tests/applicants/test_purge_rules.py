"""The retention rule at every boundary, with the clock moved by time-machine."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from praclox.applicants import purge, services
from praclox.applicants.models import Applicant, Consent, Tombstone
from praclox.extensions import db

TZ = ZoneInfo("Europe/Amsterdam")  # the default TIMEZONE, which the tests run with

DECIDED = date(2026, 3, 2)


def at(day: date, hour: int = 2, minute: int = 30) -> time_machine.travel:
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ), tick=False)


def exists(app, applicant_id: int) -> bool:
    with app.app_context():
        return db.session.get(Applicant, applicant_id) is not None


def run(app, as_of: date | None = None, **kw) -> dict[str, int]:
    with app.test_request_context():
        return purge.purge_due(as_of, **kw)


def tombstones(app) -> list[Tombstone]:
    with app.app_context():
        rows = db.session.scalars(select(Tombstone)).all()
        db.session.expunge_all()
        return list(rows)


@pytest.mark.parametrize(("days", "gone"), [(27, False), (28, True), (29, True)])
def test_rejected_applicant_without_consent_is_purged_from_day_28(app, make_applicant, days, gone):
    with at(DECIDED):
        applicant_id = make_applicant(status="rejected", decided_on=DECIDED)
    with at(DECIDED + timedelta(days=days)):
        counts = run(app)
    assert exists(app, applicant_id) is not gone
    assert counts["purged"] == int(gone)


@pytest.mark.parametrize("status", ["withdrawn", "hired"])
def test_withdrawn_and_hired_applicants_go_28_days_after_the_decision(app, make_applicant, status):
    with at(DECIDED):
        applicant_id = make_applicant(status=status, decided_on=DECIDED)
    with at(DECIDED + timedelta(days=27)):
        run(app)
    assert exists(app, applicant_id)
    with at(DECIDED + timedelta(days=28)):
        run(app)
    assert not exists(app, applicant_id)
    assert [t.rule for t in tombstones(app)] == [status]


def test_applicants_in_the_pipeline_are_never_purged_however_old(app, make_applicant):
    with at(date(2024, 1, 5)):
        ids = [make_applicant(f"Pipe {s}", status=s) for s in ("new", "conversation", "offer")]
    with at(date(2026, 1, 5)):
        assert run(app)["purged"] == 0
    assert all(exists(app, i) for i in ids)


def _consent(app, applicant_id: int, given_on: date, withdrawn_on: date | None = None) -> None:
    with app.test_request_context():
        applicant = db.session.get(Applicant, applicant_id)
        consent = services.record_consent(applicant, given_on=given_on, method="phone", evidence="Said yes by phone",
                                          actor=None)
        if withdrawn_on:
            services.withdraw_consent(consent, withdrawn_on, actor=None)
        db.session.commit()


def test_valid_consent_keeps_the_applicant_until_it_expires_and_expiring_today_means_gone(app, make_applicant):
    with at(DECIDED):
        applicant_id = make_applicant(status="rejected", decided_on=DECIDED)
        _consent(app, applicant_id, DECIDED)
    expires = date(2027, 3, 2)
    with at(DECIDED + timedelta(days=28)):
        run(app)
    with at(expires - timedelta(days=1)):
        run(app)
    assert exists(app, applicant_id)
    with at(expires):  # the consent expires today: it no longer holds
        run(app)
    assert not exists(app, applicant_id)
    assert [t.rule for t in tombstones(app)] == ["consent_expired"]


def test_withdrawal_purges_at_the_next_daily_run(app, make_applicant):
    with at(DECIDED):
        applicant_id = make_applicant(status="rejected", decided_on=DECIDED)
        _consent(app, applicant_id, DECIDED)
    withdrawn = date(2026, 6, 10)
    with at(withdrawn, hour=15):
        with app.test_request_context():
            consent = db.session.scalar(select(Consent))
            services.withdraw_consent(consent, actor=None)
            db.session.commit()
    with at(withdrawn + timedelta(days=1)):  # 02:30 the next morning: within 24 hours
        run(app)
    assert not exists(app, applicant_id)
    assert [t.rule for t in tombstones(app)] == ["consent_withdrawn"]


def test_a_withdrawal_before_the_28_days_leaves_the_28_days_in_force(app, make_applicant):
    with at(DECIDED):
        applicant_id = make_applicant(status="rejected", decided_on=DECIDED)
        _consent(app, applicant_id, DECIDED, withdrawn_on=DECIDED + timedelta(days=3))
    with at(DECIDED + timedelta(days=27)):
        run(app)
    assert exists(app, applicant_id)
    with at(DECIDED + timedelta(days=28)):
        run(app)
    assert not exists(app, applicant_id)
    assert [t.rule for t in tombstones(app)] == ["rejected"]


def test_consent_given_on_leap_day_expires_on_the_28th_of_february(app, make_applicant):
    leap = date(2024, 2, 29)
    with at(leap):
        applicant_id = make_applicant(status="rejected", decided_on=date(2024, 2, 1))
        _consent(app, applicant_id, leap)
    with app.app_context():
        assert db.session.scalar(select(Consent.expires_on)) == date(2025, 2, 28)
    with at(date(2025, 2, 27)):
        run(app)
    assert exists(app, applicant_id)
    with at(date(2025, 2, 28)):
        run(app)
    assert not exists(app, applicant_id)


def test_28_days_across_a_leap_february(app, make_applicant):
    decided = date(2028, 2, 1)
    with at(decided):
        applicant_id = make_applicant(status="rejected", decided_on=decided)
    with at(date(2028, 2, 28)):  # day 27 (2028 is a leap year)
        run(app)
    assert exists(app, applicant_id)
    with at(date(2028, 2, 29)):  # day 28
        run(app)
    assert not exists(app, applicant_id)


def test_legal_hold_stops_the_purge_until_lifted(app, make_applicant):
    with at(DECIDED):
        applicant_id = make_applicant(status="rejected", decided_on=DECIDED)
        with app.test_request_context():
            services.set_legal_hold(db.session.get(Applicant, applicant_id), "Dispute about the procedure", actor=None)
            db.session.commit()
    with at(DECIDED + timedelta(days=90)):
        run(app)
        assert exists(app, applicant_id)
        with app.test_request_context():
            services.set_legal_hold(db.session.get(Applicant, applicant_id), None, actor=None)
            db.session.commit()
        run(app)
    assert not exists(app, applicant_id)


def test_dry_run_changes_nothing_and_counts_what_is_due(app, make_applicant):
    with at(DECIDED):
        ids = [make_applicant(f"Dry {n}", status="rejected", decided_on=DECIDED) for n in range(3)]
    counts = run(app, DECIDED + timedelta(days=28), dry_run=True)
    assert counts["due"] == 3 and counts["purged"] == 0
    assert all(exists(app, i) for i in ids) and tombstones(app) == []


def test_running_twice_does_nothing_the_second_time(app, make_applicant):
    with at(DECIDED):
        for n in range(4):
            make_applicant(f"Twice {n}", status="rejected", decided_on=DECIDED)
    as_of = DECIDED + timedelta(days=30)
    assert run(app, as_of)["purged"] == 4
    second = run(app, as_of)
    assert second["purged"] == 0 and second["due"] == 0
    assert len(tombstones(app)) == 4


def test_batches_purge_everyone_due(app, make_applicant):
    with at(DECIDED):
        for n in range(7):
            make_applicant(f"Batch {n}", status="rejected", decided_on=DECIDED)
    assert run(app, DECIDED + timedelta(days=28), batch_size=2)["purged"] == 7
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Applicant)) == 0


def _block_deletion_of(app, applicant_id: int) -> str:
    """A real database failure for one applicant: a trigger that refuses to delete its row."""
    with app.app_context(), db.engine.begin() as conn:
        if db.engine.dialect.name == "sqlite":
            conn.exec_driver_sql(
                f"CREATE TRIGGER block_one BEFORE DELETE ON applicants WHEN old.id = {applicant_id} "
                "BEGIN SELECT RAISE(ABORT, 'blocked'); END"
            )
            return "DROP TRIGGER block_one"
        conn.exec_driver_sql(
            "CREATE FUNCTION block_one() RETURNS trigger AS $$ BEGIN "
            f"IF OLD.id = {applicant_id} THEN RAISE EXCEPTION 'blocked'; END IF; RETURN OLD; END $$ LANGUAGE plpgsql"
        )
        conn.exec_driver_sql("CREATE TRIGGER block_one BEFORE DELETE ON applicants FOR EACH ROW "
                             "EXECUTE FUNCTION block_one()")
        return "DROP TRIGGER block_one ON applicants; DROP FUNCTION block_one()"


def test_a_failure_on_one_applicant_is_counted_and_the_rest_go_on(app, make_applicant, caplog):
    with at(DECIDED):
        ids = [make_applicant(f"Fail {n}", status="rejected", decided_on=DECIDED) for n in range(3)]
    undo = _block_deletion_of(app, ids[1])
    try:
        counts = run(app, DECIDED + timedelta(days=28))
    finally:
        with app.app_context(), db.engine.begin() as conn:
            for statement in undo.split("; "):
                conn.exec_driver_sql(statement)
    assert counts["purged"] == 2 and counts["failed"] == 1
    assert [exists(app, i) for i in ids] == [False, True, False]
    assert "Fail" not in caplog.text  # counts and ids, never names
    assert run(app, DECIDED + timedelta(days=28))["purged"] == 1  # the next run finishes the job


def test_decision_date_in_the_future_is_refused(app, make_applicant):
    with at(DECIDED):
        applicant_id = make_applicant()
        with app.test_request_context():
            applicant = db.session.get(Applicant, applicant_id)
            with pytest.raises(services.ApplicantError) as caught:
                services.change_status(applicant, "withdrawn", decided_on=DECIDED + timedelta(days=1), actor=None)
            assert caught.value.code == "future"
            db.session.rollback()
            assert db.session.get(Applicant, applicant_id).status == "new"


def test_an_applicant_put_on_hold_after_the_batch_was_read_is_not_purged(app, make_applicant):
    with at(DECIDED):
        applicant_id = make_applicant(status="rejected", decided_on=DECIDED)
    as_of = DECIDED + timedelta(days=28)
    with app.test_request_context():
        [batch] = list(purge.iter_due(as_of))
        services.set_legal_hold(db.session.get(Applicant, applicant_id), "Late dispute", actor=None)
        db.session.commit()
        with pytest.raises(purge.NoLongerDue):
            purge.purge_applicant(batch[0].applicant_id, batch[0].rule, as_of, actor=None)
        db.session.rollback()
    assert exists(app, applicant_id)
