"""The retention purge as an operator runs it: the web server up (its connections open), the command or the
job in a process of its own, and judged by the bytes under the instance folder and the command's output."""

from __future__ import annotations

import re
import sqlite3
from datetime import date, timedelta

import operator_data as data
import pytest

RECRUITER = "purge.recruiter@praclox.example"


@pytest.fixture(scope="module")
def recruiter(instance, server, login):
    instance.create_user(RECRUITER, "recruiter", name="Rob Werver")
    return login(server, instance, RECRUITER)


@pytest.fixture(scope="module")
def vacancy_id(recruiter):
    return data.vacancy(recruiter, "Data engineer")


def due_applicant(recruiter, vacancy_id, *, decided_days_ago=40):
    person = data.applicant(recruiter, vacancy_id, applied_days_ago=decided_days_ago + 20)
    data.withdraw(recruiter, person.id, days_ago=decided_days_ago)
    return person


def sqlite_only(instance):
    if not instance.is_sqlite:
        pytest.skip("the byte-level check reads SQLite's files; PostgreSQL's are the server's (README)")


def test_a_purge_leaves_no_byte_of_the_applicant_under_the_instance_folder(instance, server, recruiter, vacancy_id):
    person = due_applicant(recruiter, vacancy_id)
    assert recruiter.get(f"/applicants/{person.id}").status == 200  # the server has read it: its connection is open
    if instance.is_sqlite:
        assert instance.files_holding(person.name), "the scan must see the applicant before the purge"

    result = instance.praclox("retention", "purge", "--yes")

    assert re.search(r"purged [1-9]\d* applicant", result.stdout), result.stdout
    assert recruiter.get(f"/applicants/{person.id}").status == 404
    if not instance.is_sqlite:
        assert "vacuumed" in result.stdout and "gone" not in result.stdout.lower().split("on disk:")[1][:10]
        return
    assert instance.files_holding(*person.needles(), person.phone) == []
    assert "On disk: gone" in result.stdout, result.stdout
    assert server.process.poll() is None  # and all this while the server kept running


def test_the_nightly_job_leaves_no_byte_either_and_its_run_says_so(instance, server, recruiter, vacancy_id):
    sqlite_only(instance)
    person = due_applicant(recruiter, vacancy_id)
    assert instance.files_holding(person.name)

    result = instance.praclox("jobs", "run", "applicants-purge")  # what `praclox scheduler` runs at 02:30

    assert '"purged": 1' in result.stdout, result.stdout
    assert instance.files_holding(*person.needles()) == []
    assert '"disk_gone": 1' in result.stdout, result.stdout


def test_a_reader_that_blocks_the_log_is_reported_and_the_purge_never_says_gone(instance, server, recruiter,
                                                                                vacancy_id):
    """An operator's backup (``sqlite3 praclox.sqlite3 .backup``) or a long export reads while the purge runs."""
    sqlite_only(instance)
    person = due_applicant(recruiter, vacancy_id)
    reader = sqlite3.connect(instance.database, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM applicants").fetchone()  # a read transaction holds its snapshot
        result = instance.praclox("retention", "purge", "--yes", check=False,
                                  env={"PRACLOX_CHECKPOINT_PATIENCE_SECONDS": "2"})
        assert result.returncode == 1, result.stdout + result.stderr
        assert "On disk: NOT yet gone" in result.stdout and "On disk: gone" not in result.stdout
        assert re.search(r"\((\d+) attempts\)", result.stdout) and int(re.search(
            r"\((\d+) attempts\)", result.stdout)[1]) > 1  # it retried before giving up
        assert instance.files_holding(person.name)  # and that is the truth
    finally:
        reader.execute("ROLLBACK")
        reader.close()

    settled = instance.praclox("privacy", "settle-disk")
    assert "On disk: gone" in settled.stdout
    assert instance.files_holding(*person.needles()) == []


def test_a_real_purge_never_runs_ahead_of_today_and_changes_nothing(instance, server, recruiter, vacancy_id):
    person = due_applicant(recruiter, vacancy_id, decided_days_ago=10)  # due in 18 days
    ahead = (date.today() + timedelta(days=30)).isoformat()
    before = instance.praclox("retention", "report").stdout

    for command in (["retention", "purge"], ["registrations", "purge"]):
        refused = instance.praclox(*command, "--as-of", ahead, "--yes", check=False)
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert "only a dry run may look ahead" in refused.stderr and "Nothing was changed" in refused.stderr

    assert recruiter.get(f"/applicants/{person.id}").status == 200
    assert instance.praclox("retention", "report").stdout == before  # no run recorded, no purge
    dry = instance.praclox("retention", "purge", "--dry-run", "--as-of", ahead)
    assert re.search(r"would purge [1-9]", dry.stdout), dry.stdout
    assert recruiter.get(f"/applicants/{person.id}").status == 200


def test_the_purge_record_carries_the_real_day_not_the_as_of_day(instance, server, recruiter, vacancy_id):
    due_applicant(recruiter, vacancy_id, decided_days_ago=80)
    back = date.today() - timedelta(days=45)  # due 52 days ago, so due as of 45 days ago too

    instance.praclox("retention", "purge", "--as-of", back.isoformat(), "--yes")

    report = instance.praclox("retention", "report").stdout
    months = re.findall(r"^  (\d{4}-\d{2}): ", report.split("Purged in total")[1].split("Website")[0], re.M)
    assert date.today().strftime("%Y-%m") in months and back.strftime("%Y-%m") not in months, report


OFFICER = "purge.officer@praclox.example"


def test_an_erasure_on_the_page_leaves_no_byte_of_the_person_either(instance, server, recruiter, vacancy_id,
                                                                   login):
    person = data.applicant(recruiter, vacancy_id)
    if instance.is_sqlite:
        assert instance.files_holding(person.name)
    instance.create_user(OFFICER, "privacy_officer", name="Femke Functionaris")
    officer = login(server, instance, OFFICER)

    found = officer.submit("/privacy-officer/subjects", email=person.email)
    assert found.status == 200 and "/privacy-officer/subjects/erase" in found.text, found.text[-3000:]
    erase_form = officer.form(found, "/privacy-officer/subjects/erase")
    confirm_page = officer.post("/privacy-officer/subjects/erase", erase_form)
    assert confirm_page.status == 200, confirm_page.text[:500]
    fields = officer.form(confirm_page, "/privacy-officer/subjects/erase")
    erased = officer.post("/privacy-officer/subjects/erase", {**fields, "confirm": "y"})
    assert erased.status == 302, erased.text[:800]

    if instance.is_sqlite:
        assert instance.files_holding(*person.needles(), person.phone) == []
    shown = officer.follow(erased).text
    assert "overal verwijderd" in shown, shown[:2000]
