"""Staff keep wishes per office; the office page shows them; one list filters across offices."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from praclox.extensions import db
from praclox.offices import services as offices
from praclox.offices.models import Contact
from praclox.wishes.models import Wish


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Wish))


def data(**overrides):
    base = {"title": "Export naar Exact", "description": "Graag een koppeling.", "status": "new",
            "priority": "normal", "requested_on": "2026-03-01", "target_date": "", "requested_by_id": ""}
    base.update(overrides)
    return base


@pytest.fixture
def make_wish(app):
    def factory(office_id: int, title: str = "Wens", status: str = "new", **fields) -> int:
        with app.app_context():
            wish = Wish(office_id=office_id, title=title, status=status, requested_on=date(2026, 3, 1), **fields)
            db.session.add(wish)
            db.session.commit()
            return wish.id

    return factory


def test_staff_add_a_wish_and_the_office_page_shows_it(app, staff_client, make_office):
    office_id = make_office(contacts=({"first_name": "Ann", "last_name": "Aa"},))
    assert staff_client.get(f"/wishes/office/{office_id}/new").status_code == 200
    response = staff_client.post(f"/wishes/office/{office_id}/new", data=data(
        requested_by_id="1", target_date="2026-06-01", priority="high"))
    assert response.status_code == 302
    with app.app_context():
        wish = db.session.scalar(select(Wish))
        assert (wish.office_id, wish.requested_by_id, wish.priority) == (office_id, 1, "high")
        assert wish.target_date == date(2026, 6, 1)
    page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert "Export naar Exact" in page and "Hoog" in page and "Ann Aa" in page


def test_staff_edit_and_delete_a_wish(app, staff_client, make_office, make_wish):
    office_id = make_office()
    wish_id = make_wish(office_id)
    assert staff_client.get(f"/wishes/{wish_id}/edit").status_code == 200
    assert staff_client.post(f"/wishes/{wish_id}/edit", data=data(status="planned")).status_code == 302
    with app.app_context():
        assert db.session.get(Wish, wish_id).status == "planned"
    assert staff_client.post(f"/wishes/{wish_id}/delete").status_code == 302
    assert count(app) == 0
    assert staff_client.get(f"/wishes/{wish_id}/edit").status_code == 404


@pytest.mark.parametrize("overrides", [
    {"title": ""},
    {"title": "x" * 201},
    {"title": "Wens\x00"},
    {"description": "x" * 5001},
    {"status": "forgotten"},
    {"priority": "urgent"},
    {"requested_on": "gisteren"},
    {"requested_on": "2099-04-01"},  # in the future
    {"target_date": "2026-02-01"},  # before the request
    {"requested_by_id": "abc"},
    {"requested_by_id": "999"},
])
def test_bad_input_gives_a_clear_error_and_stores_nothing(app, staff_client, make_office, overrides):
    office_id = make_office()
    response = staff_client.post(f"/wishes/office/{office_id}/new", data=data(**overrides))
    assert response.status_code == 422
    assert b"invalid-feedback" in response.data
    assert count(app) == 0


def test_a_contact_of_another_office_cannot_be_the_requester(app, staff_client, make_office):
    make_office("A", contacts=({"first_name": "Ann", "last_name": "A"},))
    office_b = make_office("B")
    response = staff_client.post(f"/wishes/office/{office_b}/new", data=data(requested_by_id="1"))
    assert response.status_code == 422 and count(app) == 0


def test_html_in_a_wish_is_shown_as_text(app, staff_client, make_office, make_wish):
    office_id = make_office()
    make_wish(office_id, title="<script>alert(1)</script>")
    page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_the_list_across_offices_filters_by_status(app, staff_client, make_office, make_wish):
    a, b = make_office("Alfa"), make_office("Beta")
    make_wish(a, "Open bij Alfa", "planned")
    make_wish(b, "Open bij Beta", "in_progress")
    make_wish(b, "Klaar bij Beta", "done")
    default = staff_client.get("/wishes/").get_data(as_text=True)
    assert "Open bij Alfa" in default and "Open bij Beta" in default and "Klaar bij Beta" not in default
    done = staff_client.get("/wishes/?status=done").get_data(as_text=True)
    assert "Klaar bij Beta" in done and "Open bij" not in done
    every = staff_client.get("/wishes/?status=all").get_data(as_text=True)
    assert all(t in every for t in ("Open bij Alfa", "Open bij Beta", "Klaar bij Beta"))
    assert staff_client.get("/wishes/?status=<x>").status_code == 200


def test_deleting_the_requesting_contact_keeps_the_wish(app, make_office, make_wish):
    office_id = make_office(contacts=({"first_name": "Ann", "last_name": "A"},))
    wish_id = make_wish(office_id, requested_by_id=1)
    with app.test_request_context():
        offices.delete_contact(db.session.get(Contact, 1), actor=None)
        db.session.commit()
        assert db.session.get(Wish, wish_id).requested_by_id is None


def test_deleting_the_office_deletes_its_wishes(app, make_office, make_wish):
    office_id = make_office()
    make_wish(office_id)
    with app.test_request_context():
        from praclox.offices.models import Office

        offices.delete_office(db.session.get(Office, office_id), actor=None)
        db.session.commit()
    assert count(app) == 0


def test_recruiters_do_not_see_the_wishes_section(app, login_as, make_office, make_wish):
    office_id = make_office()
    make_wish(office_id)
    assert login_as("recruiter").get("/wishes/").status_code == 403


def test_privacy_finds_exports_and_unlinks_the_requesting_contact(app, make_office, make_wish):
    from praclox.privacy.registry import SubjectQuery, domains

    office_id = make_office(contacts=({"first_name": "Ann", "last_name": "Aa", "email": "ann@aa.nl"},
                                      {"first_name": "Bob", "last_name": "Bb"}))
    asked = make_wish(office_id, "Van Ann", requested_by_id=1)
    make_wish(office_id, "Van Bob", requested_by_id=2)
    with app.app_context():
        module = domains()["wishes"]
        hits = module.find(SubjectQuery(email="ANN@aa.nl"))
        assert [h.record_id for h in hits] == [asked]
        assert [h.record_id for h in module.find(SubjectQuery(name="ann aa"))] == [asked]
        assert module.export(hits)["wishes"][0]["title"] == "Van Ann"
        assert module.erase(hits, actor=None) == {"wish_requester_links": 1}
        db.session.commit()
        assert db.session.get(Wish, asked).requested_by_id is None and count(app) == 2
