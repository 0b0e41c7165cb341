"""The feed at volume: gzip when the client accepts it, a kept body for clients without a validator (and never a
stale one), and the whole-string escaping and folding checked against icalendar on arbitrary names."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar.parser.content_line import Contentline
from icalendar.parser.string import _escape_char

from praclox.extensions import db

TODAY = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def token(app, make_user, make_contact, make_date):
    from praclox.auth.models import User
    from praclox.dates import feeds

    contact = make_contact("Zoë", "Ångström, née; Çelik")
    make_date(contact, "birthday", 12, 1, 1976, gender="f")
    make_date(contact, "wedding", 3, 3, 2001, person_name="Renée")
    user = make_user("staff", email="feeder@praclox.nl")
    with app.test_request_context():
        _, secret = feeds.create_feed(db.session.get(User, user.id), "telefoon", actor=None)
        db.session.commit()
    return secret


def fetch(client, token, **headers):
    return client.get(f"/feeds/{token}.ics", headers=headers)


def test_a_client_that_accepts_gzip_gets_the_same_calendar_compressed(app, client, token, frozen):
    plain = fetch(client, token)
    packed = fetch(client, token, **{"Accept-Encoding": "gzip, deflate"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    # each coding its own strong ETag; either one revalidates
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + '-gz"'
    again = fetch(client, token, **{"Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == packed.headers["ETag"]
    assert fetch(client, token, **{"If-None-Match": packed.headers["ETag"]}).status_code == 304


def test_a_client_without_a_validator_gets_the_kept_body_not_a_new_build(app, client, token, frozen, monkeypatch):
    from praclox.dates import feeds

    first = fetch(client, token)

    def boom(*args, **kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr(feeds, "build_body", boom)
    second = fetch(client, token)
    assert second.status_code == 200 and second.data == first.data


def test_a_changed_name_is_in_the_next_answer_even_without_a_validator(app, client, token, frozen):
    from praclox.offices import services as office_services
    from praclox.offices.models import Contact

    first = fetch(client, token)
    assert "Ångström".encode() in first.data
    frozen.shift(timedelta(seconds=1))
    with app.test_request_context():
        contact = db.session.scalar(db.select(Contact))
        office_services.update_contact(contact, {"last_name": "Zwaan"}, actor=None)
        db.session.commit()
    for headers in ({}, {"Accept-Encoding": "gzip"}, {"If-None-Match": first.headers["ETag"]}):
        response = fetch(client, token, **headers)
        body = gzip.decompress(response.data) if headers.get("Accept-Encoding") else response.data
        assert response.status_code == 200
        assert "Zoë Zwaan".encode() in body and "Ångström".encode() not in body
        assert response.headers["ETag"].strip('"').removesuffix("-gz") != first.headers["ETag"].strip('"')


def test_a_body_built_from_an_older_calendar_leaves_the_memory_when_a_newer_one_is_kept(
        app, client, token, make_user, frozen):
    from praclox.auth.models import User
    from praclox.dates import feeds
    from praclox.dates.feed_cache import cache
    from praclox.offices.models import Contact

    with app.test_request_context():
        _, other = feeds.create_feed(db.session.get(User, make_user("staff").id), "laptop", actor=None)
        db.session.commit()
    fetch(client, token), fetch(client, other)
    with app.app_context():
        assert len(cache().entries) == 2
    frozen.shift(timedelta(seconds=1))
    with app.test_request_context():  # erased from the CRM: the name must not wait in memory for the laptop
        db.session.delete(db.session.scalar(db.select(Contact)))
        db.session.commit()
    fetch(client, token)
    with app.app_context():
        kept = list(cache().entries.values())
    assert len(kept) == 1 and "Ångström".encode() not in kept[0].body


def test_csv_exports_are_compressed_for_clients_that_accept_gzip(app, login_as):
    client = login_as("privacy_officer")
    plain = client.get("/privacy-officer/register.csv")
    assert plain.status_code == 200, plain.status_code
    packed = client.get("/privacy-officer/register.csv", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data


# -- whole-string escaping and folding against icalendar, on arbitrary names --------------------------------

NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\\;,:\"^\r\n"), min_size=1,
                max_size=90)


def _row(date_id: int, kind: str, first: str, last: str, year: int | None, person: str | None):
    return (date_id, kind, 6, 15, year, "feb28", "f", person, 0, "20261101T000000Z", first, last)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=NAMES, last=NAMES, person=st.none() | NAMES)
def test_any_name_reads_back_unchanged_and_is_written_as_icalendar_writes_it(app, first, last, person):
    from flask_babel import force_locale

    from praclox.dates import ical, occasions

    rows = [_row(1, "birthday", first, last, 1980, None), _row(2, "wedding", first, last, None, person),
            _row(3, "child_birthday", first, last, 2010, person)]
    with app.test_request_context(), force_locale("nl"):
        phrases = occasions.Phrases()
        text = ical.build("Praclox · test", rows, today=date(2026, 11, 22), host="crm.test",
                          show_child_names=True, phrases=phrases)
        contact = f"{first} {last}"
        expected = {phrases.title_for("birthday", n, False, "f", None, contact, True) for n in (46, 47, 48)}
        expected.add(phrases.title_for("wedding", None, False, "f", person, contact, True))
        expected |= {phrases.title_for("child_birthday", n, False, "f", person, contact, True) for n in (16, 17, 18)}
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "\n" not in text.replace("\r\n", "")
    parsed = icalendar.Calendar.from_ical(text)
    normalised = {t.replace("\r\n", "\n").replace("\r", "\n") for t in expected}
    assert {str(e["SUMMARY"]) for e in parsed.walk("VEVENT")} == normalised
    # byte for byte what icalendar writes for the same title (its \N quirk aside, see ical.escape_text)
    for title in expected:
        if "\\N" not in title:
            line = Contentline("SUMMARY:" + _escape_char(title)).to_ical().decode()
            assert line in text
