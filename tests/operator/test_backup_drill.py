"""The restore drill of issue 17: back up while the server runs, erase a person over HTTP, purge an applicant,
restore the backup, and neither is anywhere in the database, the documents or any file of the instance.
Judged on the bytes of every file under the instance folder and on the commands' own output."""

from __future__ import annotations

import re
import stat
import subprocess
import urllib.parse
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ops_support import query, run_python

HERE = Path(__file__).parent
FIRST, LAST = "Gerritdina", "Oosterwolde"
EMAIL = "gerritdina.oosterwolde@voorbeeld.nl"
APPLICANT = "Seeded applicant 0"
STAFF, OFFICER = "drill.staff@praclox.example", "drill.officer@praclox.example"


def _seed_person(staff) -> int:
    today = date.today().isoformat()
    created = staff.submit("/offices/new", name="Kantoor Drill", kind="client", visit_city="Utrecht")
    office = int(re.search(r"/(\d+)(?:/|$)", created.location).group(1))
    assert staff.submit(f"/offices/{office}/contacts/new", first_name=FIRST, last_name=LAST, email=EMAIL,
                        phone="+31 6 5555 7777").status == 302
    assert staff.submit(f"/offices/{office}", f"/offices/{office}/interactions", kind="call", occurred_on=today,
                        contact_id="0", summary=f"Gebeld met {FIRST} {LAST}").status == 302
    return office


def _erase(server, instance, login) -> None:
    officer = login(server, instance, OFFICER)
    search = {"csrf_token": officer.csrf("/privacy-officer/subjects"), "name": "", "email": EMAIL, "phone": ""}
    erased = officer.post("/privacy-officer/subjects/erase", {**search, "person": EMAIL, "confirm": "y"})
    assert erased.status == 302, erased.text[:300]


def _documents(instance) -> set[str]:
    return {name for (name,) in query(instance, "SELECT name FROM stored_files")}


def _database_holding(instance, *needles: str) -> list[str]:
    """The needles the database holds: SQLite's files are read byte for byte (the WAL too); PostgreSQL's
    content is read as an operator's own ``pg_dump`` of it shows it (what their next backup would hold)."""
    if instance.is_sqlite:
        return sorted({needle for name, needle in instance.files_holding(*needles)
                       if name.startswith("praclox.sqlite3")})
    parts = urllib.parse.urlsplit(instance.database_url)
    dsn = urllib.parse.urlunsplit(("postgresql", parts.netloc, parts.path, "", ""))
    dump = subprocess.run(["pg_dump", "--data-only", "--dbname", dsn], capture_output=True, text=True, check=True)
    return sorted(needle for needle in needles if needle in dump.stdout)


def test_a_restored_backup_brings_back_neither_the_erased_person_nor_the_purged_applicant(
        make_instance, start_server, login):
    instance = make_instance()
    instance.create_user(STAFF, "staff", name="Drill Medewerker")
    instance.create_user(OFFICER, "privacy_officer", name="Drill FG")
    assert run_python(instance, HERE / "seed_applicants.py", "1", "--documents").returncode == 0
    server = start_server(instance)
    office = _seed_person(login(server, instance, STAFF))
    (document,) = _documents(instance)

    made = instance.praclox("backup", "create")  # online: the server is running
    backup = Path(re.search(r"backup written: (\S+)", made.stdout).group(1))
    assert backup.is_file() and stat.S_IMODE(backup.stat().st_mode) == 0o600
    # the live database names them (the check works); the backup does not (it is encrypted)
    assert _database_holding(instance, FIRST, LAST, EMAIL, APPLICANT) == sorted([FIRST, LAST, EMAIL, APPLICANT])
    assert [name for name, _ in instance.files_holding(FIRST, LAST, EMAIL, APPLICANT)
            if name.startswith("backups/")] == []

    _erase(server, instance, login)
    purged = instance.praclox("retention", "purge", "--yes")
    assert "purged=1" in purged.stdout.replace(" ", ""), purged.stdout
    server.stop()

    restored = instance.praclox("backup", "restore", str(backup), "--yes")
    assert "re-applied" in restored.stdout, restored.stdout

    assert instance.files_holding(FIRST, LAST, EMAIL, APPLICANT, "55557777") == []
    assert _database_holding(instance, FIRST, LAST, EMAIL, APPLICANT, "55557777") == []
    assert query(instance, "SELECT count(*) FROM applicants") == [(0,)]
    assert query(instance, "SELECT count(*) FROM applicant_documents") == [(0,)]
    assert document not in _documents(instance) and _documents(instance) == set()
    assert query(instance, "SELECT count(*) FROM privacy_suppressions") == [(1,)]
    assert query(instance, "SELECT count(*) FROM applicant_tombstones") == [(1,)]
    # what the backup held besides them is back: the office and its redacted call
    assert query(instance, f"SELECT count(*) FROM offices WHERE id = {office}") == [(1,)]  # noqa: S608
    again = start_server(instance)
    staff = login(again, instance, STAFF)
    page = staff.get(f"/offices/{office}")
    assert page.status == 200 and "Kantoor Drill" in page.text and LAST not in page.text
    again.stop()


def test_a_file_that_is_no_backup_of_this_installation_is_refused_and_nothing_changes(make_instance):
    instance = make_instance()
    instance.create_user(STAFF, "staff", name="Drill Medewerker")
    before = query(instance, "SELECT id, email FROM users")
    stranger = instance.path.parent / "not-a-backup.praclox-backup"
    stranger.write_bytes(b"gAAAAAB-not-a-fernet-token")
    refused = instance.praclox("backup", "restore", str(stranger), "--yes", check=False)
    assert refused.returncode == 1 and "cannot be read with this installation's keys" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert query(instance, "SELECT id, email FROM users") == before


def test_backups_older_than_the_setting_are_deleted_by_the_prune_and_the_ledger_with_them(make_instance):
    """The operator's folder after some weeks: a backup made today and one made 40 days ago. The old one
    carries the name ``backup create`` gave it then (the name is where a backup keeps its date); the
    scheduler's prune job, run as ``praclox jobs run``, deletes it and keeps today's and any other file."""
    instance = make_instance()
    made = instance.praclox("backup", "create")
    today = Path(re.search(r"backup written: (\S+)", made.stdout).group(1))
    stamp = (datetime.now(UTC) - timedelta(days=40)).strftime("%Y%m%dT%H%M%S%fZ")
    old = today.with_name(f"praclox-{stamp}.praclox-backup")
    old.write_bytes(today.read_bytes())
    notes = today.with_name("README.txt")
    notes.write_text("offsite copies: see the runbook")

    looked = instance.praclox("backup", "prune", "--dry-run")
    assert "would delete 1 backup(s), kept 1" in looked.stdout and old.exists()
    ran = instance.praclox("jobs", "run", "backup.prune")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert sorted(p.name for p in today.parent.iterdir() if p.suffix == ".praclox-backup") == [today.name]
    assert notes.read_text() == "offsite copies: see the runbook"
