"""Errors: a generic page with an incident id, details only in the log; and no personal data in the log
(ASVS V7.1.1, V7.4.1). The run-wide log scan itself lives in conftest.py and praclox_testsupport.py."""

from __future__ import annotations

import logging
import re

import pytest
from praclox_testsupport import RUN_LOG, SECRETS, leaks, remember_secret

from praclox import create_app
from praclox.extensions import db


@pytest.fixture
def failing_app(app_config):
    app = create_app(app_config)

    @app.route("/test-only/boom")
    def boom():
        raise RuntimeError("internal detail 4711")

    @app.route("/test-only/duplicate")
    def duplicate():
        from praclox.auth.models import User

        for _ in range(2):
            db.session.add(User(email=remember_secret("duplicate-person@praclox.nl"), name="Dup Licate",
                                password_hash="x"))
        db.session.flush()
        return "unreachable"

    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_an_unexpected_error_shows_a_generic_page_and_logs_types_and_frames_under_an_incident_id(failing_app, caplog):
    with caplog.at_level(logging.ERROR, logger="praclox.errors"):
        response = failing_app.test_client().get("/test-only/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    incident = re.search(r'<code class="fs-5">([0-9a-f]{12})</code>', page).group(1)
    assert "internal detail 4711" not in page and "Traceback" not in page and "RuntimeError" not in page
    assert response.headers["Content-Security-Policy"]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert incident in logged
    # where and what for the developers; not the message, which may carry data
    assert "builtins.RuntimeError" in logged and "test_errors_and_logs.py" in logged and "in boom" in logged
    assert "internal detail 4711" not in logged


def test_a_failed_statement_logs_no_parameter_values(failing_app, caplog):
    with caplog.at_level(logging.ERROR):
        response = failing_app.test_client().get("/test-only/duplicate")
    assert response.status_code == 500
    assert "IntegrityError" in caplog.text
    # PostgreSQL names the duplicate value in its message: hide_parameters alone would not keep it out
    assert "duplicate-person@praclox.nl" not in caplog.text
    assert "Dup Licate" not in caplog.text


def test_the_log_scan_finds_a_secret_in_a_log_line():
    record = logging.LogRecord("praclox.x", logging.INFO, __file__, 1, "sent to %s", ("Some.Body@Example.nl",), None)
    handler = type(RUN_LOG)()
    handler.emit(record)
    found = leaks(handler.lines, {"some.body@example.nl", "not-there-123"})
    assert [secret for secret, _line in found] == ["some.body@example.nl"]


def test_the_log_scan_is_collecting_this_run():
    assert RUN_LOG in logging.getLogger().handlers
    assert "correct horse battery staple 42" in SECRETS


def test_secret_url_segments_are_masked_in_access_logs():
    from praclox.logging_setup import RedactSecrets

    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '"GET /reset/%s HTTP/1.1" 200', (
        "abcdefSECRETtoken",), None)
    RedactSecrets().filter(record)
    assert "SECRETtoken" not in record.getMessage()
    plain = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '"GET /reset/abcdefSECRETtoken HTTP/1.1"',
                              None, None)
    RedactSecrets().filter(plain)
    assert "SECRETtoken" not in plain.getMessage()
