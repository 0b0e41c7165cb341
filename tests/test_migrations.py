"""`db upgrade` on an empty database gives exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from praclox import create_app
from praclox.extensions import db
from tests.conftest import make_config


def test_upgrade_from_empty_matches_the_models(tmp_path, pg_database):
    if pg_database:
        # a schema of its own on PostgreSQL, so the per-test tables of other tests do not interfere
        import psycopg

        url = pg_database.replace("+psycopg", "")
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS migtest CASCADE")
            conn.execute("CREATE SCHEMA migtest")
        config = make_config(tmp_path, pg_database)
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"options": "-csearch_path=migtest"}}
    else:
        config = make_config(tmp_path, None)
    app = create_app(config)
    try:
        with app.app_context():
            upgrade()
            with db.engine.connect() as conn:
                diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
            assert diff == [], diff
            assert "alembic_version" in inspect(db.engine).get_table_names()
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    finally:
        with app.app_context():
            db.engine.dispose()
        if pg_database:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("DROP SCHEMA IF EXISTS migtest CASCADE")
