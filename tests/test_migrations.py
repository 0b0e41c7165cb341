"""`db upgrade` on an empty database gives exactly the models' schema; single migrations go up and down."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from praclox import create_app
from praclox.extensions import db
from tests.conftest import make_config


@contextmanager
def _empty_database(tmp_path, pg_database) -> Iterator[Flask]:
    """An app on an empty database: on PostgreSQL a schema of its own, so the per-test tables of other tests do
    not interfere."""
    if pg_database:
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
        yield app
    finally:
        with app.app_context():
            db.engine.dispose()
        if pg_database:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("DROP SCHEMA IF EXISTS migtest CASCADE")


def test_upgrade_from_empty_matches_the_models(tmp_path, pg_database):
    with _empty_database(tmp_path, pg_database) as app, app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == [], diff
        assert "alembic_version" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_the_covering_index_on_contact_moments_replaces_the_date_and_kind_one_and_a_downgrade_restores_it(
        tmp_path, pg_database):
    def indexes() -> dict[str, list[str]]:
        return {i["name"]: i["column_names"] for i in inspect(db.engine).get_indexes("interactions")}

    with _empty_database(tmp_path, pg_database) as app, app.app_context():
        upgrade(revision="0024_audit_rows_merges")
        before = indexes()
        upgrade(revision="0025_interactions_covering_index")
        after = indexes()
        downgrade(revision="0024_audit_rows_merges")
        assert indexes() == before
    assert before["ix_interactions_date_kind"] == ["occurred_on", "kind"]
    assert "ix_interactions_date_kind" not in after
    assert after["ix_interactions_date_kind_office"] == ["occurred_on", "kind", "office_id"]
    assert after["ix_interactions_date"] == ["occurred_on"]  # kept: newest first, then by id, without a sort
    assert set(after) - {"ix_interactions_date_kind_office"} == set(before) - {"ix_interactions_date_kind"}


def test_existing_offices_get_the_keys_the_twin_check_looks_up_and_a_downgrade_drops_them(tmp_path, pg_database):
    from datetime import UTC, datetime

    from sqlalchemy import text

    def columns() -> set[str]:
        return {c["name"] for c in inspect(db.engine).get_columns("offices")}

    with _empty_database(tmp_path, pg_database) as app, app.app_context():
        upgrade(revision="0027_list_indexes")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO offices (kind, name, email, website, phone, created_at, updated_at) VALUES "
                              "('prospect', 'Oud Kantoor', ' Info@Oud.NL', 'https://www.Oud.nl/contact', "
                              "'+31 (0)20 123 45 67', :now, :now), ('client', 'Leeg', NULL, '', NULL, :now, :now)"),
                         {"now": datetime.now(UTC)})
        upgrade(revision="0028_office_twin_keys")
        with db.engine.connect() as conn:
            keys = conn.execute(text("SELECT name, email_key, website_key, phone_key FROM offices ORDER BY id")).all()
        indexes = {i["name"] for i in inspect(db.engine).get_indexes("offices")}
        downgrade(revision="0027_list_indexes")
        assert not {"email_key", "website_key", "phone_key"} & columns()
    assert [tuple(k) for k in keys] == [("Oud Kantoor", "info@oud.nl", "oud.nl", "31201234567"),
                                        ("Leeg", None, None, None)]
    assert {"ix_offices_email_key", "ix_offices_website_key", "ix_offices_phone_key",
            "ix_offices_kvk_number"} <= indexes
