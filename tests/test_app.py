"""The application factory, configuration and the instance folder."""

from __future__ import annotations

import os
import stat

from praclox import create_app


def test_secret_key_is_generated_once_with_mode_0600(tmp_path, monkeypatch):
    monkeypatch.delenv("PRACLOX_SECRET_KEY", raising=False)
    config = {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "TESTING": True}
    first = create_app(config).config["SECRET_KEY"]
    second = create_app(config).config["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert first == second and len(first) >= 64
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "encryption_keys").st_mode) == 0o600


def test_environment_overrides_defaults_and_mapping_overrides_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PRACLOX_PAGE_SIZE", "7")
    monkeypatch.setenv("PRACLOX_BASE_URL", "https://crm.example.nl")
    config = {"INSTANCE_PATH": str(tmp_path), "TESTING": True, "BASE_URL": "https://other.example.nl"}
    app = create_app(config)
    assert app.config["PAGE_SIZE"] == 7
    assert app.config["BASE_URL"] == "https://other.example.nl"
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'praclox.sqlite3'}"


def test_sqlite_runs_with_wal_foreign_keys_secure_delete_and_busy_timeout(app):
    from praclox.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
    with app.app_context(), db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_session_cookie_is_httponly_lax_and_secure_outside_debug(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_wsgi_module_builds_the_app(monkeypatch, tmp_path):
    monkeypatch.setenv("PRACLOX_INSTANCE_PATH", str(tmp_path))
    import importlib

    import wsgi

    importlib.reload(wsgi)
    assert wsgi.app.name == "praclox"


def test_the_site_has_an_icon(client):
    response = client.get("/favicon.ico")
    body = response.get_data()
    response.close()  # the file is streamed; close it as a server would
    assert response.status_code == 200 and body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "Set-Cookie" not in response.headers


def test_password_fields_tell_password_managers_what_they_hold(client, login_as):
    import re

    pages = [client.get("/login").get_data(as_text=True)]
    staff = login_as("staff")
    pages += [staff.get(url).get_data(as_text=True) for url in ("/account/password", "/account/confirm")]
    fields = [field for page in pages for field in re.findall(r"<input[^>]*type=\"password\"[^>]*>", page)]
    assert len(fields) >= 4
    for field in fields:
        assert re.search(r'autocomplete="(current|new)-password"', field), field
    assert 'autocomplete="username"' in pages[0]
