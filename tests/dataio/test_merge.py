"""Possible duplicates found and listed with their reasons; two offices or contacts merged into one on a
side-by-side screen: everything linked moves, the other goes, one audit entry, refused under a privacy request."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from praclox.audit.models import AuditEntry
from praclox.extensions import db
from praclox.offices.models import Contact, Interaction, Office

PETRA = {"first_name": "Petra", "last_name": "Bakker", "email": "petra@bakker.nl", "mobile": "06-12345678"}
PETRA_AGAIN = {"first_name": "Petra", "last_name": "Bakker", "email": "p.bakker@bakker.nl", "mobile": "+31612345678"}


def _audit_count(app, **where):
    with app.app_context():
        stmt = select(func.count()).select_from(AuditEntry)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEntry, key) == value)
        return db.session.scalar(stmt)


def test_demo_data_twins_are_listed_with_their_reasons(app, runner, staff_client):
    assert runner.invoke(args=["demo-data", "--offices", "40", "--seed", "3"]).exit_code == 0
    with app.app_context():
        names = db.session.scalars(select(Office.name)).all()
    assert names.count("Bakker Makelaardij") == 2 and names.count("Groot Techniek") == 3
    page = staff_client.get("/offices/duplicates").get_data(as_text=True)
    assert page.count(">Bakker Makelaardij</a>") == 2  # one pair
    assert page.count(">Groot Techniek</a>") == 6  # three pairs
    assert "zelfde e-mailadres, zelfde website, bijna dezelfde naam" in page
    assert staff_client.get("/offices/duplicates?what=contacts").status_code == 200


def test_spellings_of_one_phone_number_website_and_kvk_are_the_same_office(app, staff_client, make_office):
    make_office("Jansen & Zn Accountants", phone="030-1234567", website="https://www.jansen.nl/")
    make_office("Accountantskantoor Jansen", phone="+31 (0)30 123 45 67", website="jansen.nl", kvk_number="12345678")
    make_office("Visser Bouw", kvk_number="12345678")
    make_office("Kantoor 2")
    make_office("Kantoor 3")  # another branch number: not a twin
    page = staff_client.get("/offices/duplicates").get_data(as_text=True)
    assert "zelfde telefoonnummer, zelfde website" in page and "zelfde KvK-nummer" in page
    assert "Kantoor 3" not in page
    assert "2 paren gevonden." in page


def test_office_page_warns_about_a_likely_twin(app, staff_client, make_office):
    first = make_office("Groot Techniek B.V.", email="info@groottechniek.nl")
    second = make_office("Groot Techniek")
    page = staff_client.get(f"/offices/{first}").get_data(as_text=True)
    assert "Dit kantoor staat misschien dubbel in de lijst" in page and "bijna dezelfde naam" in page
    assert f"/offices/merge/{first}/{second}" in page
    assert "Dit kantoor staat misschien" not in staff_client.get(f"/offices/{make_office('Uniek BV')}").get_data(
        as_text=True)


def _linked_office(app, name, contact, **fields):
    """An office with a contact who has a contact moment, a follow-up, a wish and a birthday congratulated."""
    from praclox.dates import services as dates
    from praclox.followups import services as followups
    from praclox.offices import services
    from praclox.wishes import services as wishes

    with app.test_request_context():
        office = services.create_office({"name": name, **fields}, actor=None)
        person = services.create_contact(office, contact, actor=None)
        services.log_interaction(office, kind="call", occurred_on=date(2026, 1, 5), summary="Gebeld",
                                 contact=person, actor=None)
        from praclox.auth.models import User

        owner = db.session.scalars(select(User)).first()
        followups.create(office, {"title": "Terugbellen", "due_on": date(2026, 2, 1), "owner_id": owner.id,
                                  "contact_id": person.id}, actor=None)
        wishes.create_wish(office, {"title": "Portaal", "status": "new", "priority": "normal",
                                    "requested_on": date(2026, 1, 6),
                                    "requested_by_id": person.id}, actor=None)
        birthday = dates.create_date(person, {"kind": "birthday", "day": 3, "month": 4, "year": 1980}, actor=None)
        dates.mark_congratulated(birthday, 2025, False, "card", actor=None)
        db.session.commit()
        return office.id, person.id


def test_merging_offices_moves_everything_to_the_kept_one_in_one_audit_entry(app, staff_client):
    from praclox.dates.models import Congratulation, PersonalDate
    from praclox.followups.models import FollowUp
    from praclox.wishes.models import Wish

    kept, _ = _linked_office(app, "Bakker Makelaardij", PETRA, phone="010-1234567", kind="client")
    other, other_contact = _linked_office(app, "Bakker Makelaardij BV", PETRA_AGAIN, phone="010-7654321",
                                          email="info@bakker.nl")
    page = staff_client.get(f"/offices/merge/{kept}/{other}").get_data(as_text=True)
    assert "010-1234567" in page and "010-7654321" in page and "Klant" in page
    before = _audit_count(app)
    response = staff_client.post(f"/offices/merge/{kept}/{other}", data={
        "keep": "first", "field_name": "first", "field_phone": "second", "field_email": "second",
        "field_kind": "first"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/offices/{kept}")
    assert staff_client.get(f"/offices/{other}").status_code == 404
    with app.app_context():
        office = db.session.get(Office, kept)
        assert (office.name, office.phone, office.email, office.kind) == (
            "Bakker Makelaardij", "010-7654321", "info@bakker.nl", "client")
        assert sorted(c.email for c in office.contacts) == ["p.bakker@bakker.nl", "petra@bakker.nl"]
        moments = select(func.count()).select_from(Interaction).where(Interaction.office_id == kept)
        assert db.session.scalar(moments) == 2
        assert {f.office_id for f in db.session.scalars(select(FollowUp))} == {kept}
        assert {w.office_id for w in db.session.scalars(select(Wish))} == {kept}
        assert db.session.get(Contact, other_contact).office_id == kept
        assert db.session.scalar(select(func.count()).select_from(PersonalDate)) == 2
        assert db.session.scalar(select(func.count()).select_from(Congratulation)) == 2
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (entry.action, entry.record_type, entry.record_id, entry.merged_id) == ("merge", "offices", kept, other)
        assert entry.fields == "email,phone" and entry.actor_id == staff_client.user.id
    assert _audit_count(app) == before + 1


def test_merging_two_contacts_of_one_office_keeps_history_dates_and_wishes(app, staff_client):
    from praclox.dates.models import PersonalDate
    from praclox.offices import services
    from praclox.wishes.models import Wish

    office_id, kept = _linked_office(app, "Groot Techniek", PETRA)
    with app.test_request_context():
        other = services.create_contact(db.session.get(Office, office_id), PETRA_AGAIN, actor=None).id
        db.session.commit()
    candidates = staff_client.get("/offices/duplicates?what=contacts").get_data(as_text=True)
    assert f"/offices/contacts/merge/{kept}/{other}" in candidates
    assert "zelfde telefoonnummer, bijna dezelfde naam" in candidates
    response = staff_client.post(f"/offices/contacts/merge/{other}/{kept}", data={
        "keep": "first", "field_email": "second", "field_mobile": "first"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Contact, kept) is None
        person = db.session.get(Contact, other)
        assert person.email == "petra@bakker.nl" and person.mobile == "+31612345678"
        assert {i.contact_id for i in db.session.scalars(select(Interaction))} == {other}
        assert {d.contact_id for d in db.session.scalars(select(PersonalDate))} == {other}
        assert {w.requested_by_id for w in db.session.scalars(select(Wish))} == {other}
    assert _audit_count(app, action="merge", record_type="contacts", record_id=other, merged_id=kept) == 1


def test_merge_is_refused_while_a_privacy_request_is_open_about_either_record(app, staff_client, make_office):
    from praclox.privacy import requests

    first = make_office("Jansen Accountants", contacts=(PETRA,))
    second = make_office("Jansen Accountants BV")
    with app.test_request_context():
        requests.create_request(requester_name=None, requester_contact="+31 6 1234 5678", kind="access",
                                received_on=date(2026, 1, 2), actor=None)
        db.session.commit()
    assert "Er loopt een privacyverzoek" in staff_client.get(f"/offices/merge/{first}/{second}").get_data(as_text=True)
    before = _audit_count(app)
    response = staff_client.post(f"/offices/merge/{second}/{first}", data={"keep": "first", "field_name": "first"},
                                 follow_redirects=True)
    assert "Niet samengevoegd" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Office, first) is not None and db.session.get(Office, second) is not None
    assert _audit_count(app) == before


def test_bad_merge_input_changes_nothing(app, staff_client, make_office):
    first, second = make_office("A BV", phone="010-1111111"), make_office("A B.V.", phone="010-2222222")
    assert staff_client.get(f"/offices/merge/{first}/{first}").status_code == 404
    assert staff_client.get(f"/offices/merge/{first}/999999").status_code == 404
    for data in ({}, {"keep": "third", "field_phone": "first"}, {"keep": "first", "field_phone": "other"},
                 {"keep": "first"}):
        response = staff_client.post(f"/offices/merge/{first}/{second}", data=data)
        assert response.status_code == 422, data
        assert "Kies voor elk veld een waarde." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Office)) == 2


def test_contacts_at_different_offices_are_not_merged(app, staff_client, make_office):
    make_office("A", contacts=(PETRA,))
    make_office("B", contacts=(PETRA_AGAIN,))
    response = staff_client.post("/offices/contacts/merge/1/2", data={"keep": "first", "field_email": "first",
                                                                        "field_mobile": "first"},
                                 follow_redirects=True)
    assert "verschillende kantoren" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Contact)) == 2


def test_creating_an_office_or_contact_like_an_existing_one_asks_first(app, staff_client, make_office):
    office = make_office("Bakker Makelaardij", email="info@bakker.nl", contacts=(PETRA,))
    form = {"kind": "prospect", "name": "Bakker Makelaardij B.V.", "email": "INFO@bakker.nl"}
    page = staff_client.post("/offices/new", data=form)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Nog niet opgeslagen: dit lijkt op iets wat je al hebt." in text
    assert "zelfde e-mailadres, bijna dezelfde naam" in text and 'name="create_anyway"' in text
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Office)) == 1
    assert staff_client.post("/offices/new", data={**form, "create_anyway": "y"}).status_code == 302
    contact = {"first_name": "petra", "last_name": "Bakker", "mobile": "+31 6 1234 5678"}
    page = staff_client.post(f"/offices/{office}/contacts/new", data=contact).get_data(as_text=True)
    assert "zelfde telefoonnummer, bijna dezelfde naam" in page
    anyway = staff_client.post(f"/offices/{office}/contacts/new", data={**contact, "create_anyway": "y"})
    assert anyway.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Office)) == 2
        assert db.session.scalar(select(func.count()).select_from(Contact)) == 2
