"""The praclox command line."""

from __future__ import annotations

from sqlalchemy import func, select

from praclox.auth.models import User
from praclox.extensions import db
from praclox.offices.models import Office


def test_user_create_takes_password_from_environment(app, runner, monkeypatch):
    monkeypatch.setenv("PRACLOX_PASSWORD", "a long enough passphrase")
    result = runner.invoke(args=["user", "create", "Fg@Praclox.nl", "--name", "F. G.", "--role", "privacy_officer",
                                 "--role", "staff"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "fg@praclox.nl"))
        assert user.role_names == {"privacy_officer", "staff"}


def test_user_create_refuses_weak_password_unknown_role_and_duplicates(app, runner, monkeypatch, make_user):
    monkeypatch.setenv("PRACLOX_PASSWORD", "welkom123")
    weak = runner.invoke(args=["user", "create", "x@praclox.nl", "--name", "X", "--role", "staff"])
    assert weak.exit_code != 0
    bad_role = runner.invoke(args=["user", "create", "y@praclox.nl", "--name", "Y", "--role", "king"])
    assert bad_role.exit_code != 0
    make_user("staff", email="z@praclox.nl")
    monkeypatch.setenv("PRACLOX_PASSWORD", "a long enough passphrase")
    dup = runner.invoke(args=["user", "create", "Z@praclox.nl", "--name", "Z", "--role", "staff"])
    assert dup.exit_code != 0 and "already exists" in dup.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_user_create_prompts_twice_without_environment(app, runner, monkeypatch):
    monkeypatch.delenv("PRACLOX_PASSWORD", raising=False)
    result = runner.invoke(args=["user", "create", "p@praclox.nl", "--name", "P", "--role", "staff"],
                           input="a long enough passphrase\na long enough passphrase\n")
    assert result.exit_code == 0, result.output


def test_user_deactivate(app, runner, make_user):
    user = make_user("staff")
    assert runner.invoke(args=["user", "deactivate", user.email]).exit_code == 0
    with app.app_context():
        assert not db.session.get(User, user.id).active
    assert runner.invoke(args=["user", "deactivate", "nobody@praclox.nl"]).exit_code != 0


def test_demo_data_is_realistic_and_repeatable_with_a_seed(app, runner):
    assert runner.invoke(args=["demo-data", "--offices", "5", "--seed", "7"]).exit_code == 0
    with app.app_context():
        first = db.session.scalars(select(Office.name).order_by(Office.id)).all()
    assert len(first) == 5 and all(" " in name for name in first)
    assert runner.invoke(args=["demo-data", "--offices", "5", "--seed", "7"]).exit_code == 0
    with app.app_context():
        second = db.session.scalars(select(Office.name).order_by(Office.id)).all()[5:]
    assert first == second


def test_user_create_refuses_an_address_the_login_form_refuses(app, client, runner, monkeypatch):
    from praclox.auth.models import User
    from praclox.extensions import db

    monkeypatch.setenv("PRACLOX_PASSWORD", "a long and unusual passphrase 93")
    for address in ("beheer@praclox.test", "geen-adres", "a@b@praclox.nl"):
        result = runner.invoke(args=["user", "create", address, "--name", "N", "--role", "staff"])
        assert result.exit_code != 0 and "login form" in result.output, (address, result.output)
        # the login form says the same of it
        page = client.post("/login", data={"email": address, "password": "x"}).get_data(as_text=True)
        assert "Vul een geldig e-mailadres in." in page, address
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_the_installed_command_shows_its_own_options_and_version_not_flasks(tmp_path):
    """``praclox --help`` and ``--version`` as an operator types them: the console script, in a fresh folder."""
    import subprocess
    import sys
    from pathlib import Path

    command = Path(sys.executable).with_name("praclox")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PRACLOX_INSTANCE_PATH": str(tmp_path / "instance")}
    shown = subprocess.run([str(command), "--help"], capture_output=True, text=True, env=env, cwd=tmp_path,
                           check=True).stdout
    assert "--version" in shown and "backup" in shown and "retention" in shown
    for flask_only in ("--app", "--env-file", "--debug", "Flask"):
        assert flask_only not in shown
    version = subprocess.run([str(command), "--version"], capture_output=True, text=True, env=env, cwd=tmp_path,
                             check=True).stdout
    assert version.startswith("Praclox CRM ") and "Flask" not in version and "Werkzeug" not in version
