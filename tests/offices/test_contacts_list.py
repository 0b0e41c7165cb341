"""The contacts list across offices: found by name, e-mail, phone written any way and job title; paged, sorted."""

from __future__ import annotations

import re

import pytest


@pytest.fixture
def contacts(make_office):
    make_office("Jansen Accountants", contacts=(
        {"first_name": "Anna", "last_name": "de Vries", "job_title": "Controller", "email": "anna@jansen.nl",
         "phone": "+31 6 1234 5678"},
        {"first_name": "Bram", "last_name": "Bakker", "job_title": "Directeur", "mobile": "020-555 1234"},
    ))
    make_office("Pieters Advies", contacts=(
        {"first_name": "Cor", "last_name": "Claassen", "job_title": "Office manager", "email": "cor@pieters.nl"},
    ))


def names(response) -> list[str]:
    return re.findall(r'/contacts/\d+">([^<]+)</a>', response.get_data(as_text=True))


@pytest.mark.parametrize(("query", "found"), [
    ("vries", ["Anna de Vries"]),
    ("anna de", ["Anna de Vries"]),
    ("PIETERS.NL", ["Cor Claassen"]),
    ("directeur", ["Bram Bakker"]),
    ("06-12345678", ["Anna de Vries"]),
    ("0031 6 1234 5678", ["Anna de Vries"]),
    ("(06) 1234", ["Anna de Vries"]),
    ("5551234", ["Bram Bakker"]),
    ("+31 20 555 12 34", ["Bram Bakker"]),
    ("06-9999 9999", []),
    ("100%", []),
])
def test_staff_find_a_contact_across_offices_by_name_email_phone_or_job_title(staff_client, contacts, query, found):
    response = staff_client.get("/contacts/", query_string={"q": query})
    assert response.status_code == 200
    assert names(response) == found


def test_the_list_names_each_contacts_office_and_sorts_by_name_office_or_job_title(staff_client, contacts):
    page = staff_client.get("/contacts/")
    text = page.get_data(as_text=True)
    assert "Contactpersonen" in text and "Pieters Advies" in text and "3 contactpersonen" in text
    assert names(page) == ["Bram Bakker", "Cor Claassen", "Anna de Vries"]
    assert names(staff_client.get("/contacts/?sort=office")) == ["Bram Bakker", "Anna de Vries", "Cor Claassen"]
    assert names(staff_client.get("/contacts/?sort=job_title")) == ["Anna de Vries", "Bram Bakker", "Cor Claassen"]
    assert names(staff_client.get("/contacts/?sort=nonsense")) == names(page)


def test_the_list_is_paged_and_any_page_number_gives_a_page(app, staff_client, make_office):
    make_office(contacts=tuple({"first_name": f"Piet{n:02d}", "last_name": "Paging"} for n in range(30)))
    first = staff_client.get("/contacts/")
    assert len(names(first)) == app.config["PAGE_SIZE"] and "page=2" in first.get_data(as_text=True)
    assert names(staff_client.get("/contacts/?page=2")) == ["Piet25 Paging", "Piet26 Paging", "Piet27 Paging",
                                                            "Piet28 Paging", "Piet29 Paging"]
    for page in ("0", "-3", "abc", "999999999999"):
        assert staff_client.get("/contacts/", query_string={"page": page}).status_code == 200


def test_a_changed_number_is_found_by_its_new_spelling_only(staff_client, make_office, contacts):
    staff_client.post("/offices/1/contacts/1/edit", data={"first_name": "Anna", "last_name": "de Vries",
                                                         "phone": "010 222 3333"})
    assert names(staff_client.get("/contacts/", query_string={"q": "+31 10 2223333"})) == ["Anna de Vries"]
    assert names(staff_client.get("/contacts/", query_string={"q": "0612345678"})) == []


def test_the_list_filters_by_an_office_tag(app, staff_client, contacts):
    from sqlalchemy import select

    from praclox.extensions import db
    from praclox.offices import services
    from praclox.offices.models import Office

    with app.test_request_context():
        tag = services.create_tag("Zorgsector", "sector", actor=None)
        services.add_tag(select(Office.id).where(Office.name == "Pieters Advies"), tag, actor=None)
        db.session.commit()
        tag_id = tag.id
    page = staff_client.get("/contacts/")
    assert "Zorgsector" in page.get_data(as_text=True)
    assert names(staff_client.get(f"/contacts/?tag={tag_id}")) == ["Cor Claassen"]
    assert names(staff_client.get(f"/contacts/?tag={tag_id}&q=anna")) == []
    assert names(staff_client.get("/contacts/?tag=999999")) == []
    for bad in ("abc", "-1", "0", "99999999999999"):
        assert names(staff_client.get("/contacts/", query_string={"tag": bad})) == names(page), bad
