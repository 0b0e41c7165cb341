"""A contact's attachments in subject access and erasure: the access export carries the file, the erasure
removes the row and its stored file, and on SQLite not a byte of the encrypted file stays in the database
file or its write-ahead log (the earlier purge bug left erased data in the WAL)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from sqlalchemy import select

from praclox.extensions import db
from praclox.offices.models import Contact
from tests.attachments.test_attachments import SANNE, attachments, post_file
from tests.files.support import stored_names, stored_token

CONTENT = b"%PDF-1.4\n% Contract signed by Sanne Smit\n%%EOF\n"


def _beside(database: Path) -> list[Path]:
    """The database file, its write-ahead log and its shared memory."""
    return [p for p in database.parent.iterdir() if p.name.startswith(database.name)]


def _person() -> dict[str, str]:
    return {"name": "", "email": SANNE["email"], "phone": "", "person": SANNE["email"]}


def test_a_contacts_attachment_is_exported_then_erased_with_its_bytes_gone_from_disk(app, login_as, make_office):
    office_id = make_office("Jansen Accountants", contacts=(SANNE,))
    with app.app_context():
        contact_id = db.session.scalar(select(Contact.id))
    staff = login_as("staff")
    assert post_file(staff, f"/offices/{office_id}/contacts/{contact_id}/attachments/new", "Contract Smit.pdf",
                     CONTENT).status_code == 302
    (attachment,) = attachments(app)
    stretch = stored_token(app, attachment.stored_name)[60:120]
    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        database = Path(db.engine.url.database or "")
    if sqlite:  # the check below can fail: before the erasure the encrypted bytes are on disk
        assert any(stretch in p.read_bytes() for p in _beside(database))

    officer = login_as("privacy_officer")
    found = officer.post("/privacy-officer/subjects", data=_person()).get_data(as_text=True)
    assert "Contract Smit.pdf" in found
    export = officer.post("/privacy-officer/subjects/access.json", data=_person())
    exported = json.loads(export.get_data(as_text=True))["data"]["attachments"]["attachments"]
    assert [base64.b64decode(a["content"]) for a in exported] == [CONTENT]
    assert [a["original_name"] for a in exported] == ["Contract Smit.pdf"]

    done = officer.post("/privacy-officer/subjects/erase", data={**_person(), "confirm": "y"})
    assert done.status_code == 302
    assert attachments(app) == [] and stored_names(app) == set()
    if not sqlite:
        return  # PostgreSQL: vacuumed, as the README says; the bytes on disk are SQLite's to check here
    assert database in _beside(database)
    assert not [p.name for p in _beside(database) if stretch in p.read_bytes()]
