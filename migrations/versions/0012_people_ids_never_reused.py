"""people ids are never reused: AUTOINCREMENT on SQLite's people tables

SQLite hands out the highest rowid + 1, so after the purge of the newest applicant the next one got the
same number ("applicant #4" meant two people). AUTOINCREMENT keeps the highest id ever used in
sqlite_sequence. SQLite cannot add it to an existing table, so each table is rebuilt (alembic batch mode,
with foreign keys off in migrations/env.py so dropping the old table cascades to nothing). PostgreSQL's
sequences never hand out a number twice: nothing to do there.

Revision ID: 0012_people_ids
Revises: 0011_api_requests
Create Date: 2026-11-27 11:30:00

"""
from alembic import op

revision = '0012_people_ids'
down_revision = '0011_api_requests'
branch_labels = None
depends_on = None

#: tables whose rows are people (or a person's request or date); their ids appear in pages and reports
PEOPLE_TABLES = ("users", "offices", "contacts", "personal_dates", "applicants", "registrations", "privacy_requests")


def _rebuild(autoincrement: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table in PEOPLE_TABLES:
        # the copy into the rebuilt table inserts every id, and AUTOINCREMENT remembers the highest
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass
    problems = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:5]}")


def upgrade():
    _rebuild(True)


def downgrade():
    _rebuild(False)
