"""Follow-ups: made from an office page, on the owner's dashboard until done, listed mine-first."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from praclox.audit.models import AuditEntry
from praclox.clock import today
from praclox.extensions import db
from praclox.followups.models import FollowUp


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(FollowUp))


def data(owner, **overrides):
    base = {"title": "Jaarrekening nabellen", "description": "Vroeg naar de deadline.",
            "due_on": "2026-03-01", "owner_id": str(owner), "contact_id": ""}
    base.update(overrides)
    return base


def audits(app, follow_up_id):
    with app.app_context():
        return [(a.action, a.fields, a.actor_id) for a in db.session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "follow_ups", AuditEntry.record_id == follow_up_id)
            .order_by(AuditEntry.id))]


def test_staff_add_a_follow_up_from_the_office_page_and_it_shows_there(app, staff_client, make_office):
    office_id = make_office(contacts=({"first_name": "Ann", "last_name": "Aa"},))
    office_page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert f"/follow-ups/office/{office_id}/new" in office_page and "Follow-up toevoegen" in office_page
    form = staff_client.get(f"/follow-ups/office/{office_id}/new").get_data(as_text=True)
    assert "Wie doet het" in form
    response = staff_client.post(f"/follow-ups/office/{office_id}/new",
                                 data=data(staff_client.user.id, contact_id="1", due_on="2026-06-01"))
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(select(FollowUp))
        assert (row.office_id, row.owner_id, row.contact_id, row.due_on) == (
            office_id, staff_client.user.id, 1, date(2026, 6, 1))
        assert row.done_at is None
    assert audits(app, row.id) == [("create", "contact_id,description,due_on,owner_id,title", staff_client.user.id)]
    page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert "Jaarrekening nabellen" in page and "Ann Aa" in page


def test_complete_and_reopen_record_who_and_when_and_are_audited(app, staff_client, make_office, make_follow_up):
    follow_up_id = make_follow_up(make_office(), staff_client.user.id)
    response = staff_client.post(f"/follow-ups/{follow_up_id}/complete", data={"next": "/follow-ups/?status=all"})
    assert response.status_code == 302 and response.headers["Location"] == "/follow-ups/?status=all"
    with app.app_context():
        row = db.session.get(FollowUp, follow_up_id)
        assert row.done_by_id == staff_client.user.id and row.done_at is not None
    page = staff_client.get("/follow-ups/?status=done").get_data(as_text=True)
    assert "Nabellen" in page and "Heropenen" in page
    # a second click (another tab) changes nothing and writes no second audit entry
    staff_client.post(f"/follow-ups/{follow_up_id}/complete")
    staff_client.post(f"/follow-ups/{follow_up_id}/reopen", data={"next": "https://evil.example/"})
    with app.app_context():
        row = db.session.get(FollowUp, follow_up_id)
        assert row.done_at is None and row.done_by_id is None
    assert [a[0:2] for a in audits(app, follow_up_id)] == [("update", "done_at,done_by_id")] * 2


def test_a_redirect_after_completing_stays_on_this_site(app, staff_client, make_office, make_follow_up):
    follow_up_id = make_follow_up(make_office(), staff_client.user.id)
    response = staff_client.post(f"/follow-ups/{follow_up_id}/complete", data={"next": "//evil.example/"})
    assert response.headers["Location"] == "/follow-ups/"


def test_the_dashboard_shows_my_overdue_today_and_this_week_with_overdue_in_words(
        app, staff_client, make_user, make_office, make_follow_up):
    office_id = make_office("Kantoor Dashboard")
    me, other = staff_client.user.id, make_user("staff").id
    day = today()
    make_follow_up(office_id, me, "Gisteren beloofd", day - timedelta(days=1))
    make_follow_up(office_id, me, "Vandaag bellen", day)
    make_follow_up(office_id, me, "Over drie dagen", day + timedelta(days=3))
    make_follow_up(office_id, me, "Volgende maand", day + timedelta(days=30))
    make_follow_up(office_id, other, "Van een collega", day)
    done = make_follow_up(office_id, me, "Al gedaan", day - timedelta(days=2))
    staff_client.post(f"/follow-ups/{done}/complete")
    page = staff_client.get("/").get_data(as_text=True)
    overdue = page.split('follow-ups-overdue">', 1)[1].split("</ul>", 1)[0]
    today_part = page.split('follow-ups-today">', 1)[1].split("</ul>", 1)[0]
    week = page.split('follow-ups-week">', 1)[1].split("</ul>", 1)[0]
    assert "Gisteren beloofd" in overdue and "Te laat" in overdue  # in words, not only red
    assert "Vandaag bellen" in today_part and "Over drie dagen" in week
    for absent in ("Volgende maand", "Van een collega", "Al gedaan"):
        assert absent not in page
    assert "Mijn follow-ups" in page


def test_the_list_is_mine_by_default_and_filters_by_owner_and_status(
        app, staff_client, make_user, make_office, make_follow_up):
    office_id = make_office()
    colleague = make_user("staff", name="Collega Cees")
    make_follow_up(office_id, staff_client.user.id, "Mijn taak")
    make_follow_up(office_id, colleague.id, "Taak van Cees")
    closed = make_follow_up(office_id, staff_client.user.id, "Mijn afgeronde taak")
    staff_client.post(f"/follow-ups/{closed}/complete")
    mine = staff_client.get("/follow-ups/").get_data(as_text=True)
    assert "Mijn taak" in mine and "Taak van Cees" not in mine and "Mijn afgeronde taak" not in mine
    theirs = staff_client.get(f"/follow-ups/?owner={colleague.id}").get_data(as_text=True)
    assert "Taak van Cees" in theirs and "Mijn taak" not in theirs
    everyone = staff_client.get("/follow-ups/?owner=all&status=all").get_data(as_text=True)
    assert all(t in everyone for t in ("Mijn taak", "Taak van Cees", "Mijn afgeronde taak"))
    done = staff_client.get("/follow-ups/?status=done").get_data(as_text=True)
    assert "Mijn afgeronde taak" in done and "Mijn taak</a>" not in done
    for odd in ("?owner=<x>", "?status=<x>", "?owner=99999999999999", "?page=abc", "?page=-1",
                "?page=99999999999999999999"):
        assert staff_client.get("/follow-ups/" + odd).status_code == 200, odd


def test_the_list_is_paginated(app, staff_client, make_office, make_follow_up):
    office_id = make_office()
    size = app.config["PAGE_SIZE"]
    for n in range(size + 1):
        make_follow_up(office_id, staff_client.user.id, f"Taak-{n:03d}", today() + timedelta(days=n))
    first = staff_client.get("/follow-ups/").get_data(as_text=True)
    second = staff_client.get("/follow-ups/?page=2").get_data(as_text=True)
    assert "Taak-000" in first and f"Taak-{size:03d}" not in first
    assert f"Taak-{size:03d}" in second and "Taak-000" not in second


@pytest.mark.parametrize("overrides", [
    {"title": ""},
    {"title": "x" * 201},
    {"title": "Bellen\x00"},
    {"title": "twee\nregels"},
    {"description": "x" * 5001},
    {"due_on": ""},
    {"due_on": "morgen"},
    {"due_on": "2026-02-30"},
    {"owner_id": ""},
    {"owner_id": "abc"},
    {"owner_id": "999"},
    {"contact_id": "abc"},
    {"contact_id": "999"},
])
def test_bad_input_gives_a_clear_error_and_stores_nothing(app, staff_client, make_office, overrides):
    office_id = make_office()
    response = staff_client.post(f"/follow-ups/office/{office_id}/new",
                                 data=data(staff_client.user.id, **overrides))
    assert response.status_code == 422
    assert b"invalid-feedback" in response.data
    assert count(app) == 0


def test_a_contact_of_another_office_or_an_inactive_owner_is_refused(app, staff_client, make_user, make_office):
    make_office("A", contacts=({"first_name": "Ann", "last_name": "A"},))
    office_b = make_office("B")
    gone = make_user("staff", active=False)
    assert staff_client.post(f"/follow-ups/office/{office_b}/new",
                             data=data(staff_client.user.id, contact_id="1")).status_code == 422
    assert staff_client.post(f"/follow-ups/office/{office_b}/new", data=data(gone.id)).status_code == 422
    assert count(app) == 0


def test_edit_changes_fields_and_audits_names_not_values(app, staff_client, make_user, make_office, make_follow_up):
    office_id = make_office()
    colleague = make_user("staff")
    follow_up_id = make_follow_up(office_id, staff_client.user.id)
    assert staff_client.get(f"/follow-ups/{follow_up_id}/edit").status_code == 200
    response = staff_client.post(f"/follow-ups/{follow_up_id}/edit",
                                 data=data(colleague.id, title="Nabellen", description="", due_on=today().isoformat()))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(FollowUp, follow_up_id).owner_id == colleague.id
    assert audits(app, follow_up_id)[-1][:2] == ("update", "owner_id")


def test_reassign_service_moves_the_work_to_an_active_user_only(app, make_user, make_office, make_follow_up):
    from praclox.auth.models import User
    from praclox.followups import services

    office_id = make_office()
    first, second, gone = make_user("staff"), make_user("staff"), make_user("staff", active=False)
    follow_up_id = make_follow_up(office_id, first.id)
    with app.test_request_context():
        row = db.session.get(FollowUp, follow_up_id)
        actor = db.session.get(User, first.id)
        with pytest.raises(services.FollowUpError):
            services.reassign(row, db.session.get(User, gone.id), actor=actor)
        assert services.reassign(row, db.session.get(User, second.id), actor=actor) is True
        assert services.reassign(row, db.session.get(User, second.id), actor=actor) is False
        db.session.commit()
    assert audits(app, follow_up_id) == [("update", "owner_id", first.id)]


def test_html_in_a_follow_up_is_shown_as_text(app, staff_client, make_office, make_follow_up):
    office_id = make_office()
    make_follow_up(office_id, staff_client.user.id, "<script>alert(1)</script>")
    for url in (f"/offices/{office_id}", "/follow-ups/", "/"):
        page = staff_client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page and "&lt;script&gt;" in page, url


def test_deleting_the_contact_keeps_the_follow_up(app, staff_client, make_office, make_follow_up):
    from praclox.offices import services as offices
    from praclox.offices.models import Contact

    office_id = make_office(contacts=({"first_name": "Ann", "last_name": "A"},))
    follow_up_id = make_follow_up(office_id, staff_client.user.id, contact_id=1)
    with app.test_request_context():
        offices.delete_contact(db.session.get(Contact, 1), actor=None)
        db.session.commit()
        assert db.session.get(FollowUp, follow_up_id).contact_id is None


def test_privacy_finds_exports_and_unlinks_the_contact(app, staff_client, make_office, make_follow_up):
    from praclox.privacy.registry import SubjectQuery, domains

    office_id = make_office(contacts=({"first_name": "Ann", "last_name": "Aa", "email": "ann@aa.nl"},
                                      {"first_name": "Bob", "last_name": "Bb"}))
    about_ann = make_follow_up(office_id, staff_client.user.id, "Ann terugbellen", contact_id=1)
    make_follow_up(office_id, staff_client.user.id, "Bob mailen", contact_id=2)
    with app.test_request_context():
        module = domains()["followups"]
        hits = module.find(SubjectQuery(email="ANN@aa.nl"))
        assert [h.record_id for h in hits] == [about_ann]
        assert module.export(hits)["follow_ups"][0]["title"] == "Ann terugbellen"
        assert module.erase(hits, actor=None) == {"follow_up_contact_links": 1}
        db.session.commit()
        assert db.session.get(FollowUp, about_ann).contact_id is None and count(app) == 2
