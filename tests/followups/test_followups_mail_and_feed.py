"""A user's follow-ups reach them outside the app: in their reminder e-mail and, when they choose it, as
all-day events in their calendar feed."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import icalendar
import pytest
from sqlalchemy import select

from praclox.audit.models import AuditEntry
from praclox.extensions import db

MONDAY = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 07:00 in Amsterdam
TODAY = date(2026, 11, 23)


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return time_machine


@pytest.fixture
def promised(app, staff_client, make_user, make_office, make_follow_up):
    """The signed-in user's follow-ups: overdue, today, in five days, in a month, one done; and a colleague's."""
    office_id = make_office("Jansen Accountants", contacts=({"first_name": "Ann", "last_name": "Geheim"},))
    me, colleague = staff_client.user.id, make_user("staff", name="Collega Cees").id
    ids = {
        "late": make_follow_up(office_id, me, "Offerte nabellen", date(2026, 11, 20), contact_id=1),
        "today": make_follow_up(office_id, me, "Jaarrekening bespreken", TODAY),
        "soon": make_follow_up(office_id, me, "Kerstkaart sturen", date(2026, 11, 28)),
        "month": make_follow_up(office_id, me, "Evaluatie plannen", date(2026, 12, 23)),
        "done": make_follow_up(office_id, me, "Al gebeld", date(2026, 11, 21),
                               done_at=datetime(2026, 11, 21, 10, tzinfo=UTC)),
        "theirs": make_follow_up(office_id, colleague, "Van Cees", TODAY),
    }
    return ids


def test_the_daily_digest_lists_my_overdue_and_coming_follow_ups(frozen, app, smtp_server, staff_client, promised):
    from praclox.dates import reminders
    from praclox.scheduler import run_job

    with app.app_context():
        reminders.set_frequency(staff_client.user.id, "daily")
        db.session.commit()
    assert run_job(app, reminders.JOB_ID).outcome == "ok"
    [message] = smtp_server.delivered()
    text = message.get_content()
    assert message["Subject"].startswith("Follow-ups, verjaardagen en jubilea")
    mine = text.split("Je follow-ups", 1)[1].split("De komende verjaardagen", 1)[0]
    assert "vr 20 nov (te laat)  Offerte nabellen — Jansen Accountants" in mine
    assert "ma 23 nov  Jaarrekening bespreken — Jansen Accountants" in mine
    assert "Kerstkaart sturen" in mine
    for absent in ("Evaluatie plannen", "Al gebeld", "Van Cees", "Geheim"):
        assert absent not in text
    assert "/follow-ups/" in mine


def test_a_user_without_follow_ups_or_dates_gets_no_mail(frozen, app, smtp_server, make_user):
    from praclox.dates import reminders
    from praclox.scheduler import run_job

    idle = make_user("staff")
    with app.app_context():
        reminders.set_frequency(idle.id, "weekly")
        db.session.commit()
    run_job(app, reminders.JOB_ID)
    assert smtp_server.delivered() == []


def _new_feed(client, **fields):
    page = client.post("/dates/account/feeds", data={"name": "telefoon", "kinds": ["birthday"], **fields})
    assert page.status_code == 200
    return re.search(r'/feeds/([A-Za-z0-9_-]+)\.ics', page.get_data(as_text=True)).group(1)


def _follow_up_events(client, token):
    response = client.get(f"/feeds/{token}.ics")
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.data)
    return {str(e["uid"]): (str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend"))
            for e in cal.walk("VEVENT") if "follow-up" in str(e["uid"])}, response


def test_a_feed_shows_my_open_follow_ups_as_all_day_events_only_when_i_choose_it(
        frozen, app, staff_client, client, promised):
    token = _new_feed(staff_client, include_follow_ups="y")
    plain = _new_feed(staff_client)
    events, response = _follow_up_events(client, token)
    assert events == {
        f"praclox-follow-up-{promised['late']}@crm.test": (
            "Offerte nabellen · Jansen Accountants", date(2026, 11, 20), date(2026, 11, 21)),
        f"praclox-follow-up-{promised['today']}@crm.test": (
            "Jaarrekening bespreken · Jansen Accountants", TODAY, date(2026, 11, 24)),
        f"praclox-follow-up-{promised['soon']}@crm.test": (
            "Kerstkaart sturen · Jansen Accountants", date(2026, 11, 28), date(2026, 11, 29)),
        f"praclox-follow-up-{promised['month']}@crm.test": (
            "Evaluatie plannen · Jansen Accountants", date(2026, 12, 23), date(2026, 12, 24)),
    }
    assert b"Geheim" not in response.data and b"Cees" not in response.data  # no contact, no colleague
    assert _follow_up_events(client, plain)[0] == {}  # off by default

    # completing one changes the feed: the old ETag no longer matches and the event is gone
    staff_client.post(f"/follow-ups/{promised['today']}/complete")
    again = client.get(f"/feeds/{token}.ics", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 200
    assert f"praclox-follow-up-{promised['today']}@" not in again.get_data(as_text=True)


def test_turning_follow_ups_off_in_the_feed_settings_removes_them_and_is_audited(
        frozen, app, staff_client, client, promised):
    from praclox.dates.models import Feed

    token = _new_feed(staff_client, include_follow_ups="y")
    with app.app_context():
        feed_id = db.session.scalar(select(Feed.id))
    account = staff_client.get("/dates/account").get_data(as_text=True)
    assert "mijn follow-ups" in account
    response = staff_client.post(f"/dates/account/feeds/{feed_id}", data={f"feed{feed_id}-kinds": ["birthday"]})
    assert response.status_code == 302
    assert _follow_up_events(client, token)[0] == {}
    with app.app_context():
        fields = [a.fields for a in db.session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "date_feeds").order_by(AuditEntry.id))]
    assert fields == ["include_follow_ups,kinds,name,show_child_names", "include_follow_ups"]
    frozen.shift(60)
    staff_client.post(f"/dates/account/feeds/{feed_id}",
                      data={f"feed{feed_id}-kinds": ["birthday"], f"feed{feed_id}-include_follow_ups": "y"})
    assert len(_follow_up_events(client, token)[0]) == 4


def test_a_follow_up_deleted_with_its_office_moves_the_feeds_last_modified_too(
        frozen, app, staff_client, client, make_office, make_follow_up):
    """A calendar client that revalidates by date alone (If-Modified-Since) must get the feed without it."""
    office_id = make_office("Kantoor Zonder Contacten")  # no contact: nothing of the dates domain goes with it
    follow_up = make_follow_up(office_id, staff_client.user.id, "Terugbellen", TODAY)
    token = _new_feed(staff_client, include_follow_ups="y")
    events, before = _follow_up_events(client, token)
    assert f"praclox-follow-up-{follow_up}@crm.test" in events

    frozen.shift(60)  # within the session's idle limit
    assert staff_client.post(f"/offices/{office_id}/delete", data={"confirm": "yes"}).headers["Location"] == "/offices/"
    by_date = client.get(f"/feeds/{token}.ics", headers={"If-Modified-Since": before.headers["Last-Modified"]})
    assert by_date.status_code == 200 and b"Terugbellen" not in by_date.data
    assert by_date.headers["ETag"] != before.headers["ETag"]
    assert by_date.last_modified > before.last_modified


def test_renaming_an_office_renames_its_follow_ups_in_the_feed_for_every_kind_of_revalidation(
        frozen, app, staff_client, client, make_office, make_follow_up):
    """The event's title carries the office's name: a client holding the old body must not keep it."""
    office_id = make_office("Oude Naam Advies")
    follow_up = make_follow_up(office_id, staff_client.user.id, "Terugbellen", TODAY)
    token = _new_feed(staff_client, include_follow_ups="y")
    events, before = _follow_up_events(client, token)
    assert events[f"praclox-follow-up-{follow_up}@crm.test"][0] == "Terugbellen · Oude Naam Advies"

    frozen.shift(60)
    edited = staff_client.post(f"/offices/{office_id}/edit",
                               data={"kind": "prospect", "name": "Nieuwe Naam Advies", "account_manager_id": ""})
    assert edited.status_code == 302
    for conditional in ({"If-None-Match": before.headers["ETag"]},
                        {"If-Modified-Since": before.headers["Last-Modified"]}):
        after = client.get(f"/feeds/{token}.ics", headers=conditional)
        assert after.status_code == 200, conditional
        body = after.get_data(as_text=True)
        assert "Nieuwe Naam Advies" in body and "Oude Naam" not in body
        assert after.last_modified > before.last_modified
    event = next(e for e in icalendar.Calendar.from_ical(after.data).walk("VEVENT")
                 if str(e["UID"]) == f"praclox-follow-up-{follow_up}@crm.test")
    assert event["LAST-MODIFIED"].dt > before.last_modified  # the client sees the event itself changed

    # an office none of my open follow-ups belongs to changes nothing in my feed
    other = make_office("Ander Kantoor")
    frozen.shift(60)
    staff_client.post(f"/offices/{other}/edit", data={"kind": "prospect", "name": "Ander Kantoor BV",
                                                      "account_manager_id": ""})
    assert client.get(f"/feeds/{token}.ics", headers={"If-None-Match": after.headers["ETag"]}).status_code == 304
