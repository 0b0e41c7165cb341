"""What lies in the instance folder: who may read it, and what reading it reveals."""

from __future__ import annotations

import stat

import operator_data as data
import pytest


@pytest.fixture(scope="module")
def open_umask_instance(make_instance):
    """An installation whose every process runs with umask 000 (the most careless shell there is)."""
    return make_instance(umask=0o000)


@pytest.fixture(scope="module")
def uploaded(open_umask_instance, start_server, login):
    """A recruiter added an applicant with notes and a CV over HTTP, with the server running."""
    instance = open_umask_instance
    server = start_server(instance)
    instance.create_user("files.recruiter@praclox.example", "recruiter", name="Rita Werver")
    recruiter = login(server, instance, "files.recruiter@praclox.example")
    person = data.applicant(recruiter, data.vacancy(recruiter))
    return instance, server, recruiter, person


def modes(instance):
    return {str(p.relative_to(instance.path)) or ".": stat.S_IMODE(p.stat().st_mode)
            for p in [instance.path, *instance.path.rglob("*")]}


def test_the_instance_folder_is_0700_and_every_file_in_it_0600_whatever_the_umask(uploaded):
    instance, server, _recruiter, _person = uploaded
    found = modes(instance)
    names = set(found)
    assert {"praclox.sqlite3", "praclox.sqlite3-wal", "praclox.sqlite3-shm", "secret_key", "encryption_keys",
            } <= names if instance.is_sqlite else {"secret_key", "encryption_keys"} <= names
    assert "documents" not in names  # the CV is in the database's file store, where every app host reaches it
    wrong = {name: oct(mode) for name, mode in found.items()
             if mode != (0o700 if (instance.path / name).is_dir() else 0o600)}
    assert not wrong, f"modes other than 0700 (folders) and 0600 (files): {wrong}"


def test_notes_and_documents_are_not_readable_on_disk(uploaded):
    """The notes are encrypted in the database; the CV only exists encrypted, never as an upload copy."""
    instance, _server, recruiter, person = uploaded
    assert recruiter.get(person.document_url).body == person.cv  # it is there, and it is the CV
    assert instance.files_holding(person.notes, person.cv, b"%PDF-", b"Curriculum vitae") == []
    if instance.is_sqlite:  # the name is a plain column: it is on disk, which proves the scan reads the files
        assert instance.files_holding(person.name)


def test_a_password_is_nowhere_on_disk_in_clear(uploaded):
    instance, *_ = uploaded
    password = instance.passwords["files.recruiter@praclox.example"]
    assert instance.files_holding(password) == []
