"""Backups older than the retention setting go, by the job or ``praclox backup prune``; the ledger follows.

Judged on what an operator sees: the files in the backup folder, the ledger's lines, the command's output.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import time_machine

from praclox.backup import ledger
from praclox.extensions import db

UTC = timezone.utc  # noqa: UP017


def _create(runner) -> Path:
    made = runner.invoke(args=["backup", "create"])
    assert made.exit_code == 0, made.output
    return Path(re.search(r"backup written: (\S+)", made.output).group(1))


def _erase_an_office(app, make_office) -> None:
    """An erasure's ledger line, written the way every erasure writes it (noted, then committed)."""
    from praclox.offices.models import Office

    office_id = make_office("Kantoor Weg")
    with app.test_request_context():
        ledger.note("offices", [office_id])
        db.session.delete(db.session.get(Office, office_id))
        db.session.commit()


def _ledger_lines(app) -> int:
    with app.app_context():
        path = ledger.ledger_path()
        return len(path.read_bytes().splitlines()) if path.exists() else 0


def test_prune_deletes_backups_older_than_the_setting_and_the_ledger_entries_before_them(app, runner, make_office):
    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        old = _create(runner)
        _erase_an_office(app, make_office)
    stranger = old.parent / "notes-of-the-operator.txt"
    stranger.write_text("mine")
    assert _ledger_lines(app) == 1

    with time_machine.travel(start + timedelta(days=27), tick=False):
        recent = _create(runner)
        kept = runner.invoke(args=["backup", "prune"])
    assert "deleted 0 backup(s), kept 2; deleted 0 ledger entries" in kept.output, kept.output
    assert old.exists() and recent.exists()

    with time_machine.travel(start + timedelta(days=29), tick=False):
        looked = runner.invoke(args=["backup", "prune", "--dry-run"])
        assert "would delete 1 backup(s), kept 1; would delete 1 ledger entries" in looked.output, looked.output
        assert old.exists() and _ledger_lines(app) == 1  # a dry run changes nothing
        done = runner.invoke(args=["backup", "prune"])
    assert done.exit_code == 0 and "deleted 1 backup(s), kept 1; deleted 1 ledger entries" in done.output
    assert not old.exists() and recent.exists() and stranger.read_text() == "mine"
    assert _ledger_lines(app) == 0


def test_the_period_is_the_administrators_setting_and_the_statement_gives_it(app, runner, client, admin_client):
    dutch = client.get("/privacy").get_data(as_text=True)
    assert "Elke back-up wordt na 28 dagen verwijderd" in dutch
    assert "wissen we eerst opnieuw alles wat na het maken van die back-up is gewist" in dutch

    refused = admin_client.post("/admin/settings/", data={"backup.keep_days": "0"})
    assert refused.status_code == 422
    assert "na 28 dagen verwijderd" in client.get("/privacy").get_data(as_text=True)

    admin_client.post("/admin/settings/", data={"backup.keep_days": "1"})
    assert "Elke back-up wordt na 1 dag verwijderd" in client.get("/privacy").get_data(as_text=True)
    admin_client.post("/admin/settings/", data={"backup.keep_days": "90"})
    client.post("/language", data={"lang": "en", "next": "/privacy"})
    assert "Each backup is deleted after 90 days" in client.get("/privacy").get_data(as_text=True)

    start = datetime.now(UTC)
    with time_machine.travel(start, tick=False):
        made = _create(runner)
    with time_machine.travel(start + timedelta(days=60), tick=False):
        assert "deleted 0 backup(s), kept 1" in runner.invoke(args=["backup", "prune"]).output
    assert made.exists()
