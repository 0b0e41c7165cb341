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


def test_secret_url_segments_are_masked_in_access_logs(app):
    from praclox.logging_setup import RedactSecrets

    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '"GET /reset/%s HTTP/1.1" 200', (
        "abcdefSECRETtoken",), None)
    RedactSecrets().filter(record)
    assert "SECRETtoken" not in record.getMessage()
    plain = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '"GET /reset/abcdefSECRETtoken HTTP/1.1"',
                              None, None)
    RedactSecrets().filter(plain)
    assert "SECRETtoken" not in plain.getMessage()


#: string route parameters that are not secrets: file names of static files, the client area's unknown paths,
#: the kind of record the privacy officer corrects (a table name from the app's own list), an analysis page and chart
PUBLIC_STRING_PARAMETERS = {("static", "filename"), ("bootstrap.static", "filename"), ("client.not_found", "rest"),
                            ("privacy.record", "record_type"), ("stats.page", "section"),
                            ("stats.page_csv", "section"), ("stats.page_csv", "chart"),
                            ("stats.recruitment_csv", "figure")}


def test_every_string_route_parameter_is_declared_secret_or_known_public(app):
    """Issue 10 point 4: which route parameters are secrets is read from the routes (``<secret:...>``); a new
    route with a string parameter must declare it secret or be listed above, so a token cannot be forgotten."""
    from werkzeug.routing import FloatConverter, IntegerConverter

    from praclox.urls import SecretConverter

    undeclared = sorted(
        (rule.rule, name) for rule in app.url_map.iter_rules() for name, converter in rule._converters.items()
        if not isinstance(converter, IntegerConverter | FloatConverter | SecretConverter)
        and (rule.endpoint, name) not in PUBLIC_STRING_PARAMETERS
    )
    assert not undeclared, undeclared


def test_every_token_route_of_the_access_matrix_declares_its_secret(app):
    from test_access_matrix import ACCESS, TOKEN

    from praclox.urls import SecretConverter

    secret_endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                        if any(isinstance(c, SecretConverter) for c in rule._converters.values())}
    assert {endpoint for endpoint, rule in ACCESS.items() if rule == TOKEN} <= secret_endpoints


def _lines_with(path: str) -> list[str]:
    """The ways a path reaches a log line: werkzeug's request line, gunicorn's with the referrer, an error."""
    from urllib.parse import quote

    return [
        f'127.0.0.1 - - [27/Nov/2026 10:00:00] "GET {path}?q=Jansen HTTP/1.1" 200 -',
        f'127.0.0.1 - - [27/Nov/2026:10:00:00 +0000] "POST {quote(path)} HTTP/1.1" 302 0 "http://crm.test{path}" "UA"',
        f"Error handling request {path}",
        f'"GET {path.replace("/", "%2F", 2).replace("%2F", "/", 1)} HTTP/1.1" 404',
    ]


def test_every_secret_route_parameter_is_masked_in_every_kind_of_log_line(app):
    """Enumerates the app's routes: each ``<secret:...>`` parameter, in a request line, a referrer, an error
    message and percent-encoded, is masked by the filter on the app's, werkzeug's and gunicorn's loggers."""
    from praclox.logging_setup import RedactSecrets

    checked = 0
    for rule in app.url_map.iter_rules():
        secrets = {name for name, c in rule._converters.items() if type(c).__name__ == "SecretConverter"}
        if not secrets:
            continue
        path = rule.rule
        for name in rule.arguments:
            value = f"Tok{name}{checked}Xy-_z9" if name in secrets else "7"
            path = re.sub(rf"<(?:[^:<>]+:)?{name}>", value, path)
        for line in _lines_with(path):
            record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%s", (line,), None)
            RedactSecrets().filter(record)
            message = record.getMessage()
            assert "Tok" not in message and "[redacted]" in message, (rule.rule, message)
        checked += 1
    assert checked >= 7


@pytest.mark.parametrize(("line", "kept", "gone"), [
    ('"GET /offices/?q=Jansen+de+Vries&page=2 HTTP/1.1" 200', "/offices/?q=[redacted]&page=[redacted]", "Jansen"),
    ('"GET /privacy-officer/subjects?email=anna%40example.nl HTTP/1.1" 200', "subjects?email=[redacted]", "anna"),
    ('"GET /client/anna.de.vries@example.nl HTTP/1.1" 404', "/client/[redacted]", "anna"),
    ("mail for Anna.Bakker@Example.NL refused", "mail for [redacted] refused", "Bakker"),
])
def test_search_terms_and_addresses_are_masked(app, line, kept, gone):
    from praclox.logging_setup import redact

    assert kept in redact(line) and gone not in redact(line)
