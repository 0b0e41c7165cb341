"""The shared file store: key rotation reaches its files, and the sweep removes only files no row names."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from cryptography.fernet import Fernet, InvalidToken

from praclox import create_app
from praclox.applicants import documents
from praclox.applicants.models import Applicant
from praclox.clock import now
from praclox.extensions import db
from praclox.files import store
from tests.applicants.conftest import pdf_bytes
from tests.files.support import stored_names, stored_token


def _upload(app, applicant_id: int, data: bytes) -> str:
    with app.test_request_context():
        document = documents.store_document(db.session.get(Applicant, applicant_id), filename="cv.pdf", data=data,
                                            kind="cv", actor=None)
        db.session.commit()
        return document.stored_name


def _readable_with(token: bytes, key: str) -> bool:
    try:
        Fernet(key.encode()).decrypt(token)
    except InvalidToken:
        return False
    return True


@pytest.fixture
def second_app(app_config):
    made = []

    def factory(**config):
        made.append(create_app({**app_config, **config}))
        return made[-1]

    yield factory
    for other in made:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()


def test_key_rotation_reencrypts_the_stored_files_and_the_newest_key_alone_reads_them(
        app, app_config, make_applicant, second_app):
    data = pdf_bytes("CV under the old key")
    old = _upload(app, make_applicant(), data)
    new_key = Fernet.generate_key().decode()
    rotated = second_app(ENCRYPTION_KEYS=f"{new_key},{app_config['ENCRYPTION_KEYS']}")
    assert not _readable_with(stored_token(rotated, old), new_key)

    result = rotated.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert _readable_with(stored_token(rotated, old), new_key)
    with second_app(ENCRYPTION_KEYS=new_key).app_context():
        assert store.read(old) == data


def test_the_sweep_removes_a_file_no_row_names_once_past_the_grace_period(app, make_applicant):
    owned = _upload(app, make_applicant(), pdf_bytes())
    with app.app_context():
        orphan = store.put(b"left by a fault")
        db.session.commit()
    first = app.test_cli_runner().invoke(args=["retention", "sweep-documents"])
    assert "orphans=1" in first.output and "recent=1" in first.output and "removed=0" in first.output, first.output
    assert stored_names(app) == {owned, orphan}
    with time_machine.travel(now() + timedelta(hours=2), tick=False):
        second = app.test_cli_runner().invoke(args=["jobs", "run", "documents-sweep"])
    assert second.exit_code == 0, second.output
    assert stored_names(app) == {owned}


def test_a_file_in_use_cannot_be_removed_before_its_row(app, make_applicant):
    owned = _upload(app, make_applicant(), pdf_bytes())
    with app.app_context(), pytest.raises(Exception, match="(?i)foreign key"):
        store.remove([owned])
        db.session.flush()
    assert stored_names(app) == {owned}
