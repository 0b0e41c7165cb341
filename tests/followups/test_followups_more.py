"""Follow-ups from a contact page and from the contact-moment form, the list's filters, and the admin's
hand-over of a deactivated user's open follow-ups."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from praclox.clock import today
from praclox.extensions import db
from praclox.followups.models import FollowUp
from praclox.offices.models import Interaction
from tests.followups.test_followups import audits, count, data


def log_data(**overrides):
    base = {"kind": "call", "occurred_on": today().isoformat(), "contact_id": "1",
            "summary": "Belde over de jaarrekening.", "follow_up": "y",
            "follow_up_on": (today() + timedelta(days=7)).isoformat(), "follow_up_title": ""}
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def test_a_follow_up_made_from_the_contact_page_is_about_that_contact_and_returns_there(
        app, staff_client, make_office):
    office_id = make_office(contacts=({"first_name": "Ann", "last_name": "Aa"},
                                      {"first_name": "Bob", "last_name": "Bb"}))
    contact_url = f"/offices/{office_id}/contacts/2"
    page = staff_client.get(contact_url).get_data(as_text=True)
    assert "Nog geen follow-ups." in page
    link = html.unescape(re.search(r'href="(/follow-ups/office/[^"]+)"', page).group(1))
    assert parse_qs(urlsplit(link).query) == {"contact_id": ["2"], "next": [contact_url + "#follow-ups"]}
    form = staff_client.get(link).get_data(as_text=True)
    assert re.search(r'<option selected value="2">\s*Bob Bb', form)
    response = staff_client.post(link, data=data(staff_client.user.id, contact_id="2"))
    assert response.status_code == 302 and response.headers["Location"] == contact_url + "#follow-ups"
    page = staff_client.get(contact_url).get_data(as_text=True)
    assert "Jaarrekening nabellen" in page
    assert "Jaarrekening nabellen" not in staff_client.get(f"/offices/{office_id}/contacts/1").get_data(as_text=True)


def test_ticking_follow_up_on_the_contact_moment_form_plans_a_call_back_next_week(app, staff_client, make_office):
    office_id = make_office(contacts=({"first_name": "Ann", "last_name": "Aa"},))
    page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    next_week = today() + timedelta(days=7)
    assert "Plan een follow-up voor mij" in page and f'value="{next_week.isoformat()}"' in page
    response = staff_client.post(f"/offices/{office_id}/interactions", data=log_data(), follow_redirects=True)
    assert "follow-up gepland voor" in response.get_data(as_text=True)
    with app.app_context():
        row = db.session.scalar(select(FollowUp))
        assert (row.title, row.due_on, row.owner_id, row.contact_id, row.office_id) == (
            "Terugbellen", next_week, staff_client.user.id, 1, office_id)
    assert audits(app, row.id)[0][0] == "create"
    staff_client.post(f"/offices/{office_id}/interactions",
                      data=log_data(follow_up_title="Offerte sturen", contact_id="0"))
    with app.app_context():
        titles = {f.title: f.contact_id for f in db.session.scalars(select(FollowUp))}
    assert titles == {"Terugbellen": 1, "Offerte sturen": None}


def test_without_the_tick_logging_a_contact_moment_plans_nothing(app, staff_client, make_office):
    office_id = make_office()
    staff_client.post(f"/offices/{office_id}/interactions", data=log_data(follow_up=None, contact_id="0"))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Interaction)) == 1
    assert count(app) == 0


@pytest.mark.parametrize("overrides", [
    {"follow_up_on": ""},
    {"follow_up_on": "volgende week"},
    {"follow_up_on": "2020-01-01"},
    {"follow_up_title": "x" * 201},
    {"follow_up_title": "twee\nregels"},
])
def test_a_bad_follow_up_on_the_contact_moment_form_stores_neither(app, staff_client, make_office, overrides):
    office_id = make_office(contacts=({"first_name": "Ann", "last_name": "Aa"},))
    response = staff_client.post(f"/offices/{office_id}/interactions", data=log_data(**overrides))
    assert response.status_code == 422 and b"invalid-feedback" in response.data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Interaction)) == 0
    assert count(app) == 0


def test_the_list_filters_by_office_and_due_period(app, staff_client, make_office, make_follow_up):
    jansen, pietersen = make_office("Jansen Accountants"), make_office("Pietersen & Zn")
    me, day = staff_client.user.id, today()
    make_follow_up(jansen, me, "Te laat-taak", day - timedelta(days=2))
    make_follow_up(jansen, me, "Vandaag-taak", day)
    make_follow_up(pietersen, me, "Week-taak", day + timedelta(days=5))
    make_follow_up(pietersen, me, "Maand-taak", day + timedelta(days=20))
    make_follow_up(pietersen, me, "Later-taak", day + timedelta(days=90))

    def shown(query):
        page = staff_client.get("/follow-ups/?" + query).get_data(as_text=True)
        return {t for t in ("Te laat-taak", "Vandaag-taak", "Week-taak", "Maand-taak", "Later-taak") if t in page}

    assert shown("period=overdue") == {"Te laat-taak"}
    assert shown("period=today") == {"Vandaag-taak"}
    assert shown("period=week") == {"Vandaag-taak", "Week-taak"}
    assert shown("period=month") == {"Vandaag-taak", "Week-taak", "Maand-taak"}
    assert shown("period=later") == {"Later-taak"}
    assert shown("office=pieTERsen") == {"Week-taak", "Maand-taak", "Later-taak"}
    assert shown(f"office_id={jansen}") == {"Te laat-taak", "Vandaag-taak"}
    assert shown(f"office_id={pietersen}&period=week") == {"Week-taak"}
    assert shown("office=%25") == set()  # a wildcard is taken literally
    for odd in ("period=<x>", "office=" + "x" * 500, "office_id=abc", "office_id=99999999999"):
        assert staff_client.get("/follow-ups/?" + odd).status_code == 200, odd


def test_the_page_links_keep_the_filters(app, staff_client, make_office, make_follow_up):
    office_id = make_office()
    for n in range(app.config["PAGE_SIZE"] + 1):
        make_follow_up(office_id, staff_client.user.id, f"Taak-{n:03d}", today() + timedelta(days=n % 5))
    page = staff_client.get(f"/follow-ups/?owner=all&period=week&office_id={office_id}").get_data(as_text=True)
    assert f"/follow-ups/?owner=all&amp;status=open&amp;period=week&amp;office_id={office_id}&amp;page=2" in page


@pytest.fixture
def orphans(app, make_user, make_office, make_follow_up):
    """Leaving Lies (deactivated) has two open and one done follow-up; active Anna has one open."""
    office_id = make_office()
    lies, anna = make_user("staff", name="Lies Vertrokken"), make_user("staff", name="Anna Actief")
    ids = [make_follow_up(office_id, lies.id, "Lies open 1"), make_follow_up(office_id, lies.id, "Lies open 2"),
           make_follow_up(office_id, lies.id, "Lies klaar", done_at=datetime(2026, 1, 1, tzinfo=UTC)),
           make_follow_up(office_id, anna.id, "Anna open")]
    from praclox.auth.models import User
    with app.app_context():
        db.session.get(User, lies.id).active = False
        db.session.commit()
    return lies, anna, ids


def test_admins_see_and_reassign_a_deactivated_users_open_follow_ups_in_bulk(app, admin_client, orphans):
    lies, anna, ids = orphans
    dashboard = admin_client.get("/").get_data(as_text=True)
    assert "2 open follow-ups horen bij gedeactiveerde gebruikers." in dashboard
    page = admin_client.get("/follow-ups/orphaned").get_data(as_text=True)
    assert "Lies open 1" in page and "Lies open 2" in page
    assert "Lies klaar" not in page and "Anna open" not in page
    assert page.count(" checked ") == 2  # ticked by default: one click moves them all
    response = admin_client.post("/follow-ups/orphaned", data={"ids": [str(ids[0]), str(ids[1])],
                                                                "owner_id": str(anna.id)}, follow_redirects=True)
    assert "2 follow-ups overgedragen aan Anna Actief." in response.get_data(as_text=True)
    with app.app_context():
        assert {f.title for f in db.session.scalars(select(FollowUp).where(FollowUp.owner_id == anna.id))} == {
            "Lies open 1", "Lies open 2", "Anna open"}
    assert audits(app, ids[0]) == [("update", "owner_id", admin_client.user.id)]
    assert "gedeactiveerde" not in admin_client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("form", [
    {"owner_id": "ANNA"},  # ids: none ticked
    {"ids": "LIES1", "owner_id": ""},
    {"ids": "LIES1", "owner_id": "abc"},
    {"ids": "LIES1", "owner_id": "LIES"},  # a deactivated user cannot take over
    {"ids": "ANNA1", "owner_id": "ANNA"},  # an active user's follow-up is not orphaned
    {"ids": "abc", "owner_id": "ANNA"},
    {"ids": "999999", "owner_id": "ANNA"},
])
def test_a_bad_bulk_reassign_says_why_and_moves_nothing(app, admin_client, orphans, form):
    lies, anna, ids = orphans
    names = {"ANNA": str(anna.id), "LIES": str(lies.id), "LIES1": str(ids[0]), "ANNA1": str(ids[3])}
    response = admin_client.post("/follow-ups/orphaned", data={k: names.get(v, v) for k, v in form.items()})
    assert response.status_code == 422 and b"invalid-feedback" in response.data or b"alert-danger" in response.data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(FollowUp).where(FollowUp.owner_id == lies.id)) == 3


def test_staff_cannot_open_the_hand_over_page(staff_client, orphans):
    assert staff_client.get("/follow-ups/orphaned").status_code == 403
    assert "gedeactiveerde" not in staff_client.get("/").get_data(as_text=True)


def test_the_dashboard_shows_ten_per_group_and_links_to_the_rest(app, staff_client, make_office, make_follow_up):
    office_id = make_office()
    for n in range(12):
        make_follow_up(office_id, staff_client.user.id, f"Achterstand-{n:02d}", today() - timedelta(days=20 - n))
    page = staff_client.get("/").get_data(as_text=True)
    overdue = page.split('follow-ups-overdue">', 1)[1].split("</ul>", 1)[0]
    assert overdue.count("Achterstand-") == 10 and "Achterstand-00" in overdue and "Achterstand-11" not in overdue
    assert '<a href="/follow-ups/?period=overdue">en nog 2</a>' in overdue
    listed = staff_client.get("/follow-ups/?period=overdue").get_data(as_text=True)
    assert listed.count("Achterstand-") == 12
