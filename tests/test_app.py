"""The application factory, configuration and the instance folder."""

from __future__ import annotations

import os
import stat

from praclox import create_app


def _without_configured_keys(monkeypatch) -> None:
    for name in ("PRACLOX_SECRET_KEY", "PRACLOX_ENCRYPTION_KEYS"):
        monkeypatch.delenv(name, raising=False)


def test_the_factory_makes_no_key_and_keys_init_makes_both_once_with_mode_0600(tmp_path, monkeypatch):
    _without_configured_keys(monkeypatch)
    config = {"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "TESTING": True}
    app = create_app(config)
    assert app.config["SECRET_KEY"] is None
    assert not (tmp_path / "secret_key").exists() and not (tmp_path / "encryption_keys").exists()

    made = app.test_cli_runner().invoke(args=["keys", "init"])
    assert made.exit_code == 0, made.output
    assert "Made instance/secret_key" in made.output and "Made instance/encryption_keys" in made.output
    for name in ("secret_key", "encryption_keys"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600
    secret = (tmp_path / "secret_key").read_text()
    assert len(secret) >= 64

    again = create_app(config)
    assert again.config["SECRET_KEY"] == secret
    kept = again.test_cli_runner().invoke(args=["keys", "init"])
    assert kept.exit_code == 0 and "nothing made" in kept.output
    assert (tmp_path / "secret_key").read_text() == secret


def test_a_fresh_clone_compiles_its_catalogues_without_making_key_files(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from praclox.cli import main

    _without_configured_keys(monkeypatch)
    instance = tmp_path / "instance"
    result = CliRunner().invoke(main, ["i18n", "compile"], env={"PRACLOX_INSTANCE_PATH": str(instance)})
    assert result.exit_code == 0 and "compiled" in result.output, result.output
    assert not (instance / "secret_key").exists() and not (instance / "encryption_keys").exists()


def test_without_keys_the_check_says_what_to_run_instead_of_a_traceback(tmp_path, monkeypatch):
    _without_configured_keys(monkeypatch)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    result = app.test_cli_runner().invoke(args=["keys", "check"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "no secret key" in result.output and "praclox keys init" in result.output
    scheduler = app.test_cli_runner().invoke(args=["scheduler"])
    assert scheduler.exit_code == 1 and "praclox keys init" in scheduler.output


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


def test_wsgi_module_builds_the_app_once_keys_are_made(monkeypatch, tmp_path):
    import importlib

    import pytest

    from praclox.crypto import KeyConfigurationError

    _without_configured_keys(monkeypatch)
    monkeypatch.setenv("PRACLOX_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(KeyConfigurationError, match="praclox keys init"):
        import wsgi

        importlib.reload(wsgi)
    assert create_app().test_cli_runner().invoke(args=["keys", "init"]).exit_code == 0
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
