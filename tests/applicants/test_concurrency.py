"""Two schedulers started by mistake: separate apps and connections on one file database, at the same time."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from sqlalchemy import func, select

from praclox import create_app
from praclox.applicants import purge
from praclox.applicants.models import Applicant, Tombstone
from praclox.extensions import db

DECIDED = date(2026, 2, 2)
COUNT = 40


def _in_parallel(app_config, work):
    """Run ``work(app)`` in two threads, each with its own app (own engine, own connections)."""
    apps = [create_app(app_config) for _ in range(2)]
    barrier = threading.Barrier(2)
    results: list[object] = [None, None]
    errors: list[BaseException] = []

    def target(index: int) -> None:
        try:
            with apps[index].app_context():
                barrier.wait(timeout=10)
                results[index] = work()
                db.session.remove()
                db.engine.dispose()
        except BaseException as exc:  # noqa: BLE001  (reported to the test below)
            errors.append(exc)

    threads = [threading.Thread(target=target, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def _seed(make_applicant) -> None:
    for n in range(COUNT):
        make_applicant(f"Parallel {n}", status="rejected", decided_on=DECIDED)


def _totals(app) -> tuple[int, int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Applicant)),
            db.session.scalar(select(func.count()).select_from(Tombstone)),
            db.session.scalar(select(func.count(func.distinct(Tombstone.public_id)))),
        )


def test_two_recorded_purges_at_once_purge_each_applicant_once_and_neither_crashes(app, app_config, make_applicant):
    _seed(make_applicant)
    as_of = DECIDED + timedelta(days=28)
    runs = _in_parallel(app_config, lambda: purge.run_purge(as_of))
    outcomes = sorted(run.outcome for run in runs)
    assert "failed" not in outcomes
    assert outcomes in (["ok", "skipped"], ["ok", "ok"])
    assert _totals(app) == (0, COUNT, COUNT)


def test_even_without_the_lock_two_purges_never_leave_two_tombstones(app, app_config, make_applicant):
    _seed(make_applicant)
    as_of = DECIDED + timedelta(days=28)
    results = _in_parallel(app_config, lambda: purge.purge_due(as_of, batch_size=7))
    assert sum(r["failed"] for r in results) == 0
    assert sum(r["purged"] for r in results) == COUNT
    assert _totals(app) == (0, COUNT, COUNT)
