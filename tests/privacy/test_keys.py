"""Key rotation over old and new data, interrupted and resumed, and refusing to start with a wrong key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Text, select, type_coerce

from praclox import create_app
from praclox.audit.models import AuditEntry
from praclox.crypto import KeyConfigurationError
from praclox.domain import registry
from praclox.extensions import db
from praclox.offices.models import Contact, Interaction
from praclox.privacy import keys


def _log(app, office_name: str, summaries: list[str]) -> None:
    from praclox.offices import services

    with app.test_request_context():
        office = services.create_office({"name": office_name}, actor=None)
        for text in summaries:
            services.log_interaction(office, kind="call", occurred_on=date(2026, 1, 5), summary=text, contact=None,
                                     actor=None)
        db.session.commit()


def _tokens(app) -> list[bytes]:
    with app.app_context():
        return [t.encode() for t in db.session.scalars(select(type_coerce(Interaction.summary, Text))
                                                        .order_by(Interaction.id))]


@pytest.fixture
def rotated_app(app, app_config, make_app):
    """Old data under the test key, then a new key in front of it and some new data under the new key."""
    _log(app, "Oud BV", [f"old summary {n}" for n in range(5)])
    new_key = Fernet.generate_key().decode()
    old_key = app_config["ENCRYPTION_KEYS"]
    second = make_app(ENCRYPTION_KEYS=f"{new_key},{old_key}")
    _log(second, "Nieuw BV", [f"new summary {n}" for n in range(2)])
    second.new_key = new_key  # type: ignore[attr-defined]
    return second


def _readable_with(token: bytes, key: str) -> bool:
    try:
        Fernet(key.encode()).decrypt(token)
    except InvalidToken:
        return False
    return True


def test_rotation_reencrypts_old_values_and_leaves_new_ones(rotated_app, make_app):
    new_key = rotated_app.new_key
    assert [_readable_with(t, new_key) for t in _tokens(rotated_app)] == [False] * 5 + [True] * 2
    result = rotated_app.test_cli_runner().invoke(args=["keys", "rotate", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "Re-encrypted 5 values; 2 were already under the newest key." in result.output
    assert all(_readable_with(t, new_key) for t in _tokens(rotated_app))
    only_new = make_app(ENCRYPTION_KEYS=new_key)
    with only_new.app_context():
        summaries = sorted(db.session.scalars(select(Interaction.summary)))
        assert summaries[0] == "new summary 0" and summaries[-1] == "old summary 4"
        rotated = db.session.scalars(select(AuditEntry).filter_by(action="key_rotation")).one().fields
        assert "interactions.summary" in rotated.split(",")


def test_an_interrupted_rotation_resumes_where_it_stopped(rotated_app):
    class Interrupted(Exception):
        pass

    def stop_after_first_batch(done: int) -> None:
        raise Interrupted

    with rotated_app.app_context(), pytest.raises(Interrupted):
        keys.rotate_all(batch_size=3, after_batch=stop_after_first_batch)
    assert [_readable_with(t, rotated_app.new_key) for t in _tokens(rotated_app)] == [True] * 3 + [False] * 2 + [
        True] * 2
    with rotated_app.app_context():
        report = keys.rotate_all(batch_size=3)
    assert (report.rotated, report.current) == (2, 5)
    assert all(_readable_with(t, rotated_app.new_key) for t in _tokens(rotated_app))
    with rotated_app.app_context():
        again = keys.rotate_all(batch_size=3)
    assert (again.rotated, again.current) == (0, 7)


def test_file_rotators_registered_by_other_domains_run_and_are_counted(rotated_app):
    calls = []

    def documents(batch_size: int) -> dict[str, int]:
        calls.append(batch_size)
        return {"rotated": 3, "current": 1}

    registry(rotated_app).file_rotators.append(documents)
    with rotated_app.app_context():
        report = keys.rotate_all(batch_size=10)
    assert calls == [10] and report.files["documents"] == 4 and report.rotated == 5 + 3


def test_a_wrong_key_is_refused_before_serving_with_a_clear_message(app, make_app):
    _log(app, "Geheim BV", ["confidential"])
    with pytest.raises(KeyConfigurationError, match=r"cannot decrypt the data in interactions\.summary"):
        keys.require_keys(make_app(ENCRYPTION_KEYS=Fernet.generate_key().decode()))


def test_a_lost_key_file_is_refused_and_no_new_key_is_made_for_encrypted_data(app, app_config, make_app):
    _log(app, "Geheim BV", ["confidential"])
    lost = make_app(ENCRYPTION_KEYS="")  # neither configured nor in the instance folder
    with pytest.raises(KeyConfigurationError, match="PRACLOX_ENCRYPTION_KEYS"):
        keys.require_keys(lost)
    for command in (["keys", "init"], ["db", "upgrade"]):
        result = lost.test_cli_runner().invoke(args=command)
        assert result.exit_code == 1 and "already holds encrypted data" in result.output, result.output
    assert not (Path(app_config["INSTANCE_PATH"]) / "encryption_keys").exists()


def test_an_unparseable_key_is_refused_at_start(app_config):
    with pytest.raises(KeyConfigurationError, match="not a valid Fernet key"):
        create_app({**app_config, "ENCRYPTION_KEYS": "not-a-key"})


def test_an_empty_database_starts_with_any_key(app, make_app):
    assert make_app(ENCRYPTION_KEYS=Fernet.generate_key().decode()) is not None


def test_encrypted_columns_are_discovered_from_the_metadata(app):
    with app.app_context():
        found = {f"{t.name}.{c.name}" for t, c in keys.encrypted_columns()}
    assert "interactions.summary" in found


def test_the_command_line_says_why_it_will_not_start_without_a_traceback(app, app_config):
    from click.testing import CliRunner

    from praclox.cli import main

    _log(app, "Geheim BV", ["confidential"])
    env = {"PRACLOX_INSTANCE_PATH": app_config["INSTANCE_PATH"], "PRACLOX_DATABASE_URL": app_config["DATABASE_URL"],
           "PRACLOX_SECRET_KEY": "x" * 32, "PRACLOX_ENCRYPTION_KEYS": Fernet.generate_key().decode()}
    result = CliRunner().invoke(main, ["keys", "check"], env=env)
    assert result.exit_code == 1
    assert "Error: The configured encryption keys cannot decrypt" in result.output
    assert "Traceback" not in result.output


def test_dropping_the_old_key_before_rotating_is_refused(rotated_app, make_app):
    with pytest.raises(KeyConfigurationError, match=r"interactions\.summary"):
        keys.require_keys(make_app(ENCRYPTION_KEYS=rotated_app.new_key))


def test_two_rotations_never_run_at_once(rotated_app):
    from praclox.jobs.services import acquire_lock, release_lock

    with rotated_app.app_context():
        assert acquire_lock("keys_rotate")
    try:
        result = rotated_app.test_cli_runner().invoke(args=["keys", "rotate"])
        assert result.exit_code == 1 and "another key rotation is running" in result.output
        assert not any(_readable_with(t, rotated_app.new_key) for t in _tokens(rotated_app)[:5])
    finally:
        # the other process lets go (on PostgreSQL the lock lives as long as its connection: a leaked one
        # would hold it for every later test of the run)
        with rotated_app.app_context():
            release_lock("keys_rotate")


def test_a_key_rotation_reencrypts_contact_notes_too(app, app_config, make_app):
    from praclox.offices import services

    with app.test_request_context():
        office = services.create_office({"name": "Notitie BV"}, actor=None)
        services.create_contact(office, {"first_name": "Nora", "last_name": "Noot", "notes": "Belt na tienen."},
                                actor=None)
        db.session.commit()
    new_key = Fernet.generate_key().decode()
    rotating = make_app(ENCRYPTION_KEYS=f"{new_key},{app_config['ENCRYPTION_KEYS']}")
    result = rotating.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    with make_app(ENCRYPTION_KEYS=new_key).app_context():
        assert db.session.scalars(select(Contact.notes)).one() == "Belt na tienen."
        rotated = db.session.scalars(select(AuditEntry).filter_by(action="key_rotation")).one().fields
        assert "contacts.notes" in rotated.split(",")


def test_a_database_holding_only_stored_files_gets_no_new_key_either(app, app_config, make_app):
    from praclox.files import store

    with app.app_context():
        assert keys.count_encrypted() == 0  # no encrypted column value: only the file below is encrypted
        store.put(b"%PDF-1.4 a CV, encrypted with the lost key")
        db.session.commit()
    lost = make_app(ENCRYPTION_KEYS="")
    result = lost.test_cli_runner().invoke(args=["keys", "init"])
    assert result.exit_code == 1 and "already holds encrypted data" in result.output, result.output
    assert not (Path(app_config["INSTANCE_PATH"]) / "encryption_keys").exists()
