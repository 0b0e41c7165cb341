"""The iCal feed: parsed back with icalendar, expanded with recurring-ical-events, compared with an
object-by-object build, and its HTTP behaviour (no cookie, ETag, 304, 404s)."""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import recurring_ical_events
import time_machine

from praclox.extensions import db

TODAY = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture
def feed_user(app, make_user):
    return make_user("staff", email="feeder@praclox.nl")


@pytest.fixture
def new_feed(app, feed_user):
    from praclox.auth.models import User
    from praclox.dates import feeds

    def factory(name="telefoon", **kw):
        with app.test_request_context():
            user = db.session.get(User, feed_user.id)
            feed, token = feeds.create_feed(user, name, **kw, actor=None)
            db.session.commit()
            return feed.id, token

    return factory


def fetch(client, token, **headers):
    return client.get(f"/feeds/{token}.ics", headers=headers)


def parse(response):
    return icalendar.Calendar.from_ical(response.data)


def summaries_between(cal, start, end):
    return sorted((e.decoded("dtstart"), str(e["summary"]), str(e["uid"]))
                  for e in recurring_ical_events.of(cal).between(start, end))


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


def test_feed_headers_and_calendar_properties(app, client, new_feed, make_contact, make_date, frozen):
    contact = make_contact("Jan", "Jansen")
    make_date(contact, "birthday", 12, 1, 1976, gender="m")
    _, token = new_feed()
    response = fetch(client, token)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "Content-Disposition" not in response.headers
    assert re.fullmatch(r'"[0-9a-f]{64}"', response.headers["ETag"])
    assert response.headers["Last-Modified"]
    # a private copy in the calendar app, revalidated with the ETag on every poll (a 304 says the same)
    assert response.headers["Cache-Control"] == "private, no-cache" and "Pragma" not in response.headers
    again = fetch(client, token, **{"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == "private, no-cache"
    assert fetch(client, "x" * 43).headers["Cache-Control"] == "no-store"  # a refusal is never kept
    text = response.data.decode()
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in text
    assert "X-PUBLISHED-TTL:PT12H" in text
    cal = parse(response)
    assert str(cal["X-WR-CALNAME"]) == "Praclox · telefoon"
    events = list(cal.walk("VEVENT"))
    assert len(events) == 3  # 2025, 2026 and 2027 (a year ago up to two years ahead)
    for event in events:
        assert event["DTSTART"].params.get("VALUE") == "DATE"
        assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(days=1)
        assert str(event["TRANSP"]) == "TRANSPARENT"
        assert "DTSTAMP" in event and "LAST-MODIFIED" in event and "SEQUENCE" in event
    assert {str(e["summary"]) for e in events} == {"Jan Jansen wordt 49", "Jan Jansen wordt 50 (Abraham)",
                                                   "Jan Jansen wordt 51"}


def test_feed_expands_right_with_recurring_ical_events(app, client, new_feed, make_contact, make_date, frozen):
    anna = make_contact("Anna", "de Vries")
    make_date(anna, "birthday", 2, 29, 1996, gender="f")  # leap day, kept on 28 February
    make_date(anna, "wedding", 3, 10, 2014, person_name="Piet")  # 12½ on 10 September 2026
    make_date(anna, "child_birthday", 1, 2, 2009, person_name="Sophie", gender="f")  # 18 on 2 January 2027
    bram = make_contact("Bram", "Bakker")
    make_date(bram, "birthday", 2, 29, leap_rule="mar1")  # no year, kept on 1 March
    make_date(bram, "wedding", 12, 31)  # no year
    _, token = new_feed(show_child_names=True)
    cal = parse(fetch(client, token))
    got = summaries_between(cal, date(2026, 11, 22), date(2028, 11, 22))
    titles = {(d, s) for d, s, _ in got}
    assert (date(2027, 1, 2), "Anna de Vries: dochter Sophie wordt 18") in titles
    assert (date(2027, 2, 28), "Anna de Vries wordt 31") in titles
    assert (date(2028, 2, 29), "Anna de Vries wordt 32") in titles
    assert (date(2027, 3, 10), "Anna de Vries en Piet: 13 jaar getrouwd") in titles
    assert (date(2027, 3, 1), "Bram Bakker is jarig") in titles
    assert (date(2028, 2, 29), "Bram Bakker is jarig") in titles
    assert (date(2026, 12, 31), "Bram Bakker: trouwdag") in titles
    assert (date(2027, 12, 31), "Bram Bakker: trouwdag") in titles
    past = summaries_between(cal, date(2026, 1, 1), date(2026, 11, 1))
    assert (date(2026, 9, 10), "Anna de Vries en Piet: 12½ jaar getrouwd (koperen bruiloft)") in {
        (d, s) for d, s, _ in past}
    # one event per occurrence: unique UIDs; the recurring ones share their UID
    year_uids = [u for _, _, u in got if re.search(r"-\d{4}h?@", u)]
    assert len(year_uids) == len(set(year_uids))
    text = fetch(client, token).data.decode()
    assert "RRULE:FREQ=YEARLY;BYYEARDAY=60" in text
    assert "RRULE:FREQ=YEARLY\r\n" in text


def test_leap_day_without_a_year_kept_on_28_february_uses_bymonthday_minus_one(
        app, client, new_feed, make_contact, make_date, frozen):
    make_date(make_contact(), "birthday", 2, 29)
    _, token = new_feed()
    response = fetch(client, token)
    assert "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1" in response.data.decode()
    days = [d for d, _, _ in summaries_between(parse(response), date(2026, 1, 1), date(2029, 1, 1))]
    assert days == [date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]


def test_children_names_are_hidden_by_default(app, client, new_feed, make_contact, make_date, frozen):
    make_date(make_contact("Anna", "de Vries"), "child_birthday", 1, 2, 2009, person_name="Sophie", gender="f")
    _, token = new_feed()
    text = fetch(client, token).data.decode()
    assert "Sophie" not in text and "dochter" not in text
    assert "SUMMARY:Kind van Anna de Vries wordt 18" in text


def test_kinds_filter(app, client, new_feed, make_contact, make_date, frozen):
    contact = make_contact()
    make_date(contact, "birthday", 5, 5, 1980)
    make_date(contact, "wedding", 6, 6, 2005)
    _, token = new_feed(kinds=["wedding"])
    summaries = [str(e["summary"]) for e in parse(fetch(client, token)).walk("VEVENT")]
    assert summaries and all("getrouwd" in s for s in summaries)


def test_ended_dates_and_left_contacts_disappear(app, client, new_feed, make_contact, make_date, frozen):
    from praclox.dates import services
    from praclox.dates.models import PersonalDate
    from praclox.offices import services as office_services
    from praclox.offices.models import Contact

    a, b = make_contact("Anna", "Aal"), make_contact("Bert", "Boom")
    date_a = make_date(a, "birthday", 5, 5, 1980)
    make_date(b, "birthday", 6, 6, 1981)
    _, token = new_feed()
    assert len(list(parse(fetch(client, token)).walk("VEVENT"))) == 6
    with app.test_request_context():
        services.end_date(db.session.get(PersonalDate, date_a), "deceased", actor=None)
        office_services.mark_left(db.session.get(Contact, b), date(2026, 11, 1), actor=None)
        db.session.commit()
        ended = db.session.get(PersonalDate, date_a)
        assert ended.end_reason == "deceased"
        left = db.session.scalars(db.select(PersonalDate).where(PersonalDate.contact_id == b)).one()
        assert left.end_reason == "left_office" and left.ended_on == date(2026, 11, 1)
    assert list(parse(fetch(client, token)).walk("VEVENT")) == []


def test_uids_are_stable_and_sequence_moves_forward_on_edit(app, client, new_feed, make_contact, make_date, frozen):
    from praclox.dates import services
    from praclox.dates.models import PersonalDate

    item = make_date(make_contact(), "birthday", 5, 5, 1980)
    _, token = new_feed()
    first = {str(e["uid"]): e for e in parse(fetch(client, token)).walk("VEVENT")}
    frozen.shift(timedelta(minutes=3))
    with app.test_request_context():
        services.update_date(db.session.get(PersonalDate, item), {"day": 6}, actor=None)
        db.session.commit()
    second = {str(e["uid"]): e for e in parse(fetch(client, token)).walk("VEVENT")}
    assert set(first) == set(second)
    for uid, event in second.items():
        assert event["SEQUENCE"] > first[uid]["SEQUENCE"]
        assert event.decoded("last-modified") > first[uid].decoded("last-modified")
        assert event.decoded("dtstart").day == 6


def test_etag_304_and_last_modified_move_with_every_change_including_deletions(
        app, client, new_feed, make_contact, make_date, frozen):
    from praclox.dates import services
    from praclox.dates.models import PersonalDate

    item = make_date(make_contact(), "birthday", 5, 5, 1980)
    _, token = new_feed()
    first = fetch(client, token)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    again = fetch(client, token, **{"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert fetch(client, token, **{"If-Modified-Since": modified}).status_code == 304
    assert fetch(client, token, **{"If-None-Match": '"something-else"'}).status_code == 200
    frozen.shift(timedelta(seconds=1))
    with app.test_request_context():
        services.delete_date(db.session.get(PersonalDate, item), actor=None)
        db.session.commit()
    after = fetch(client, token, **{"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag
    assert after.headers["Last-Modified"] != modified
    assert fetch(client, token, **{"If-Modified-Since": modified}).status_code == 200


def test_a_contact_rename_changes_the_feed(app, client, new_feed, make_contact, make_date, frozen):
    from praclox.offices import services as office_services
    from praclox.offices.models import Contact

    contact = make_contact("Anna", "Aal")
    make_date(contact, "birthday", 5, 5, 1980)
    _, token = new_feed()
    etag = fetch(client, token).headers["ETag"]
    with app.test_request_context():
        office_services.update_contact(db.session.get(Contact, contact), {"last_name": "Zwaan"}, actor=None)
        db.session.commit()
    response = fetch(client, token, **{"If-None-Match": etag})
    assert response.status_code == 200 and b"Anna Zwaan" in response.data


def test_304_does_not_build_the_calendar(app, client, new_feed, make_contact, make_date, frozen, monkeypatch):
    from praclox.dates import feeds

    make_date(make_contact(), "birthday", 5, 5, 1980)
    _, token = new_feed()
    etag = fetch(client, token).headers["ETag"]

    def boom(*args, **kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr(feeds, "build_body", boom)
    assert fetch(client, token, **{"If-None-Match": etag}).status_code == 304


def test_unknown_revoked_expired_and_deactivated_all_get_the_same_404(
        app, client, new_feed, feed_user, make_contact, make_date, frozen):
    from praclox.auth.models import User
    from praclox.dates import feeds
    from praclox.dates.models import Feed

    make_date(make_contact(), "birthday", 5, 5, 1980)
    unknown = fetch(client, "x" * 43)
    revoked_id, revoked = new_feed("revoked")
    _, expired = new_feed("expired")
    _, live = new_feed("live")
    with app.test_request_context():
        feeds.revoke_feed(db.session.get(Feed, revoked_id), actor=None)
        db.session.commit()
    assert fetch(client, live).status_code == 200
    frozen.shift(timedelta(days=100))
    assert fetch(client, live).status_code == 200  # fetched: stays alive
    frozen.shift(timedelta(days=81))  # 181 days after creation, 81 after the last fetch
    responses = [unknown, fetch(client, revoked), fetch(client, expired)]
    assert fetch(client, live).status_code == 200
    with app.test_request_context():
        db.session.get(User, feed_user.id).active = False
        db.session.commit()
    responses.append(fetch(client, live))
    for response in responses:
        assert response.status_code == 404
        assert response.data == unknown.data
        assert response.headers["Content-Type"] == unknown.headers["Content-Type"]
        assert "Set-Cookie" not in response.headers


def test_feed_token_is_long_random_and_stored_only_as_a_hash(app, new_feed):
    from praclox.dates.feeds import hash_token
    from praclox.dates.models import Feed

    feed_id, token = new_feed()
    assert len(token) >= 43  # 32 bytes in URL-safe base64
    with app.app_context():
        feed = db.session.get(Feed, feed_id)
        assert feed.token_hash == hash_token(token)
        for column in Feed.__table__.columns:
            assert getattr(feed, column.name) != token


def test_feed_tokens_never_reach_the_log(app, client, new_feed, caplog):
    from praclox.logging_setup import RedactSecrets

    _, token = new_feed()
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '"GET /feeds/%s.ics HTTP/1.1" 200 -',
                               (token,), None)
    record.args = (f"/feeds/{token}.ics",)
    record.msg = '"GET %s HTTP/1.1" 200 -'
    RedactSecrets().filter(record)
    assert token not in record.getMessage()


def test_fast_build_equals_an_object_by_object_build(app, make_contact, make_date, frozen):
    """The text written by hand parses to exactly what icalendar builds event by event."""
    from flask_babel import force_locale

    from praclox.dates import ical, occasions
    from praclox.dates.models import PersonalDate

    anna = make_contact("Anna", "de Vries, jr; test")  # characters that need escaping
    make_date(anna, "birthday", 2, 29, 1996, gender="f")
    make_date(anna, "wedding", 8, 31, 2014, person_name="Piet")
    make_date(anna, "child_birthday", 12, 30, 2008, person_name="Sophie-Charlotte Margaretha Wilhelmina",
              gender="f")
    odd = make_contact("Back\\slash", "Né\r\nwline")  # the slow path: escaped as a whole
    make_date(odd, "birthday", 3, 3, 1990)
    make_date(odd, "child_birthday", 3, 4, 2010, person_name="Zoë, de; jongste")
    long_name = make_contact("Maximiliaan-Alexander", "van Oranje-Nassau tot Amsberg en Lippe-Biesterfeld")
    make_date(long_name, "birthday", 1, 1)
    make_date(long_name, "wedding", 2, 29, leap_rule="mar1")
    with app.test_request_context(), force_locale("nl"):
        rows = ical.fetch_rows(["birthday", "child_birthday", "wedding"])
        phrases = occasions.Phrases()
        fast = ical.build("Praclox · test", rows, today=date(2026, 11, 22), host="crm.test",
                          show_child_names=True, phrases=phrases)
        reference = icalendar.Calendar.from_ical(ical.calendar_head("Praclox · test") + "END:VCALENDAR\r\n")
        start, end = ical.window(date(2026, 11, 22))
        for item in db.session.scalars(db.select(PersonalDate).order_by(PersonalDate.id)):
            moment = max(item.updated_at, item.contact.updated_at).replace(microsecond=0)
            name = item.contact.full_name
            if item.year is None:
                occ = occasions.Occurrence(date(2000, item.month, item.day), item.kind, None)
                event = icalendar.Event()
                event.add("summary", phrases.title(item, occ, name))
                event.add("dtstart", occ.on)
                event.add("dtend", occ.on + timedelta(days=1))
                event.add("dtstamp", moment)
                event.add("uid", f"praclox-date-{item.id}@crm.test")
                event.add("sequence", item.version)
                event.add("rrule", icalendar.vRecur.from_ical(ical.rrule_for(item.month, item.day, item.leap_rule)))
                event.add("last-modified", moment)
                event.add("transp", "TRANSPARENT")
                reference.add_component(event)
                continue
            for occ in occasions.occurrences(item, start, end):
                event = icalendar.Event()
                event.add("summary", phrases.title(item, occ, name))
                event.add("dtstart", occ.on)
                event.add("dtend", occ.on + timedelta(days=1))
                event.add("dtstamp", moment)
                event.add("uid", f"praclox-date-{item.id}-{occ.year}{'h' if occ.half else ''}@crm.test")
                event.add("sequence", item.version)
                event.add("last-modified", moment)
                event.add("transp", "TRANSPARENT")
                reference.add_component(event)
    parsed = icalendar.Calendar.from_ical(fast)

    def normal(cal):
        return sorted(
            tuple((name, value.to_ical() if hasattr(value, "to_ical") else value) for name, value in sorted(c.items()))
            for c in cal.walk("VEVENT")
        )

    assert normal(parsed) == normal(reference)
    assert len(list(parsed.walk("VEVENT"))) >= 10
    # the text itself is what icalendar writes for the same events (RRULE part order aside)
    assert parsed.to_ical().decode().replace("\r\n ", "") .count("SUMMARY:") == fast.count("SUMMARY:")
    assert "de Vries\\, jr\\; test" in fast


def test_an_independent_parser_vobject_reads_the_same_events(app, client, new_feed, make_contact, make_date,
                                                              frozen):
    """vobject (with dateutil's rrule) shares no code with icalendar: it must read the same calendar."""
    import vobject

    anna = make_contact("Anna", "de Vries, jr")
    make_date(anna, "birthday", 2, 29, 1996, gender="f")
    make_date(anna, "wedding", 3, 10, 2014)
    make_date(make_contact("Bram", "Bakker"), "birthday", 2, 29)  # no year, kept on 28 February
    _, token = new_feed()
    body = fetch(client, token).data.decode()
    cal = vobject.readOne(body)
    assert cal.x_wr_calname.value == "Praclox · telefoon"
    by_uid = {}
    for event in cal.vevent_list:
        assert event.dtend.value - event.dtstart.value == timedelta(days=1)
        by_uid[event.uid.value] = event
    assert len(by_uid) == len(cal.vevent_list)
    titles = {(e.dtstart.value, e.summary.value) for e in cal.vevent_list if "rrule" not in e.contents}
    assert (date(2027, 2, 28), "Anna de Vries, jr wordt 31 (Sarah)") not in titles  # 31: no Sarah
    assert (date(2027, 2, 28), "Anna de Vries, jr wordt 31") in titles
    assert (date(2026, 9, 10), "Anna de Vries, jr: 12½ jaar getrouwd (koperen bruiloft)") in titles
    recurring = next(e for e in cal.vevent_list if "rrule" in e.contents)
    days = [d.date() for d in recurring.getrruleset().between(datetime(2026, 1, 1), datetime(2029, 1, 1))]
    assert days == [date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]
    assert recurring.summary.value == "Bram Bakker is jarig"
