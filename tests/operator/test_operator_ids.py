"""Numbers of people are never handed out twice: "applicant #4" in a report is one person, ever."""

from __future__ import annotations

import operator_data as data
import pytest

RECRUITER = "ids.recruiter@praclox.example"
PEOPLE_TABLES = ("users", "offices", "contacts", "personal_dates", "applicants", "registrations", "privacy_requests")


@pytest.fixture(scope="module")
def upgraded(make_instance, start_server, login):
    """An installation with an applicant and a CV, migrated again (``db upgrade`` is what an operator runs
    after every upgrade). It used to be seeded at the revision before the people-ids migration with today's
    code; today's code no longer runs on that schema (documents live in the database since 0022, audit entries
    have more columns since 0024), so the upgrade of a populated database is tests/test_migration_data.py's."""
    instance = make_instance()
    server = start_server(instance)
    instance.create_user(RECRUITER, "recruiter", name="Ida Werver")
    recruiter = login(server, instance, RECRUITER)
    vacancy_id = data.vacancy(recruiter, "Tester")
    person = data.applicant(recruiter, vacancy_id)
    data.withdraw(recruiter, person.id, days_ago=3)
    before = instance.sql("SELECT (SELECT count(*) FROM applicant_documents), "
                          "(SELECT count(*) FROM applicant_status_changes)")
    server.stop()
    instance.praclox("db", "upgrade")
    return instance, person, before, vacancy_id


def test_the_upgrade_keeps_every_row_and_declares_autoincrement(upgraded):
    instance, _person, before, _vacancy = upgraded
    assert instance.sql("SELECT (SELECT count(*) FROM applicant_documents), "
                        "(SELECT count(*) FROM applicant_status_changes)") == before
    assert before[0][0] == 1 and before[0][1] >= 1
    if instance.is_sqlite:
        schema = dict(instance.sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
        assert [t for t in PEOPLE_TABLES if "AUTOINCREMENT" not in schema[t]] == []
        assert instance.sql("PRAGMA foreign_key_check") == []


def test_the_id_of_a_purged_applicant_is_never_given_to_the_next_one(upgraded, start_server, login):
    instance, _old, _before, vacancy_id = upgraded
    server = start_server(instance)
    recruiter = login(server, instance, RECRUITER)
    newest = data.applicant(recruiter, vacancy_id, applied_days_ago=60)
    data.withdraw(recruiter, newest.id, days_ago=40)
    instance.praclox("retention", "purge", "--yes")
    assert recruiter.get(f"/applicants/{newest.id}").status == 404

    after = data.applicant(recruiter, vacancy_id)

    assert after.id > newest.id
    assert recruiter.get(f"/applicants/{newest.id}").status == 404  # the old number still finds nobody
