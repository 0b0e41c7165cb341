"""Access and erasure requests across every domain, ending in a byte scan of what is left on disk.

Each domain's ``seed_subject`` (tests/<domain>/seeders.py, collected by tests/seeders.py) stores the
person's data in that domain and returns the unique strings it stored. The tests below then prove that
the access export contains every one of them and that after the erasure none of them is left in the
database file, its write-ahead log or instance/.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from praclox.audit.models import AuditEntry
from praclox.extensions import db
from praclox.privacy.models import PrivacyRequest, Suppression, Tombstone
from tests.files.support import stored_names
from tests.seeders import Subject, collect, new_subject

#: each domain's ``seed_subject`` from its tests/<domain>/seeders.py
SEEDERS: list[Callable[[Flask, Subject], list[str]]] = collect("seed_subject")


@pytest.fixture
def seeded(app: Flask) -> tuple[Subject, list[str]]:
    person = new_subject()
    unique: list[str] = []
    for seeder in SEEDERS:
        unique.extend(seeder(app, person))
    return person, sorted(set(unique))


def _search(client: Any, **query: str) -> Any:
    return client.post("/privacy-officer/subjects", data={"name": "", "email": "", "phone": "", **query})


def _person_form(person: Subject, **extra: Any) -> dict[str, Any]:
    return {"name": "", "email": person.email, "phone": "", "person": person.email.lower(), **extra}


def test_an_empty_search_is_a_clear_error(app, login_as):
    response = _search(login_as("privacy_officer"))
    assert response.status_code == 422
    assert "Vul een naam, e-mailadres of telefoonnummer in" in response.get_data(as_text=True)


@pytest.mark.parametrize("query", ["email", "name", "phone"])
def test_search_by_name_email_or_phone_groups_the_hits_by_person(app, login_as, seeded, query):
    person, _unique = seeded
    value = {"email": person.email.upper(), "name": person.last_name.lower(), "phone": "+31 " + person.phone[1:]}[query]
    page = _search(login_as("privacy_officer"), **{query: value}).get_data(as_text=True)
    assert "Contactpersoon bij Kantoor De Linde" in page
    assert person.email.lower() in page
    for domain_label in ("Registratie via de website (", "Vroeg om de wens “Export to the accounting",
                         f"Verjaardag van {person.full_name}", f"Trouwdag van {person.full_name}",
                         "Sollicitant voor Assistant accountant"):
        assert domain_label in page, domain_label  # the linked records of every domain, by name, address or phone


def test_access_export_holds_every_field_with_its_purpose_and_retention(app, login_as, seeded):
    person, unique = seeded
    client = login_as("privacy_officer")
    response = client.post("/privacy-officer/subjects/access.json", data=_person_form(person))
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_data(as_text=True)
    export = json.loads(body)
    documents = export["data"]["applicants"]["applicant_documents"]
    readable = body + "".join(base64.b64decode(d["content"]).decode("latin-1") for d in documents)
    for text in unique:
        assert text in readable, text  # a document's own bytes are in the export too (base64)
    contact = export["data"]["offices"]["contacts"][0]
    assert contact["email"] == person.email and contact["phone"] == person.phone
    summaries = [i["summary"] for i in export["data"]["offices"]["interactions"]]
    assert summaries == [f"Called {person.full_name} about the annual report"]
    described = {(f["table"], f["column"]): f for f in export["fields"]}
    with app.app_context():
        from praclox.privacy.registry import all_fields

        declared = all_fields()
    for domain, tables in export["data"].items():
        for table, rows in tables.items():
            for row in rows:
                missing = {f.column for f in declared if f.table == table} - set(row)
                assert not missing, (domain, table, missing)  # the export holds every declared field
    for domain, table in (("dates", "personal_dates"), ("dates", "date_congratulations"),
                          ("registrations", "registrations"), ("wishes", "wishes"),
                          ("applicants", "applicants"), ("applicants", "applicant_status_changes"),
                          ("applicants", "applicant_documents"), ("applicants", "applicant_consents")):
        assert export["data"][domain][table], (domain, table)  # the same person, found in every domain
        for column in {f.column for f in declared if f.table == table}:
            assert described[(table, column)]["purpose"] and described[(table, column)]["retention"], column
    dates = export["data"]["dates"]["personal_dates"]
    assert sorted(d["kind"] for d in dates) == ["birthday", "child_birthday", "wedding"]
    assert export["data"]["registrations"]["registrations"][0]["contact_id"] == contact["id"]
    assert export["data"]["wishes"]["wishes"][0]["requested_by_id"] == contact["id"]
    applicant = export["data"]["applicants"]["applicants"][0]
    assert (applicant["name"], applicant["email"]) == (person.full_name, person.email)
    assert [c["to_status"] for c in export["data"]["applicants"]["applicant_status_changes"]] == ["new",
                                                                                                "conversation"]
    assert described[("applicant_documents", "content")]["encrypted"] is True
    assert described[("personal_dates", "notes")]["encrypted"] is True
    assert described[("contacts", "email")]["purpose"] and described[("contacts", "email")]["retention"]
    assert described[("interactions", "summary")]["encrypted"] is True
    page = client.post("/privacy-officer/subjects/access", data=_person_form(person)).get_data(as_text=True)
    assert person.phone in page and "De juiste persoon bij een kantoor bereiken." in page
    with app.app_context():
        exports = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
        assert {e.record_type for e in exports} >= {"contacts", "privacy_requests"}


def _files(instance: Path) -> list[Path]:
    return [p for p in instance.rglob("*") if p.is_file()]


def _personal_audit_ids(app: Flask) -> dict[str, set[int]]:
    """The records of the person's tables that have audit entries (the seeded person is the only one)."""
    tables = ("contacts", "personal_dates", "date_congratulations", "registrations")
    with app.app_context():
        rows = db.session.execute(select(AuditEntry.record_type, AuditEntry.record_id)
                                  .where(AuditEntry.record_type.in_(tables))).all()
    found: dict[str, set[int]] = {}
    for table, record_id in rows:
        found.setdefault(table, set()).add(record_id)
    return found


def _staff_feed(app: Flask, make_user: Any) -> str:
    from praclox.auth.models import User
    from praclox.dates import feeds

    user = make_user("staff", email="calendar.reader@praclox.nl")
    with app.test_request_context():
        _feed, token = feeds.create_feed(db.session.get(User, user.id), "telefoon", actor=None)
        db.session.commit()
    return token


def test_erasure_asks_first_then_leaves_no_trace_on_disk(app, login_as, seeded, make_user):
    person, unique = seeded
    client = login_as("privacy_officer")
    with app.app_context():
        request_id = db.session.scalar(select(PrivacyRequest.id))
        contact_id = db.session.scalar(select(AuditEntry.record_id).where(AuditEntry.record_type == "contacts"))
    audited = _personal_audit_ids(app)
    assert set(audited) == {"contacts", "personal_dates", "date_congratulations", "registrations"}
    token = _staff_feed(app, make_user)
    feed_client = app.test_client()
    before = feed_client.get(f"/feeds/{token}.ics")
    assert before.status_code == 200 and person.last_name in before.get_data(as_text=True)
    unchanged = feed_client.get(f"/feeds/{token}.ics", headers={"If-None-Match": before.headers["ETag"]})
    assert unchanged.status_code == 304

    confirm = client.post("/privacy-officer/subjects/erase", data=_person_form(person))
    assert confirm.status_code == 200 and "Deze persoon overal verwijderen?" in confirm.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Tombstone).count() == 0

    done = client.post("/privacy-officer/subjects/erase",
                       data=_person_form(person, confirm="y", request_id=str(request_id)))
    assert done.status_code == 302

    from praclox.offices.models import Contact, Interaction

    with app.app_context():
        assert db.session.query(Contact).count() == 0
        summaries = sorted(i.summary for i in db.session.scalars(select(Interaction)))
        assert summaries == ["Called [verwijderd] about the annual report",
                             "Visit; [verwijderd] was ill, spoke to the director"]
        assert not db.session.scalars(select(AuditEntry).where(
            AuditEntry.record_type == "contacts", AuditEntry.record_id == contact_id)).all()
        tombstone = db.session.scalars(select(Tombstone)).one()
        assert json.loads(tombstone.counts)["offices"] == {"contacts": 1, "office_fields": 0}
        assert json.loads(tombstone.counts)["mentions"] == {"redacted": 3, "to_review": 0}  # two summaries, a follow-up
        assert tombstone.request_id == request_id and db.session.query(Suppression).count() == 1
        request = db.session.get(PrivacyRequest, request_id)
        assert (request.requester_name, request.requester_contact, request.status) == ("[verwijderd]", None,
                                                                                      "completed")
        assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "erase"))
        counts = json.loads(tombstone.counts)
        assert counts["dates"]["personal_dates"] == 3 and counts["registrations"] == {"registrations": 1}
        assert counts["wishes"] == {"wish_requester_links": 1}
        from praclox.dates.models import PersonalDate
        from praclox.registrations.models import Registration
        from praclox.wishes.models import Wish

        assert db.session.query(PersonalDate).count() == 0 and db.session.query(Registration).count() == 0
        wish = db.session.scalars(select(Wish)).one()
        assert (wish.title, wish.requested_by_id) == ("Export to the accounting package", None)
        from praclox.followups.models import FollowUp

        follow_up = db.session.scalars(select(FollowUp)).one()
        assert (follow_up.title, follow_up.description, follow_up.contact_id) == (
            "Call [verwijderd] back", "[verwijderd] asked about VAT", None)
        assert counts["followups"] == {"follow_up_contact_links": 1}
        from praclox.applicants.models import Applicant, Document
        from praclox.applicants.models import Tombstone as ApplicantTombstone

        assert counts["applicants"]["applicants"] == 1
        assert db.session.query(Applicant).count() == 0 and db.session.query(Document).count() == 0
        assert [t.rule for t in db.session.scalars(select(ApplicantTombstone))] == ["erasure_request"]
    assert stored_names(app) == set()  # the document's stored file is gone
    assert _personal_audit_ids(app) == {}
    # the privacy officer's list of erasures says what went, in words and counts, not in field keys
    erasures = client.get("/privacy-officer/requests").get_data(as_text=True).split("Verwijderingen", 1)[1]
    for removed in ("Contactpersonen: 1", "Persoonlijke datums: 3", "Sollicitaties: 1", "Websiteregistraties: 1",
                    "Vervolgacties niet langer aan de persoon gekoppeld: 1", "Auditregels vergeten: "):
        assert removed in erasures, removed
    for key in ("personal_dates", "follow_up_contact_links", "office_fields", "mentions", "redacted"):
        assert key not in erasures, key
    for conditional in ({"If-None-Match": before.headers["ETag"]},
                        {"If-Modified-Since": before.headers["Last-Modified"]}):
        after = feed_client.get(f"/feeds/{token}.ics", headers=conditional)
        assert after.status_code == 200, conditional  # the client gets the new body, not a 304
        assert after.headers["ETag"] != before.headers["ETag"]
        assert after.headers["Last-Modified"] != before.headers["Last-Modified"]
        body = after.get_data(as_text=True)
        assert person.last_name not in body and "BEGIN:VCALENDAR" in body
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return
    instance = Path(app.instance_path)
    leftovers = []
    for path in _files(instance):
        content = path.read_bytes().lower()
        leftovers += [(path.name, text) for text in unique if text.lower().encode() in content]
    assert not leftovers, leftovers
    assert any(p.name.endswith(".sqlite3") for p in _files(instance))


def test_adding_an_erased_person_again_warns(app, login_as, seeded):
    person, _unique = seeded
    client = login_as("privacy_officer")
    client.post("/privacy-officer/subjects/erase", data=_person_form(person, confirm="y"))
    staff = login_as("staff")
    with app.app_context():
        from praclox.offices.models import Office

        office_id = db.session.scalar(select(Office.id))
    response = staff.post(f"/offices/{office_id}/contacts/new", data={
        "first_name": "Q", "last_name": "Again", "email": person.email.upper()}, follow_redirects=True)
    assert "op eigen verzoek zijn verwijderd" in response.get_data(as_text=True)
    other = staff.post(f"/offices/{office_id}/contacts/new", data={
        "first_name": "Someone", "last_name": "Else", "email": "someone.else@voorbeeld.nl"}, follow_redirects=True)
    assert "op eigen verzoek zijn verwijderd" not in other.get_data(as_text=True)


def test_an_import_of_an_erased_address_is_counted_as_a_warning(app, login_as, seeded):
    from flask import g

    from praclox.offices import importer

    person, _unique = seeded
    login_as("privacy_officer").post("/privacy-officer/subjects/erase", data=_person_form(person, confirm="y"))
    rows = f"office,first_name,last_name,email\nNieuw BV,Q,Z,{person.email}\n".encode()
    with app.app_context():
        importer.import_offices(rows, actor=None)
        db.session.commit()
        assert g.privacy_suppressed == 1


def test_a_privacy_officer_cannot_erase_their_own_account(app, login_as):
    client = login_as("privacy_officer")
    email = client.user.email
    response = client.post("/privacy-officer/subjects/erase",
                           data={"name": "", "email": email, "phone": "", "person": email, "confirm": "y"})
    assert response.status_code == 422 and "eigen account niet verwijderen" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Tombstone).count() == 0


def test_a_stale_or_forged_person_key_changes_nothing(app, login_as, seeded):
    person, _unique = seeded
    client = login_as("privacy_officer")
    response = client.post("/privacy-officer/subjects/erase",
                           data={**_person_form(person, confirm="y"), "person": "<script>x</script>"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.query(Tombstone).count() == 0


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "x" * 201}, "Maximaal 200 tekens"),
    ({"name": "Jan\x00"}, "niet zijn toegestaan"),
    ({"email": "not-an-address"}, "geldig e-mailadres"),
    ({"phone": "<script>"}, "geldig telefoonnummer"),
    ({"phone": "1" * 31}, "Maximaal 30 tekens"),
])
def test_bad_search_input_gets_a_clear_error(app, login_as, data, message):
    response = _search(login_as("privacy_officer"), **data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_html_in_a_search_is_shown_as_text_and_finds_nothing(app, login_as, seeded):
    response = _search(login_as("privacy_officer"), name="<script>alert(1)</script>")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<script>alert(1)" not in page and "Niemand gevonden." in page


def test_follow_up_pages_without_a_person_change_nothing(app, login_as, seeded):
    client = login_as("privacy_officer")
    for url in ("/privacy-officer/subjects/access", "/privacy-officer/subjects/access.json",
                "/privacy-officer/subjects/erase"):
        assert client.post(url, data={"name": "", "email": "", "phone": ""}).status_code == 422
    with app.app_context():
        assert db.session.query(Tombstone).count() == 0


def test_a_mention_in_another_offices_history_is_found_by_name_and_scrubbed_with_the_person(app, login_as, seeded):
    from praclox.offices import services
    from praclox.offices.models import Interaction

    person, _unique = seeded
    with app.test_request_context():
        other = services.create_office({"name": "Ander Kantoor"}, actor=None)
        services.log_interaction(other, kind="meeting", occurred_on=date(2026, 1, 7), contact=None, actor=None,
                                 summary=f"Met {person.full_name.upper()} at a conference")
        db.session.commit()
    client = login_as("privacy_officer")
    page = _search(client, name=person.full_name).get_data(as_text=True)
    assert "Genoemd in: Historie van Ander Kantoor" in page
    assert page.count('name="person" value="') == 3 * 1  # one person, grouped under the contact's e-mail
    form = {"name": person.full_name, "email": "", "phone": "", "person": person.email.lower(), "confirm": "y"}
    assert client.post("/privacy-officer/subjects/erase", data=form).status_code == 302
    with app.app_context():
        summaries = {i.summary for i in db.session.scalars(select(Interaction))}
    assert "Met [verwijderd] at a conference" in summaries
    assert not any(person.last_name.lower() in s.lower() for s in summaries)


def test_from_a_request_the_search_is_prefilled_and_the_erasure_closes_that_request(app, login_as, seeded):
    person, _unique = seeded
    client = login_as("privacy_officer")
    with app.app_context():
        request_id = db.session.scalar(select(PrivacyRequest.id))
    detail = client.get(f"/privacy-officer/requests/{request_id}").get_data(as_text=True)
    assert f'name="email" value="{person.email}"' in detail and f'name="for_request" value="{request_id}"' in detail
    found = client.post("/privacy-officer/subjects", data={"name": person.full_name, "email": person.email,
                                                           "phone": "", "for_request": str(request_id)})
    assert f'name="for_request" value="{request_id}"' in found.get_data(as_text=True)
    form = {"name": person.full_name, "email": person.email, "phone": "", "for_request": str(request_id),
            "person": person.email.lower()}
    confirm = client.post("/privacy-officer/subjects/erase", data=form).get_data(as_text=True)
    assert f'<option selected value="{request_id}">' in confirm
    client.post("/privacy-officer/subjects/erase", data={**form, "confirm": "y", "request_id": str(request_id)})
    page = client.get("/privacy-officer/requests").get_data(as_text=True)
    assert f'href="/privacy-officer/requests/{request_id}">#{request_id}</a>' in page  # the erasure record
    with app.app_context():
        assert db.session.get(PrivacyRequest, request_id).status == "completed"


def test_changing_an_address_to_an_erased_one_warns_too(app, login_as, seeded, make_office):
    person, _unique = seeded
    login_as("privacy_officer").post("/privacy-officer/subjects/erase", data=_person_form(person, confirm="y"))
    office_id = make_office("Derde BV", contacts=({"first_name": "Dirk", "last_name": "Derde"},))
    with app.app_context():
        from praclox.offices.models import Contact

        contact_id = db.session.scalar(select(Contact.id).where(Contact.last_name == "Derde"))
    response = login_as("staff").post(f"/offices/{office_id}/contacts/{contact_id}/edit", data={
        "first_name": "Dirk", "last_name": "Derde", "email": person.email}, follow_redirects=True)
    assert "op eigen verzoek zijn verwijderd" in response.get_data(as_text=True)


def test_wildcards_in_a_name_search_are_taken_literally(app, login_as, seeded, make_user):
    make_user("staff", name="Someone Unrelated")
    page = _search(login_as("privacy_officer"), name="%").get_data(as_text=True)
    assert "Niemand gevonden." in page


def test_an_office_whose_own_address_is_the_persons_is_exported_whole_and_only_that_address_is_cleared(
        app, login_as, make_office):
    office_id = make_office("Eenmanszaak Petra", email="petra@eenmanszaak.nl", phone="030-1234567",
                            notes="Petra works alone")
    client = login_as("privacy_officer")
    form = {"name": "", "email": "petra@eenmanszaak.nl", "phone": "", "person": "petra@eenmanszaak.nl"}
    export = json.loads(client.post("/privacy-officer/subjects/access.json", data=form).get_data(as_text=True))
    row = export["data"]["offices"]["offices"][0]
    assert row["notes"] == "Petra works alone" and row["visit_city"] == "Utrecht"
    client.post("/privacy-officer/subjects/erase", data={**form, "confirm": "y"})
    with app.app_context():
        from praclox.offices.models import Office

        office = db.session.get(Office, office_id)
        assert (office.email, office.phone, office.name) == (None, "030-1234567", "Eenmanszaak Petra")


def _registration_id(app: Flask, email: str) -> int:
    from praclox.registrations.models import Registration

    with app.app_context():
        return db.session.scalar(select(Registration.id).where(Registration.email == email.lower()))


def test_an_erased_address_registering_again_through_the_api_gets_the_same_answer_and_warns_staff(
        app, login_as, seeded, api_key):
    person, _unique = seeded
    login_as("privacy_officer").post("/privacy-officer/subjects/erase", data=_person_form(person, confirm="y"))
    key = api_key
    website = app.test_client()
    answers = []
    for email in (person.email.upper(), "never.erased@voorbeeld.nl"):
        response = website.post("/api/registrations", json={"name": "Q", "email": email},
                                headers={"Authorization": f"Bearer {key}"})
        headers = {k: v for k, v in response.headers.items() if k not in ("Date", "Content-Length")}
        answers.append((response.status_code, response.get_data(), headers))
    assert answers[0] == answers[1]  # nothing tells the caller that this address was erased
    assert "Set-Cookie" not in answers[0][2]
    staff = login_as("staff")
    page = staff.get(f"/registrations/{_registration_id(app, person.email)}").get_data(as_text=True)
    assert "op eigen verzoek zijn verwijderd" in page
    other = staff.get(f"/registrations/{_registration_id(app, 'never.erased@voorbeeld.nl')}").get_data(as_text=True)
    assert "op eigen verzoek zijn verwijderd" not in other


def test_an_erased_address_registered_by_hand_shows_the_warning_on_the_registration(app, login_as, seeded):
    person, _unique = seeded
    login_as("privacy_officer").post("/privacy-officer/subjects/erase", data=_person_form(person, confirm="y"))
    staff = login_as("staff")
    response = staff.post("/registrations/new", data={"name": "Q Again", "email": person.email, "status": "pending"},
                          follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count("op eigen verzoek zijn verwijderd") == 1
