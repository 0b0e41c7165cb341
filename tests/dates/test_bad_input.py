"""Every dates form against bad input: overlong, HTML/script, NUL bytes, wrong types. A clear error, nothing
saved, never a 500."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from praclox.extensions import db

SCRIPT = "<script>alert(1)</script>"


def counts(app):
    from praclox.dates.models import Congratulation, Feed, PersonalDate, ReminderPreference

    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (PersonalDate, Congratulation, Feed, ReminderPreference))


GOOD_DATE = {"kind": "child_birthday", "day": "3", "month": "4", "year": "2001", "person_name": "Sophie",
             "gender": "f", "leap_rule": "feb28", "notes": ""}


@pytest.mark.parametrize("bad", [
    {"person_name": "x" * 101},
    {"person_name": "Sop\x00hie"},
    {"notes": "n" * 2001},
    {"notes": "tulpen\x00"},
    {"year": "tweeduizend"},
    {"year": "99999"},
    {"day": "32"},
    {"day": "abc"},
    {"month": "13"},
    {"kind": SCRIPT},
    {"gender": "x"},
    {"leap_rule": "mar2"},
])
def test_date_form_refuses_bad_input(app, staff_client, make_contact, bad):
    contact = make_contact()
    response = staff_client.post(f"/dates/contacts/{contact}/new", data={**GOOD_DATE, **bad})
    assert response.status_code == 422
    assert b"invalid-feedback" in response.data or b"text-danger" in response.data
    assert counts(app)[0] == 0


def test_html_in_a_name_is_shown_as_text(app, staff_client, make_contact):
    contact = make_contact()
    response = staff_client.post(f"/dates/contacts/{contact}/new", data={**GOOD_DATE, "person_name": SCRIPT})
    assert response.status_code == 302
    for url in ("/dates/?year=2027&month=4", f"/dates/contacts/{contact}/new"):
        assert SCRIPT.encode() not in staff_client.get(url).data
    page = staff_client.get("/dates/?year=2027&month=4").data
    assert b"&lt;script&gt;" in page


def test_edit_with_bad_input_changes_nothing(app, staff_client, make_contact, make_date):
    from praclox.dates.models import PersonalDate

    item = make_date(make_contact(), "birthday", 5, 5, 1980)
    response = staff_client.post(f"/dates/{item}/edit", data={**GOOD_DATE, "kind": "birthday", "day": "31",
                                                               "month": "4"})
    assert response.status_code == 422
    with app.app_context():
        unchanged = db.session.get(PersonalDate, item)
        assert (unchanged.month, unchanged.day, unchanged.version) == (5, 5, 0)


@pytest.mark.parametrize("data", [
    {"reason": SCRIPT, "ended_on": "2026-01-01"},
    {"reason": "deceased", "ended_on": "gisteren"},
    {"reason": "deceased", "ended_on": "2999-01-01"},
    {"reason": "deceased\x00", "ended_on": "2026-01-01"},
])
def test_end_form_refuses_bad_input(app, staff_client, make_contact, make_date, data):
    from praclox.dates.models import PersonalDate

    item = make_date(make_contact(), "birthday", 5, 5, 1980)
    response = staff_client.post(f"/dates/{item}/end", data=data)
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(PersonalDate, item).ended_on is None


@pytest.mark.parametrize("data", [
    {"year": "abc", "half": "0", "how": "card"},
    {"year": "2026", "half": "0", "how": SCRIPT},
    {"year": "99999", "half": "0", "how": "card"},
    {"year": "2026", "half": "0", "how": "card\x00"},
    {"year": "2026", "half": "0", "how": "card", "next": "https://evil.example/"},
])
def test_congratulate_refuses_bad_input_and_never_redirects_elsewhere(app, staff_client, make_contact, make_date,
                                                                       data):
    item = make_date(make_contact(), "birthday", 5, 5, 1980)
    response = staff_client.post(f"/dates/{item}/congratulate", data=data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/")
    if data["how"] == "card" and data["year"] == "2026":
        assert counts(app)[1] == 1
    else:
        assert counts(app)[1] == 0


@pytest.mark.parametrize("data", [
    {"name": "x" * 61, "kinds": ["birthday"]},
    {"name": "tel\x00efoon", "kinds": ["birthday"]},
    {"name": "", "kinds": ["birthday"]},
    {"name": "telefoon", "kinds": []},
    {"name": "telefoon", "kinds": [SCRIPT]},
])
def test_feed_form_refuses_bad_input(app, staff_client, data):
    response = staff_client.post("/dates/account/feeds", data=data)
    assert response.status_code == 422
    assert b"/feeds/" not in response.data
    assert counts(app)[2] == 0


def test_feed_settings_and_reminders_refuse_bad_input(app, staff_client):
    from praclox.dates.models import Feed

    staff_client.post("/dates/account/feeds", data={"name": "telefoon", "kinds": ["birthday"]})
    with app.app_context():
        feed_id = db.session.scalars(select(Feed.id)).one()
    response = staff_client.post(f"/dates/account/feeds/{feed_id}", data={f"feed{feed_id}-kinds": ["party"]})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Feed, feed_id).kinds == "birthday"
    for value in (SCRIPT, "daily\x00", "x" * 500, ""):
        assert staff_client.post("/dates/account/reminders", data={"frequency": value}).status_code == 422
    assert counts(app)[3] == 0


@pytest.mark.parametrize(("payload", "office"), [
    (b"\x00\x01\x02 binary", None),
    (b"BEGIN:VCARD\nVERSION:3.0\nN:" + b"x" * 200 + b";Anna;;;\nBDAY:1980-01-01\nEND:VCARD\n", None),
    (b"BEGIN:VCARD\nVERSION:3.0\nN:<b>Bold</b>;Anna\x01;;;\nBDAY:1980-01-01\nEND:VCARD\n", None),
    (b"BEGIN:VCARD\nVERSION:3.0\nN:Aal;Anna;;;\nBDAY:1980-01-01\nEND:VCARD\n", "abc"),
])
def test_vcard_upload_refuses_bad_input(app, staff_client, make_office, payload, office):
    office_id = make_office()
    response = staff_client.post("/dates/import", data={"office_id": office or str(office_id),
                                                         "file": (io.BytesIO(payload), "x.vcf")},
                                 content_type="multipart/form-data")
    assert response.status_code == 422
    assert counts(app)[0] == 0


def test_unknown_ids_give_404_not_500(app, staff_client):
    for url in ("/dates/999/edit", "/dates/999/end", "/dates/999/delete", "/dates/contacts/999/new"):
        assert staff_client.get(url).status_code == 404
    assert staff_client.post("/dates/999/congratulate", data={}).status_code == 404
    assert staff_client.post("/dates/congratulations/999/delete", data={}).status_code == 404
