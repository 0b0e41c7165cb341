"""What the contact-moment analysis reads, and what the newest-first reads keep: SQLite's own query plans of the
statements the pages send (the migration that swapped the indexes: tests/test_migrations.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from praclox.extensions import db


@contextmanager
def _statements(app) -> Iterator[list[tuple[str, object]]]:
    """Every SQL statement (with its parameters) the app sends inside the block."""
    sent: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", grab)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", grab)


def _plan(app, statement: str, parameters: object) -> str:
    with app.app_context():
        cursor = db.session.connection().connection.dbapi_connection.cursor()
        return " / ".join(str(row[-1]) for row in cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters))


@pytest.fixture
def sqlite_only(pg_database):
    if pg_database:
        pytest.skip("reads SQLite's query plans (EXPLAIN QUERY PLAN); PostgreSQL's plans depend on its statistics")


@pytest.fixture
def moments(app, make_office):
    from praclox.offices import services
    from praclox.offices.models import Office

    office_ids = [make_office(f"Kantoor {n}") for n in range(3)]
    with app.test_request_context():
        for n in range(12):
            services.log_interaction(db.session.get(Office, office_ids[n % 3]), kind=("call", "visit")[n % 2],
                                     occurred_on=date.today() - timedelta(days=n * 9), summary="Gebeld",
                                     contact=None, actor=None)
        db.session.commit()


def test_the_contact_moment_charts_by_month_manager_and_tag_read_the_covering_index_alone(
        app, staff_client, moments, sqlite_only):
    with _statements(app) as sent:
        assert staff_client.get("/stats/contacts").status_code == 200
    by_date = [(s, p) for s, p in sent if "interactions.occurred_on >=" in s]
    assert len(by_date) == 2, by_date  # per month; per account manager and per tag together, in one statement
    for statement, parameters in by_date:
        plan = _plan(app, statement, parameters)
        assert "SEARCH interactions USING COVERING INDEX ix_interactions_date_kind_office (occurred_on>? AND" in plan
        assert "SCAN interactions" not in plan, plan
    per_month = next(_plan(app, s, p) for s, p in by_date if "per_office" not in s)
    # the day-and-kind counts come in the index's order: the only sort is of those counts, by month
    assert per_month.count("TEMP B-TREE") == 1 and "SCAN anon_1 / USE TEMP B-TREE FOR GROUP BY" in per_month


def test_the_newest_first_reads_of_the_dashboard_and_the_timeline_keep_their_date_index_without_a_sort(
        app, staff_client, moments, sqlite_only):
    with _statements(app) as sent:
        assert staff_client.get("/").status_code == 200
        assert staff_client.get("/timeline/").status_code == 200
    newest = [(s, p) for s, p in sent if "FROM interactions" in s
              and "ORDER BY interactions.occurred_on DESC, interactions.id DESC" in s]
    assert len(newest) == 2, [s for s, _p in sent]  # the dashboard's latest moments, the timeline's source
    for statement, parameters in newest:
        steps = _plan(app, statement, parameters).split(" / ")
        read = next(n for n, step in enumerate(steps) if " interactions USING " in step)
        assert steps[read].endswith("INDEX ix_interactions_date"), steps
        assert not any(step.startswith("USE TEMP B-TREE") for step in steps[read + 1:read + 2]), steps
