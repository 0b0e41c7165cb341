"""The pages: dates on the contact page, the dashboard panel, the month view, congratulations, feeds page."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from praclox.extensions import db


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2026, 12, 28, 9, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


def contact_url(app, contact_id):
    from praclox.offices.models import Contact

    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        return f"/offices/{contact.office_id}/contacts/{contact.id}"


def count_dates(app):
    from praclox.dates.models import PersonalDate

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PersonalDate))


def test_add_a_date_from_the_contact_page(frozen, app, staff_client, make_contact):
    contact = make_contact("Anna", "de Vries")
    page = staff_client.get(contact_url(app, contact))
    assert page.status_code == 200 and b"Persoonlijke datums" in page.data
    assert f"/dates/contacts/{contact}/new".encode() in page.data
    assert staff_client.get(f"/dates/contacts/{contact}/new").status_code == 200
    response = staff_client.post(f"/dates/contacts/{contact}/new", data={
        "kind": "birthday", "day": "14", "month": "1", "year": "1977", "gender": "f", "leap_rule": "feb28",
        "notes": "houdt van tulpen"})
    assert response.status_code == 302
    page = staff_client.get(contact_url(app, contact)).data.decode()
    assert "14 januari 1977" in page
    assert "wordt 50 (Sarah)" in page  # the next occurrence, 14 January 2027
    assert "houdt van tulpen" in page


@pytest.mark.parametrize(("day", "month", "year", "message"), [
    ("31", "4", "1980", "Dit is geen bestaande datum"),
    ("29", "2", "1981", "Dit is geen bestaande datum"),
    ("1", "1", "2027", "Deze datum ligt in de toekomst"),
    ("1", "1", "1850", ""),
])
def test_impossible_and_future_dates_are_refused_and_nothing_is_saved(frozen, app, staff_client, make_contact,
                                                                     day, month, year, message):
    contact = make_contact()
    response = staff_client.post(f"/dates/contacts/{contact}/new", data={
        "kind": "birthday", "day": day, "month": month, "year": year, "leap_rule": "feb28"})
    assert response.status_code == 422
    assert message.encode() in response.data
    assert count_dates(app) == 0


def test_leap_day_without_a_year_is_accepted(frozen, app, staff_client, make_contact):
    contact = make_contact()
    response = staff_client.post(f"/dates/contacts/{contact}/new", data={
        "kind": "birthday", "day": "29", "month": "2", "year": "", "leap_rule": "mar1"})
    assert response.status_code == 302
    page = staff_client.get(contact_url(app, contact)).data.decode()
    assert "jaar onbekend" in page and "in andere jaren op 1 maart" in page
    assert "1 maart 2027" in page  # 2027 is a common year


def test_edit_end_restore_and_delete(frozen, app, staff_client, make_contact, make_date):
    from praclox.dates.models import PersonalDate

    contact = make_contact()
    item = make_date(contact, "wedding", 6, 1, 2000, person_name="Piet")
    assert staff_client.get(f"/dates/{item}/edit").status_code == 200
    response = staff_client.post(f"/dates/{item}/edit", data={
        "kind": "wedding", "day": "2", "month": "6", "year": "2000", "person_name": "Piet", "leap_rule": "feb28"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(PersonalDate, item).version == 1
    assert staff_client.get(f"/dates/{item}/end").status_code == 200
    response = staff_client.post(f"/dates/{item}/end", data={"reason": "marriage_ended", "ended_on": "2026-12-01"})
    assert response.status_code == 302
    with app.app_context():
        ended = db.session.get(PersonalDate, item)
        assert ended.end_reason == "marriage_ended" and ended.ended_on == date(2026, 12, 1)
    page = staff_client.get(contact_url(app, contact)).data.decode()
    assert "Huwelijk beëindigd" in page
    assert staff_client.post(f"/dates/{item}/restore", data={}).status_code == 302
    with app.app_context():
        assert db.session.get(PersonalDate, item).ended_on is None
    assert staff_client.get(f"/dates/{item}/delete").status_code == 200
    assert staff_client.post(f"/dates/{item}/delete", data={}).status_code == 302
    assert count_dates(app) == 0


def test_dashboard_today_this_week_and_next_30_days_across_the_year(frozen, app, staff_client, make_contact, make_date):
    make_date(make_contact("Anna", "Aal"), "birthday", 12, 28, 1976, gender="f")  # today: 50, Sarah
    make_date(make_contact("Bert", "Boom"), "birthday", 1, 2, 1977, gender="m")  # this week, next year: 50
    make_date(make_contact("Cor", "Cactus"), "wedding", 1, 20, 2002)  # 25 years: silver
    make_date(make_contact("Dirk", "Dijk"), "wedding", 7, 15, 2014)  # 12½ years on 15 January 2027
    make_date(make_contact("Eva", "Eik"), "child_birthday", 1, 4, 2009, person_name="Sophie", gender="f")
    make_date(make_contact("Frits", "Fuut"), "birthday", 3, 1, 1980)  # outside the 30 days
    html = staff_client.get("/").data.decode()
    today, week, month = re.split(r"Deze week|Komende 30 dagen", html.split("Verjaardagen en jubilea", 1)[1])[:3]
    assert "Anna Aal" in today and "wordt 50 (Sarah)" in today
    assert "Bert Boom" in week and "wordt 50 (Abraham)" in week
    assert "dochter Sophie wordt 18" in week
    assert "25 jaar getrouwd (zilveren bruiloft)" in month
    assert "12½ jaar getrouwd (koperen bruiloft)" in month
    assert "Frits" not in html
    assert html.count("milestone-entry") >= 5


def test_congratulated_mark_is_one_per_occurrence(frozen, app, staff_client, login_as, make_contact, make_date):
    from praclox.dates.models import Congratulation

    item = make_date(make_contact("Anna", "Aal"), "birthday", 12, 28, 1976)
    data = {"year": "2026", "half": "0", "how": "call", "next": "/"}
    assert staff_client.post(f"/dates/{item}/congratulate", data=data).status_code == 302
    other = login_as("staff")
    assert other.post(f"/dates/{item}/congratulate", data={**data, "how": "card"}).status_code == 302
    with app.app_context():
        marks = db.session.scalars(select(Congratulation)).all()
        assert len(marks) == 1 and marks[0].how == "call" and marks[0].by_id == staff_client.user.id
        mark_id = marks[0].id
    html = other.get("/").data.decode()
    assert "gefeliciteerd: telefoon" in html and staff_client.user.name in html
    assert other.post(f"/dates/congratulations/{mark_id}/delete", data={"next": "/"}).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Congratulation)).all() == []


def test_month_view_paging_and_filters(frozen, app, staff_client, make_office, make_contact, make_date):
    first_office = make_office(name="Aal Accountants")
    second_office = make_office(name="Boom Bouw")
    make_date(make_contact("Anna", "Aal", office_id=first_office), "birthday", 1, 14, 1980)
    make_date(make_contact("Bert", "Boom", office_id=second_office), "wedding", 1, 20, 2000)
    page = staff_client.get("/dates/").data.decode()
    assert "december 2026" in page
    assert "year=2027&amp;month=1" in page or "month=1&amp;year=2027" in page
    january = staff_client.get("/dates/?year=2027&month=1").data.decode()
    assert "Anna Aal" in january and "Bert Boom" in january and "wordt 47" in january
    only_weddings = staff_client.get("/dates/?year=2027&month=1&kind=wedding").data.decode()
    assert "Bert Boom" in only_weddings and "Anna Aal" not in only_weddings
    one_office = staff_client.get(f"/dates/?year=2027&month=1&office={first_office}").data.decode()
    assert "Anna Aal" in one_office and "Bert Boom" not in one_office
    assert staff_client.get("/dates/?year=abc&month=99").status_code == 200


def test_feed_page_shows_the_url_once_and_revokes(frozen, app, staff_client):
    from praclox.dates.models import Feed

    assert staff_client.get("/dates/account").status_code == 200
    response = staff_client.post("/dates/account/feeds", data={"name": "telefoon", "kinds": ["birthday", "wedding"]})
    assert response.status_code == 200
    url = re.search(r'value="(http://crm\.test/feeds/[A-Za-z0-9_-]{43,}\.ics)"', response.data.decode()).group(1)
    assert app.test_client().get(url.replace("http://crm.test", "")).status_code == 200
    page = staff_client.get("/dates/account").data.decode()
    assert url not in page and "telefoon" in page
    with app.app_context():
        feed = db.session.scalars(select(Feed)).one()
        assert feed.kinds == "birthday,wedding" and not feed.show_child_names and feed.last_fetched_at
    assert staff_client.post(f"/dates/account/feeds/{feed.id}", data={
        f"feed{feed.id}-kinds": ["child_birthday"], f"feed{feed.id}-show_child_names": "y"}).status_code == 302
    with app.app_context():
        feed = db.session.get(Feed, feed.id)
        assert feed.kinds == "child_birthday" and feed.show_child_names
    assert staff_client.post(f"/dates/account/feeds/{feed.id}/revoke", data={}).status_code == 302
    assert app.test_client().get(url.replace("http://crm.test", "")).status_code == 404
    assert "ingetrokken" in staff_client.get("/dates/account").data.decode()


def test_a_user_cannot_touch_another_users_feed(frozen, app, staff_client, login_as):
    from praclox.dates.models import Feed

    staff_client.post("/dates/account/feeds", data={"name": "mine", "kinds": ["birthday"]})
    with app.app_context():
        feed_id = db.session.scalars(select(Feed.id)).one()
    other = login_as("staff")
    assert other.post(f"/dates/account/feeds/{feed_id}/revoke", data={}).status_code == 404
    with app.app_context():
        assert db.session.get(Feed, feed_id).revoked_at is None


def test_reminder_choice_is_saved(app, staff_client):
    from praclox.dates.reminders import frequency_of

    assert staff_client.post("/dates/account/reminders", data={"frequency": "weekly"}).status_code == 302
    with app.app_context():
        assert frequency_of(staff_client.user.id) == "weekly"
    assert staff_client.post("/dates/account/reminders", data={"frequency": "hourly"}).status_code == 422


def test_every_dates_page_renders(frozen, app, staff_client, admin_client, make_contact, make_date):
    contact = make_contact()
    item = make_date(contact, "birthday", 12, 30, 1980)
    for client in (staff_client, admin_client):
        for url in ("/", "/dates/", "/dates/account", "/dates/import", f"/dates/contacts/{contact}/new",
                    f"/dates/{item}/edit", f"/dates/{item}/end", f"/dates/{item}/delete", contact_url(app, contact)):
            response = client.get(url)
            assert response.status_code == 200, (url, response.data[:500])


def test_english_pages(frozen, app, staff_client, make_contact, make_date):
    make_date(make_contact("Anna", "Aal"), "wedding", 12, 30, 2001)
    staff_client.post("/language", data={"lang": "en"})
    html = staff_client.get("/").data.decode()
    assert "25 years married (silver wedding)" in html


def test_office_pickers_tell_offices_of_one_name_apart_by_city(app, login_as, make_office):
    first = make_office("Jansen Accountants", visit_city="Utrecht",
                        contacts=({"first_name": "Ans", "last_name": "Eerste"},))
    second = make_office("Jansen Accountants", visit_city="Zwolle",
                         contacts=({"first_name": "Bep", "last_name": "Tweede"},))
    staff = login_as("staff")
    for url in ("/dates/import", "/registrations/new"):
        page = staff.get(url).get_data(as_text=True)
        assert f'value="{first}">Jansen Accountants (Utrecht)</option>' in page, url
        assert f'value="{second}">Jansen Accountants (Zwolle)</option>' in page, url
