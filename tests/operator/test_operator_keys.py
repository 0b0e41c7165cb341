"""Key rotation as the README tells an operator to do it: new key first, `praclox keys rotate`, drop the old
key, restart. Judged by the command's words, the server's start and the documents downloaded over HTTP."""

from __future__ import annotations

import operator_data as data
import pytest
from cryptography.fernet import Fernet
from ops_support import query, write

RECRUITER = "keys.recruiter@praclox.example"
OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture(scope="module")
def under_old_key(make_instance, start_server, login):
    """Three applicants with a CV each, uploaded over HTTP while the installation used the old key."""
    instance = make_instance(ENCRYPTION_KEYS=OLD)
    server = start_server(instance)
    instance.create_user(RECRUITER, "recruiter", name="Karin Werver")
    recruiter = login(server, instance, RECRUITER)
    vacancy_id = data.vacancy(recruiter, "Key keeper")
    people = [data.applicant(recruiter, vacancy_id) for _ in range(3)]
    server.stop()
    return instance, people


def test_documents_survive_key_rotation_and_a_restart_with_the_new_key_only(under_old_key, start_server, login):
    instance, people = under_old_key
    backup = query(instance, "SELECT name, content FROM stored_files")  # the operator's backup of last night

    rotated = instance.praclox("keys", "rotate", env={"PRACLOX_ENCRYPTION_KEYS": f"{NEW},{OLD}"})
    assert "the other keys can be removed" in rotated.stdout, rotated.stdout  # so the operator does

    server = start_server(instance, env={"PRACLOX_ENCRYPTION_KEYS": NEW})
    recruiter = login(server, instance, RECRUITER)
    for person in people:
        answer = recruiter.get(person.document_url)
        assert answer.status == 200, (answer.status, server.output()[-2000:])
        assert answer.body == person.cv
    server.stop()
    assert "Read back with the newest key alone: all" in rotated.stdout, rotated.stdout

    # a restore of last night's stored files (still under the old key): the key check samples files, so the
    # product (its check, the web server's and the scheduler's start) refuses the new key alone instead of
    # answering every download with a 500
    for name, content in backup:
        write(instance, "UPDATE stored_files SET content = :content WHERE name = :name", name=name, content=content)
    refused = instance.praclox("keys", "check", env={"PRACLOX_ENCRYPTION_KEYS": NEW}, check=False)
    assert refused.returncode != 0
    assert "cannot decrypt the stored files" in refused.stderr, refused.stderr
    again = instance.praclox("keys", "rotate", env={"PRACLOX_ENCRYPTION_KEYS": f"{NEW},{OLD}"})
    assert "Read back with the newest key alone: all" in again.stdout
    assert instance.praclox("keys", "check", env={"PRACLOX_ENCRYPTION_KEYS": NEW}).returncode == 0


def test_rotation_says_keep_the_old_key_when_a_file_cannot_be_read_back(under_old_key):
    """A file no configured key can read (left from a third key): the command must not say "can be removed"."""
    instance, _people = under_old_key
    # the middle document: the start-up check samples the oldest and the newest, the read-back reads them all
    [(middle,)] = instance.sql("SELECT stored_name FROM applicant_documents ORDER BY id LIMIT 1 OFFSET 1")
    [(original,)] = query(instance, f"SELECT content FROM stored_files WHERE name = '{middle}'")
    replace = "UPDATE stored_files SET content = :content WHERE name = :name"
    try:
        write(instance, replace, name=middle,
              content=Fernet(Fernet.generate_key()).encrypt(b"%PDF-1.4 from another installation"))
        result = instance.praclox("keys", "rotate", env={"PRACLOX_ENCRYPTION_KEYS": f"{NEW},{OLD}"}, check=False)
        assert result.returncode == 1, result.stdout + result.stderr
        assert "could NOT be read" in result.stdout and "can be removed" not in result.stdout
    finally:
        write(instance, replace, name=middle, content=original)


def test_the_web_server_refuses_to_start_without_keys_until_db_upgrade_makes_them(make_instance):
    """A fresh clone: compiling the catalogues makes no key; gunicorn stops with what to run; `praclox db
    upgrade` makes the keys (mode 0600) and then the same start works."""
    import subprocess
    import sys
    from pathlib import Path

    instance = make_instance(migrate=False)
    instance.praclox("i18n", "compile")
    assert not (instance.path / "secret_key").exists() and not (instance.path / "encryption_keys").exists()
    root = Path(__file__).resolve().parents[2]
    gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "-c", str(root / "gunicorn.conf.py"),
                "--bind", "127.0.0.1:0", "--workers", "1", "wsgi:app"]
    refused = subprocess.run(instance.command(gunicorn), cwd=root, env=instance.env,  # noqa: S603
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1, refused.stderr[-2000:]
    assert "Error: no secret key" in refused.stderr and "praclox keys init" in refused.stderr
    assert "Traceback" not in refused.stderr

    upgraded = instance.praclox("db", "upgrade")
    assert "Made instance/encryption_keys" in upgraded.stdout, upgraded.stdout
    assert (instance.path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert instance.praclox("keys", "check").stdout.startswith("Keys present")
