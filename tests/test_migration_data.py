"""An installation that began on the first schema keeps its data through every migration to the newest.

A database is migrated to 0001, filled the way the app of that day wrote it (users with roles, offices,
contacts, interactions with encrypted summaries, job runs); more rows go in at 0004 (a vacancy and an
applicant). Then ``db upgrade`` to the head, and the app of today reads every row back through its models.
On SQLite, and on PostgreSQL when the suite runs there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_migrate import upgrade
from sqlalchemy import select, text

from praclox import create_app
from praclox.crypto import encrypt_text
from praclox.extensions import db
from tests.conftest import make_config

NOW = datetime(2026, 1, 5, 9, 30, tzinfo=UTC).replace(tzinfo=None)


def _app(tmp_path, pg_database):
    config = make_config(tmp_path, pg_database)
    if pg_database:  # a schema of its own, as in test_migrations.py
        import psycopg

        with psycopg.connect(pg_database.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS migdata CASCADE")
            conn.execute("CREATE SCHEMA migdata")
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": "-csearch_path=migdata"}}
    return create_app(config)


def _fill_first_schema() -> None:
    rows = {
        "users": [{"id": 1, "email": "els@praclox.nl", "name": "Els de Boer", "password_hash": "$argon2id$x",
                   "active": True, "must_change_password": False, "session_version": 1,
                   "created_at": NOW, "updated_at": NOW}],
        "user_roles": [{"id": 1, "user_id": 1, "role": "staff"}, {"id": 2, "user_id": 1, "role": "admin"}],
        "offices": [{"id": 1, "kind": "client", "name": "Bakkerij Jansen", "visit_city": "Utrecht",
                     "created_at": NOW, "updated_at": NOW}],
        "contacts": [{"id": 1, "office_id": 1, "first_name": "Piet", "last_name": "Jansen", "active": True,
                      "needs_review": False, "created_at": NOW, "updated_at": NOW}],
        "interactions": [{"id": 1, "office_id": 1, "contact_id": 1, "occurred_on": date(2026, 1, 4),
                          "kind": "call", "summary": encrypt_text("Offerte besproken"), "logged_by_id": 1,
                          "created_at": NOW, "updated_at": NOW}],
        "job_runs": [{"id": 1, "job": "audit-purge", "started_at": NOW, "finished_at": NOW, "outcome": "ok",
                      "counts": '{"removed": 0}', "dry_run": False}],
    }
    for table, values in rows.items():
        for row in values:
            columns = ", ".join(row)
            db.session.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + c for c in row)})"),
                               row)
    db.session.commit()


def _fill_applicants_schema() -> None:
    db.session.execute(text("INSERT INTO vacancies (id, title, is_open, created_at, updated_at) "
                            "VALUES (1, 'Python developer', :yes, :now, :now)"), {"yes": True, "now": NOW})
    db.session.execute(text(
        "INSERT INTO applicants (id, vacancy_id, name, email, applied_on, status, last_activity_on, legal_hold, "
        "created_at, updated_at) VALUES (1, 1, 'Sanne Visser', 'sanne@example.nl', :day, 'new', :day, :no, "
        ":now, :now)"), {"day": date(2026, 1, 3), "no": False, "now": NOW})
    db.session.commit()


def _reset_sequences() -> None:
    """PostgreSQL: explicit ids do not move the sequences; the app of that day let them choose."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in ("users", "user_roles", "offices", "contacts", "interactions", "job_runs", "vacancies",
                  "applicants"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT max(id) FROM {table}))"))
    db.session.commit()


def test_a_database_filled_on_the_first_schema_keeps_its_data_through_every_migration(tmp_path, pg_database):
    from praclox.applicants.models import Applicant
    from praclox.auth.models import User
    from praclox.jobs.models import JobRun
    from praclox.offices.models import Contact, Interaction, Office

    app = _app(tmp_path, pg_database)
    try:
        with app.app_context():
            upgrade(revision="0001_foundation")
            _fill_first_schema()
            upgrade(revision="0004_applicants")
            _fill_applicants_schema()
            upgrade()
            _reset_sequences()
            db.session.expire_all()

            user = db.session.scalar(select(User).where(User.email == "els@praclox.nl"))
            assert user.name == "Els de Boer" and user.role_names == {"staff", "admin"} and user.active
            office = db.session.get(Office, 1)
            assert office.name == "Bakkerij Jansen" and office.kind == "client" and office.visit_city == "Utrecht"
            contact = db.session.get(Contact, 1)
            assert (contact.first_name, contact.last_name, contact.office_id) == ("Piet", "Jansen", 1)
            interaction = db.session.get(Interaction, 1)
            assert interaction.summary == "Offerte besproken" and interaction.occurred_on == date(2026, 1, 4)
            run = db.session.get(JobRun, 1)
            assert run.outcome == "ok" and run.counts == '{"removed": 0}'
            applicant = db.session.get(Applicant, 1)
            assert applicant.name == "Sanne Visser" and applicant.vacancy_id == 1

            # and the migrated database takes new rows (sequences, defaults and constraints of today)
            db.session.add(Office(kind="prospect", name="Nieuw kantoor"))
            db.session.commit()
            assert db.session.scalar(select(Office.id).where(Office.name == "Nieuw kantoor")) == 2
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if pg_database:
            import psycopg

            with psycopg.connect(pg_database.replace("+psycopg", ""), autocommit=True) as conn:
                conn.execute("DROP SCHEMA IF EXISTS migdata CASCADE")
