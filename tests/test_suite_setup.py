"""The suite's own machinery: a fresh database per test made from a schema file, fixture users with the
production password hash, and the log scan when the suite runs in parallel (pytest-xdist, as `make test` runs it)."""

from __future__ import annotations

import stat
import textwrap
from pathlib import Path

from argon2 import extract_parameters
from sqlalchemy import func, inspect, select

from praclox.auth.passwords import DEFAULT_MEMORY_COST_KIB, DEFAULT_TIME_COST
from praclox.extensions import db
from tests.conftest import login

TESTS = Path(__file__).resolve().parent


def test_each_test_gets_a_database_with_the_models_schema_and_no_rows(app):
    with app.app_context():
        assert set(inspect(db.engine).get_table_names()) >= set(db.metadata.tables)
        counts = {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in db.metadata.sorted_tables}
        # create_all's own row (the search index state's DDL inserts it; on PostgreSQL, whose schema is made
        # once per worker, only the first test sees it, as before) is the only one
        assert counts.pop("search_index_state") <= 1
        assert not any(counts.values()), {name: n for name, n in counts.items() if n}
        if db.engine.dialect.name == "sqlite":
            path = Path(db.engine.url.database)
            assert stat.S_IMODE(path.stat().st_mode) == 0o600  # as create_app made it
            assert db.session.execute(db.text("PRAGMA foreign_keys")).scalar() == 1


def test_the_second_test_does_not_see_the_first_tests_rows(app, make_office):
    """The counterpart of the test above: rows written here are gone in the next test's database."""
    make_office("Eerste Test BV")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(db.metadata.tables["offices"])) == 1


def test_fixture_users_have_a_production_hash_and_logging_in_checks_it(app, make_user):
    user = make_user("staff")
    with app.app_context():
        stored = db.session.get(type(user), user.id).password_hash
    params = extract_parameters(stored)
    assert (params.time_cost, params.memory_cost) == (DEFAULT_TIME_COST, DEFAULT_MEMORY_COST_KIB)
    assert login(app.test_client(), user.email, "not the password at all 1").status_code == 200  # refused
    assert login(app.test_client(), user.email).status_code == 302


def test_a_parallel_run_fails_when_one_worker_logs_a_secret_another_worker_noted(pytester):
    """Under ``-n 2``: worker gw0 notes the secret, gw1 logs it; only the scan over both workers finds it."""
    pytester.makeconftest(textwrap.dedent(f"""
        import importlib.util, sys
        sys.path[:0] = [{str(TESTS)!r}, {str(TESTS.parent)!r}]
        spec = importlib.util.spec_from_file_location("praclox_suite_conftest", {str(TESTS / "conftest.py")!r})
        suite = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(suite)
        pytest_configure, pytest_sessionfinish = suite.pytest_configure, suite.pytest_sessionfinish
        pytest_testnodedown = suite.pytest_testnodedown
    """))
    pytester.makepyfile(test_leak=textwrap.dedent("""
        import logging, os
        from praclox_testsupport import remember_secret

        def test_notes_on_gw0():
            if os.environ.get("PYTEST_XDIST_WORKER") == "gw0":
                remember_secret("noted-by-gw0-only")

        def test_logs_on_gw1():
            if os.environ.get("PYTEST_XDIST_WORKER") == "gw1":
                logging.getLogger("praclox.demo").warning("this line holds noted-by-gw0-only")
    """))
    result = pytester.runpytest_subprocess("-p", "xdist", "-n", "2", "--dist", "each", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*log scan: * 1 leak(s)", "*LEAK not*this line holds*"])
    assert result.ret == 1
