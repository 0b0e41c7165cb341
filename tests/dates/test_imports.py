"""`praclox import dates FILE.csv` and the vCard upload: all rows or none, with clear reasons."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from praclox.extensions import db


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2026, 11, 22, 9, 0, tzinfo=UTC), tick=False):
        yield


def all_dates(app):
    from praclox.dates.models import PersonalDate

    with app.app_context():
        return [(d.contact.full_name, d.kind, d.month, d.day, d.year, d.person_name)
                for d in db.session.scalars(select(PersonalDate).order_by(PersonalDate.id))]


def contact_count(app):
    from praclox.offices.models import Contact

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Contact))


GOOD_CSV = """office,first_name,last_name,kind,date,person_name
Jansen Accountants,Anna,de Vries,birthday,1976-05-14,
jansen accountants,Anna,de Vries,child_birthday,2009-01-02,Sophie
Jansen Accountants,Bram,Bakker,wedding,--06-20,Linda
Jansen Accountants,Bram,Bakker,birthday,--02-29,
"""


def test_csv_import_creates_contacts_and_dates_and_is_idempotent(frozen, app, runner, make_office, tmp_path):
    make_office(name="Jansen Accountants", contacts=({"first_name": "Anna", "last_name": "de Vries"},))
    path = tmp_path / "dates.csv"
    path.write_text(GOOD_CSV)
    result = runner.invoke(args=["import", "dates", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 4 dates and 1 new contact;" in result.output
    assert all_dates(app) == [
        ("Anna de Vries", "birthday", 5, 14, 1976, None),
        ("Anna de Vries", "child_birthday", 1, 2, 2009, "Sophie"),
        ("Bram Bakker", "wedding", 6, 20, None, "Linda"),
        ("Bram Bakker", "birthday", 2, 29, None, None),
    ]
    again = runner.invoke(args=["import", "dates", str(path)])
    assert again.exit_code == 0 and "4 dates were already there" in again.output
    assert len(all_dates(app)) == 4


def test_csv_with_bad_lines_imports_nothing_and_names_every_line(frozen, app, runner, make_office, tmp_path):
    make_office(name="Jansen Accountants")
    path = tmp_path / "bad.csv"
    path.write_text(
        "office,first_name,last_name,kind,date,person_name\n"
        "Jansen Accountants,Anna,de Vries,birthday,1976-05-14,\n"
        "Jansen Accountants,Bert,Boom,birthday,1980-04-31,\n"
        "Jansen Accountants,Cor,Cactus,birthday,2030-01-01,\n"
        "Onbekend BV,Dirk,Dijk,birthday,1970-01-01,\n"
        "Jansen Accountants,Eva,Eik,anniversary,1970-01-01,\n"
        "Jansen Accountants,Frits,Fuut,birthday,14-05-1976,\n"
        "Jansen Accountants,Gert,Gans,birthday,1981-02-29,\n"
    )
    result = runner.invoke(args=["import", "dates", str(path)])
    assert result.exit_code != 0
    out = result.output
    assert "line 3: date '1980-04-31' is not a real date" in out
    assert "line 4: date '2030-01-01' lies in the future" in out
    assert "line 5: no office named 'Onbekend BV'" in out
    assert "line 6: kind must be birthday, child_birthday, or wedding" in out
    assert "line 7: date '14-05-1976' is not a date in the form YYYY-MM-DD or --MM-DD" in out
    assert "line 8: date '1981-02-29' is not a real date" in out
    assert "line 2" not in out
    assert "6 bad lines; nothing was imported" in out
    assert all_dates(app) == [] and contact_count(app) == 0


def test_csv_with_wrong_columns(frozen, app, runner, tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("office,name,date\nX,Y,1970-01-01\n")
    result = runner.invoke(args=["import", "dates", str(path)])
    assert result.exit_code != 0 and "missing column(s): first_name, last_name, kind" in result.output


GOOGLE = """BEGIN:VCARD
VERSION:3.0
FN:Anna de Vries
N:de Vries;Anna;;;
EMAIL;TYPE=INTERNET:anna@example.nl
BDAY:1976-05-14
X-ANNIVERSARY:2001-06-20
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Bakker;Bram;;;
FN:Bram Bakker
ORG:Tweede Kantoor;
BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29
END:VCARD
BEGIN:VCARD
VERSION:4.0
N:Cactus;Cor;;;
FN:Cor Cactus
BDAY:--0312
ANNIVERSARY:19990909
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Zonder;Datum;;;
FN:Datum Zonder
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Eik;Eva;;;
FN:Eva Eik
item1.X-ABDATE:2010-07-07
item1.X-ABLabel:_$!<Anniversary>!$_
END:VCARD
"""


def upload(client, office_id, text, name="contacts.vcf"):
    return client.post("/dates/import", data={"office_id": str(office_id),
                                             "file": (io.BytesIO(text.encode()), name)},
                       content_type="multipart/form-data")


def test_vcard_upload_imports_birthdays_and_anniversaries(frozen, app, staff_client, make_office):
    first = make_office(name="Eerste Kantoor")
    make_office(name="Tweede Kantoor")
    response = upload(staff_client, first, GOOGLE)
    assert response.status_code == 302, response.data[:3000]
    assert sorted(all_dates(app)) == sorted([
        ("Anna de Vries", "birthday", 5, 14, 1976, None),
        ("Anna de Vries", "wedding", 6, 20, 2001, None),
        ("Bram Bakker", "birthday", 2, 29, None, None),  # Apple's 1604: year unknown
        ("Cor Cactus", "birthday", 3, 12, None, None),
        ("Cor Cactus", "wedding", 9, 9, 1999, None),
        ("Eva Eik", "wedding", 7, 7, 2010, None),
    ])
    from praclox.offices.models import Contact

    with app.app_context():
        bram = db.session.scalars(select(Contact).where(Contact.first_name == "Bram")).one()
        assert bram.office.name == "Tweede Kantoor"
        anna = db.session.scalars(select(Contact).where(Contact.first_name == "Anna")).one()
        assert anna.email == "anna@example.nl" and anna.office.name == "Eerste Kantoor"
    assert contact_count(app) == 4  # the card without dates was skipped


@pytest.mark.parametrize(("text", "message"), [
    ("this is not a vcard", "geen geldig vCard-bestand"),
    ("BEGIN:VCARD\nVERSION:3.0\nN:X;Y;;;\nBDAY:1980-04-31\nEND:VCARD\n",
     "BDAY &#39;1980-04-31&#39; is geen bestaande datum"),
    ("BEGIN:VCARD\nVERSION:3.0\nN:X;Y;;;\nBDAY:2099-01-01\nEND:VCARD\n", "ligt in de toekomst"),
    ("BEGIN:VCARD\nVERSION:3.0\nN:X;Y;;;\nBDAY:1980-01-01\nBEGIN:VCARD\n", "geen geldig vCard-bestand"),
    ("BEGIN:VCARD\nVERSION:3.0\nBDAY:1980-01-01\nEND:VCARD\n", "heeft een voor- en een achternaam nodig"),
])
def test_broken_vcards_save_nothing(frozen, app, staff_client, make_office, text, message):
    office = make_office()
    good = GOOGLE.split("BEGIN:VCARD\nVERSION:3.0\nN:Bakker")[0]
    response = upload(staff_client, office, good + text)
    assert response.status_code == 422
    assert message.encode() in response.data, response.data.decode()[-3000:]
    assert all_dates(app) == [] and contact_count(app) == 0


def test_a_file_without_vcards(frozen, app, staff_client, make_office):
    response = upload(staff_client, make_office(), "hello, world\n")
    assert response.status_code == 422 and b"het bestand bevat geen vCard" in response.data


def test_date_text_parser():
    from datetime import date

    from praclox.dates.importer import DateTextError, parse_date_text

    today = date(2026, 11, 22)
    assert parse_date_text("1976-05-14", on=today) == (5, 14, 1976)
    assert parse_date_text("19760514", on=today) == (5, 14, 1976)
    assert parse_date_text("--05-14", on=today) == (5, 14, None)
    assert parse_date_text("--0514", on=today) == (5, 14, None)
    assert parse_date_text("1604-02-29", on=today) == (2, 29, None)
    assert parse_date_text("1976-05-14T00:00:00Z", on=today) == (5, 14, 1976)
    assert parse_date_text("--02-29", on=today) == (2, 29, None)
    for bad in ("--02-30", "1976-13-01", "2026-11-23", "1700-01-01", "14/05/1976", ""):
        with pytest.raises(DateTextError):
            parse_date_text(bad, on=today)


def test_a_vcard_address_the_forms_would_refuse_is_left_out_and_the_dates_still_come_in(
        frozen, app, staff_client, make_office):
    office = make_office(name="Eerste Kantoor")
    card = ("BEGIN:VCARD\nVERSION:3.0\nN:Veld;Vera;;;\nFN:Vera Veld\nEMAIL:vera@@example\nBDAY:1980-04-03\n"
            "END:VCARD\n")
    assert upload(staff_client, office, card).status_code == 302
    from praclox.offices.models import Contact

    with app.app_context():
        vera = db.session.scalars(select(Contact).where(Contact.first_name == "Vera")).one()
        assert vera.email is None
    assert all_dates(app) == [("Vera Veld", "birthday", 4, 3, 1980, None)]
