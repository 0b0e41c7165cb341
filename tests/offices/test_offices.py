"""Offices, contacts and their history as a consultant uses them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from praclox.extensions import db
from praclox.offices.models import Contact, Interaction, Office


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def offices(make_office):
    return {
        "jansen": make_office("Jansen Accountants", visit_city="Utrecht",
                              contacts=({"first_name": "Petra", "last_name": "Bakker", "email": "petra@jansen.nl"},)),
        "visser": make_office("Visser Bouw", visit_city="Zwolle",
                              contacts=({"first_name": "Gijs", "last_name": "Mulder"},)),
        "kok": make_office("Kok & Zn", visit_city="Groningen", email="info@kok.nl"),
    }


@pytest.mark.parametrize("query, expected", [
    ("jansen", {"Jansen Accountants"}),
    ("zwol", {"Visser Bouw"}),
    ("bakker", {"Jansen Accountants"}),
    ("gijs mulder", {"Visser Bouw"}),
    ("PETRA@JANSEN", {"Jansen Accountants"}),
    ("info@kok", {"Kok & Zn"}),
    ("%", set()),
    ("_", set()),
])
def test_search_finds_offices_by_name_city_contact_and_email(staff_client, offices, query, expected):
    page = staff_client.get("/offices/", query_string={"q": query}).get_data(as_text=True)
    found = {name for name in ("Jansen Accountants", "Visser Bouw", "Kok &amp; Zn") if name in page}
    assert {n.replace("&amp;", "&") for n in found} == expected


def test_list_sorts_and_paginates(app, staff_client, make_office):
    app.config["PAGE_SIZE"] = 2
    for name in ("Cees", "Anna", "Bert"):
        make_office(f"{name} BV")
    first = staff_client.get("/offices/?sort=name").get_data(as_text=True)
    assert first.index("Anna BV") < first.index("Bert BV") and "Cees BV" not in first
    second = staff_client.get("/offices/?sort=name&page=2").get_data(as_text=True)
    assert "Cees BV" in second
    assert staff_client.get("/offices/?page=999").status_code == 200


def test_create_office_then_edit_and_see_it(app, staff_client):
    response = staff_client.post("/offices/new", data={"kind": "prospect", "name": "De Groot Advies",
                                                       "visit_postcode": "3511 AB", "kvk_number": "12345678",
                                                       "email": "info@degroot.nl", "phone": "030-1234567"})
    assert response.status_code == 302
    office_id = int(response.headers["Location"].rsplit("/", 1)[1])
    staff_client.post(f"/offices/{office_id}/edit", data={"kind": "prospect", "name": "De Groot Advies BV"})
    assert "De Groot Advies BV" in staff_client.get(f"/offices/{office_id}").get_data(as_text=True)


def test_log_a_call_shows_newest_first_and_last_contact_on_top(app, staff_client, offices):
    office_id = offices["jansen"]
    with app.app_context():
        contact_id = db.session.scalar(select(Contact.id).where(Contact.office_id == office_id))
    older, newer = date.today() - timedelta(days=30), date.today() - timedelta(days=2)
    for day, text in ((older, "Oud gesprek"), (newer, "Nieuw gesprek")):
        response = staff_client.post(f"/offices/{office_id}/interactions", data={
            "kind": "call", "occurred_on": day.isoformat(), "contact_id": contact_id, "summary": text})
        assert response.status_code == 302
    page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert page.index("Nieuw gesprek") < page.index("Oud gesprek")
    top = page.index("Laatste contact:")
    assert page.index(str(newer.day), top) < page.index("Nieuw gesprek")
    contact_page = staff_client.get(f"/offices/{office_id}/contacts/{contact_id}").get_data(as_text=True)
    assert "Nieuw gesprek" in contact_page


def test_interaction_summary_is_encrypted_at_rest(app, staff_client, offices):
    staff_client.post(f"/offices/{offices['kok']}/interactions", data={
        "kind": "visit", "occurred_on": date.today().isoformat(), "summary": "Vertrouwelijk-7f3a"})
    with app.app_context():
        raw = db.session.execute(db.text("SELECT summary FROM interactions")).scalar()
    assert "Vertrouwelijk" not in raw and raw.startswith("gAAAA")


def test_interaction_with_another_offices_contact_or_future_date_is_refused(app, staff_client, offices):
    with app.app_context():
        foreign = db.session.scalar(select(Contact.id).where(Contact.office_id == offices["visser"]))
    response = staff_client.post(f"/offices/{offices['jansen']}/interactions", data={
        "kind": "call", "occurred_on": date.today().isoformat(), "contact_id": foreign, "summary": "x"})
    assert response.status_code == 422
    future = staff_client.post(f"/offices/{offices['jansen']}/interactions", data={
        "kind": "call", "occurred_on": (date.today() + timedelta(days=5)).isoformat(), "summary": "x"})
    assert future.status_code == 422
    assert _count(app, Interaction) == 0


def test_converting_a_prospect_keeps_all_history(app, staff_client, offices):
    office_id = offices["visser"]
    staff_client.post(f"/offices/{office_id}/interactions", data={
        "kind": "meeting", "occurred_on": date.today().isoformat(), "summary": "Offerte besproken"})
    staff_client.post(f"/offices/{office_id}/convert")
    with app.app_context():
        office = db.session.get(Office, office_id)
        assert office.kind == "client" and office.became_client_at is not None
        assert len(office.interactions) == 1 and len(office.contacts) == 1


def test_marking_a_contact_as_left_flags_it_for_review(app, staff_client, offices):
    with app.app_context():
        contact_id = db.session.scalar(select(Contact.id).where(Contact.office_id == offices["jansen"]))
    response = staff_client.post(f"/offices/{offices['jansen']}/contacts/{contact_id}/left",
                                 data={"left_on": date.today().isoformat()})
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert not contact.active and contact.left_on == date.today() and contact.needs_review
    assert "Petra Bakker" in staff_client.get("/").get_data(as_text=True)  # in "for review"


def test_delete_office_asks_first_then_removes_contacts_and_history(app, staff_client, offices):
    office_id = offices["jansen"]
    page = staff_client.get(f"/offices/{office_id}/delete")
    assert page.status_code == 200 and "Definitief verwijderen" in page.get_data(as_text=True)
    assert _count(app, Office) == 3
    assert staff_client.post(f"/offices/{office_id}/delete").status_code == 302
    assert _count(app, Office) == 2 and _count(app, Contact) == 1


def test_unknown_ids_give_404_not_500(staff_client, offices):
    for url in ("/offices/424242", f"/offices/{offices['jansen']}/contacts/424242",
                f"/offices/{offices['visser']}/contacts/1"):
        assert staff_client.get(url).status_code == 404, url
    assert staff_client.post(f"/offices/{offices['jansen']}/interactions/999/delete").status_code == 404


HOSTILE = ["x" * 5000, "<script>alert('x')</script>", "Jan\x00sen", ["a", "b"], "\u202eevil", "' OR 1=1 --"]


@pytest.mark.parametrize("value", HOSTILE, ids=["overlong", "script", "nul", "list", "bidi", "sql"])
def test_hostile_input_to_every_office_form_is_handled(app, staff_client, offices, value):
    office_id = offices["jansen"]
    before = (_count(app, Office), _count(app, Contact), _count(app, Interaction))
    forms = [
        ("/offices/new", {"kind": "client", "name": value, "email": value, "kvk_number": value}),
        (f"/offices/{office_id}/edit", {"kind": value, "name": value, "phone": value}),
        (f"/offices/{office_id}/contacts/new", {"first_name": value, "last_name": value, "email": value}),
        (f"/offices/{office_id}/interactions", {"kind": value, "occurred_on": value, "summary": value,
                                                "contact_id": value}),
        (f"/offices/{office_id}/contacts/1/left", {"left_on": value}),
    ]
    for url, data in forms:
        response = staff_client.post(url, data=data)
        assert response.status_code < 500, url
        body = response.get_data(as_text=True)
        assert "<script>alert" not in body
    after = (_count(app, Office), _count(app, Contact), _count(app, Interaction))
    if value in ("<script>alert('x')</script>", "' OR 1=1 --", "\u202eevil"):
        return  # plain text is a valid name; it is stored as text and escaped on output
    assert after == before


def test_script_in_a_name_is_escaped_on_output(staff_client, make_office):
    office_id = make_office("<script>alert(1)</script>")
    page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_search_results_say_which_contact_matched(login_as, make_office):
    office_id = make_office("Bakkerij De Korst", contacts=(
        {"first_name": "Truus", "last_name": "Zoekers", "email": "truus@korst.nl"},
        {"first_name": "Piet", "last_name": "Anders", "email": "piet@korst.nl"}))
    staff = login_as("staff")
    page = staff.get("/offices/?q=zoekers").get_data(as_text=True)
    assert "Gevonden via:" in page and "Truus Zoekers</a>" in page and "Piet Anders" not in page
    by_mail = staff.get("/offices/?q=truus@korst").get_data(as_text=True)
    assert "Truus Zoekers</a> (truus@korst.nl)" in by_mail
    by_name = staff.get("/offices/?q=bakkerij").get_data(as_text=True)
    assert f"/offices/{office_id}" in by_name and "Gevonden via:" not in by_name
