"""Staff pages for registrations and the admin's API keys: they work, and bad input stores nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from praclox.extensions import db
from praclox.registrations.models import ApiKey, Registration
from praclox.registrations.services import hash_key


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Registration))


def form(**overrides):
    data = {"name": "Bert Bakker", "email": "bert@example.nl", "office_id": "", "contact_id": "",
            "status": "pending"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_pages_render(app, staff_client, make_registration, make_office):
    office_id = make_office()
    registration_id = make_registration(office_id=office_id, client_access=True, newsletter=True)
    for url in ("/registrations/", "/registrations/new", f"/registrations/{registration_id}",
                "/registrations/?status=active&q=reg", "/registrations/?status=bogus"):
        response = staff_client.get(url)
        assert response.status_code == 200, url
    assert staff_client.get("/registrations/999").status_code == 404


def test_staff_add_a_registration_linked_to_an_office_and_contact(app, staff_client, make_office):
    office_id = make_office(contacts=({"first_name": "Cor", "last_name": "Dijk"},))
    response = staff_client.post("/registrations/new", data=form(
        email="Cor@Dijk.NL", office_id=str(office_id), contact_id="1", client_access="y"))
    assert response.status_code == 302
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        assert (registration.email, registration.office_id, registration.contact_id) == ("cor@dijk.nl", office_id, 1)
        assert registration.client_access and registration.source == "staff" and not registration.newsletter


def test_staff_edit_status_and_access(app, staff_client, make_registration, make_office):
    office_id = make_office()
    registration_id = make_registration(email="x@x.nl", office_id=office_id, client_access=True)
    response = staff_client.post(f"/registrations/{registration_id}", data=form(
        name="X", email="x@x.nl", office_id=str(office_id), status="closed"))
    assert response.status_code == 302
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration.status == "closed" and not registration.client_access
        assert registration.client_session_version == 2


@pytest.mark.parametrize("overrides", [
    {"name": "x" * 121},
    {"name": "<script>alert(1)</script>"},
    {"name": "Bert\x00"},
    {"name": ""},
    {"email": "not-an-address"},
    {"email": "a" * 250 + "@x.nl"},
    {"email": "a@x.nl\x00"},
    {"office_id": "abc"},
    {"office_id": "999"},
    {"contact_id": "999"},
    {"status": "deleted"},
    {"client_access": "y"},  # client access needs an office
])
def test_bad_input_gives_a_clear_error_and_stores_nothing(app, staff_client, overrides):
    response = staff_client.post("/registrations/new", data=form(**overrides))
    assert response.status_code == 422, response.status_code
    assert b"invalid-feedback" in response.data or b"alert" in response.data
    assert count(app) == 0


def test_a_contact_of_another_office_is_refused(app, staff_client, make_office):
    make_office("A", contacts=({"first_name": "Ann", "last_name": "A"},))
    office_b = make_office("B")
    response = staff_client.post("/registrations/new", data=form(office_id=str(office_b), contact_id="1"))
    assert response.status_code == 422 and count(app) == 0


def test_a_second_registration_with_the_same_address_in_other_case_is_refused(app, staff_client, make_registration):
    make_registration(email="bert@example.nl")
    response = staff_client.post("/registrations/new", data=form(email="BERT@example.nl"))
    assert response.status_code == 422 and count(app) == 1


def test_the_admin_creates_a_key_shown_once_and_revokes_it(app, admin_client):
    assert admin_client.get("/registrations/api-keys").status_code == 200
    response = admin_client.post("/registrations/api-keys", data={"name": "Website"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    with app.app_context():
        key = db.session.scalar(select(ApiKey))
    plain = next(word for word in page.replace("<", " ").replace(">", " ").split() if word.startswith("prx_"))
    assert hash_key(plain) == key.key_hash
    assert plain not in admin_client.get("/registrations/api-keys").get_data(as_text=True)
    assert admin_client.post(f"/registrations/api-keys/{key.id}/revoke").status_code == 302
    with app.app_context():
        assert db.session.get(ApiKey, key.id).revoked_at is not None


@pytest.mark.parametrize("name", ["", "x" * 101, "<b>web</b>", "web\x00"])
def test_a_bad_key_name_is_refused(app, admin_client, name):
    assert admin_client.post("/registrations/api-keys", data={"name": name}).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ApiKey)) == 0


def test_closing_an_account_takes_it_off_the_list(app, staff_client, make_registration):
    from datetime import UTC, datetime

    registration_id = make_registration(newsletter=True, newsletter_confirmed_at=datetime.now(UTC))
    assert staff_client.post(f"/registrations/{registration_id}/close").status_code == 302
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration.status == "closed" and not registration.on_list


def test_the_office_page_lists_its_registrants(app, staff_client, make_office, make_registration):
    office_id = make_office()
    make_registration(name="Rita Klant", office_id=office_id, client_access=True)
    make_registration(name="Iemand Anders")
    page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert "Rita Klant" in page and "klantomgeving" in page and "Iemand Anders" not in page
