"""Export, edit in a spreadsheet, import with --update: the records change, no copies appear; a dry run
shows what would change and changes nothing."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from praclox.extensions import db
from praclox.offices.columns import COLUMNS
from praclox.offices.models import Contact, Office

PETRA = {"first_name": "Petra", "last_name": "Bakker", "email": "petra@jansen.nl", "mobile": "+31 6 1234 5678"}


def _counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Office)),
                db.session.scalar(select(func.count()).select_from(Contact)))


def _edited_like_excel(csv_bytes: bytes, change) -> bytes:
    """What Dutch Excel writes when the user saves the opened export as "CSV UTF-8": BOM, ``;``, CRLF, and
    numbers without their leading zero."""
    rows = list(csv.reader(io.StringIO(csv_bytes.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[0] == "kantoornummer"
    records = [dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]]
    for record in records:
        record["kvk_number"] = record["kvk_number"].lstrip("0")  # Excel read it as a number
        change(record)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([record[c] for c in COLUMNS] for record in records)
    return ("\ufeff" + out.getvalue()).encode()


def _office(app, name):
    with app.app_context():
        office = db.session.scalar(select(Office).where(Office.name == name))
        return {c: getattr(office, c) for c in ("id", "visit_city", "kvk_number", "phone")}, [
            (c.first_name, c.mobile, c.job_title) for c in office.contacts]


def test_csv_round_trip_updates_by_id_after_a_dry_run(app, runner, staff_client, make_office, tmp_path):
    make_office("Jansen Accountants", contacts=(PETRA,), kvk_number="01234567", phone="030-1234567")
    make_office("Visser Bouw")
    exported = staff_client.get("/offices/export?format=csv").get_data()

    def edit(record):
        if record["office"] == "Jansen Accountants":
            record["city"], record["job_title"] = "Amersfoort", "=1+2 directeur"

    path = tmp_path / "offices.csv"
    path.write_bytes(_edited_like_excel(exported, edit))
    before = _office(app, "Jansen Accountants")

    dry = runner.invoke(args=["import", "offices", str(path), "--update", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "line 2: changes office Jansen Accountants: City" in dry.output
    assert "line 2: changes contact Petra Bakker: Job title" in dry.output
    assert ("Dry run, nothing was changed: would import 0 offices and 0 contacts and update 1 office and "
            "1 contact") in dry.output
    assert _office(app, "Jansen Accountants") == before

    done = runner.invoke(args=["import", "offices", str(path), "--update"])
    assert done.exit_code == 0, done.output
    assert "Imported 0 offices and 0 contacts; 0 contacts were already there. Updated 1 office and 1 contact." in (
        done.output)
    assert _counts(app) == (2, 1)
    office, contacts = _office(app, "Jansen Accountants")
    # the KvK number and the mobile number come back as they were exported, the edits are in
    assert office["visit_city"] == "Amersfoort" and office["kvk_number"] == "01234567"
    assert contacts == [("Petra", "+31 6 1234 5678", "=1+2 directeur")]
    again = runner.invoke(args=["import", "offices", str(path), "--update"])
    assert "Updated 0 offices and 0 contacts." in again.output and _counts(app) == (2, 1)


def test_xlsx_round_trip_through_the_web_import(app, staff_client, make_office):
    make_office("Jansen Accountants", contacts=(PETRA,))
    exported = staff_client.get("/offices/export?format=xlsx").get_data()
    book = load_workbook(io.BytesIO(exported))
    sheet = book.active
    header = list(COLUMNS)
    sheet.cell(row=2, column=header.index("mobile") + 1, value="06-99998888")
    sheet.cell(row=3, column=header.index("office") + 1, value="Jansen Accountants")
    sheet.cell(row=3, column=header.index("first_name") + 1, value="Gijs")
    sheet.cell(row=3, column=header.index("last_name") + 1, value="Mulder")
    edited = io.BytesIO()
    book.save(edited)

    def upload(**flags):
        return staff_client.post("/offices/import", content_type="multipart/form-data", data={
            "file": (io.BytesIO(edited.getvalue()), "offices.xlsx"), "update": "y", **flags})

    preview = upload(dry_run="y")
    assert preview.status_code == 200
    text = preview.get_data(as_text=True)
    assert "wijzigt contactpersoon Petra Bakker: Mobiel" in text and "nieuwe contactpersoon Gijs Mulder" in text
    assert _counts(app) == (1, 1)
    response = upload()
    assert response.status_code == 302
    assert _counts(app) == (1, 2)
    assert sorted(_office(app, "Jansen Accountants")[1]) == [("Gijs", None, None), ("Petra", "06-99998888", None)]


def test_ids_that_name_no_record_or_another_office_reject_the_whole_file(app, runner, make_office, tmp_path):
    first = make_office("Jansen Accountants", contacts=(PETRA,))
    second = make_office("Visser Bouw")
    with app.app_context():
        petra = db.session.scalar(select(Contact.id))
    path = tmp_path / "bad.csv"
    path.write_text(f"office_id;office;contact_id;first_name;last_name\n{first};Jansen;;;\n"
                    f"999999;Ghost;;;\n{second};Visser Bouw;{petra};Petra;Bakker\n{first};Jansen;x;;\n")
    result = runner.invoke(args=["import", "offices", str(path), "--update"])
    assert result.exit_code == 1
    assert "line 3: office_id 999999 does not exist (deleted or merged?)" in result.output
    assert f"line 4: contact_id {petra} does not belong to office_id {second}" in result.output
    assert "line 5: contact_id must be a number" in result.output
    with app.app_context():
        assert db.session.get(Office, first).name == "Jansen Accountants"


def test_a_new_office_like_an_existing_one_is_not_created_without_consent(app, runner, make_office, tmp_path):
    make_office("Bakker Makelaardij", kvk_number="12345678")
    path = tmp_path / "new.csv"
    path.write_text("office;kvk_number\nBakker Makelaardij B.V.;12345678\n")
    refused = runner.invoke(args=["import", "offices", str(path)])
    assert refused.exit_code == 1
    assert ("line 2: new office Bakker Makelaardij B.V. looks like office #1 Bakker Makelaardij (same KvK number, "
            "nearly the same name)") in refused.output
    assert "nothing was imported" in refused.output and _counts(app) == (1, 0)
    allowed = runner.invoke(args=["import", "offices", str(path), "--allow-duplicates"])
    assert allowed.exit_code == 0 and _counts(app) == (2, 0)


def test_web_import_shows_likely_duplicates_before_creating_them(app, staff_client, make_office):
    make_office("Groot Techniek", email="info@groottechniek.nl")
    data = b"office;office_email\nGroot Techniek BV;INFO@groottechniek.nl\n"
    response = staff_client.post("/offices/import", content_type="multipart/form-data",
                                 data={"file": (io.BytesIO(data), "x.csv")})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "lijken op kantoren die je al hebt" in text and "zelfde e-mailadres, bijna dezelfde naam" in text
    assert _counts(app) == (1, 0)
    response = staff_client.post("/offices/import", content_type="multipart/form-data",
                                 data={"file": (io.BytesIO(data), "x.csv"), "allow_duplicates": "y"})
    assert response.status_code == 302 and _counts(app) == (2, 0)


def test_an_xlsx_zip_bomb_or_broken_workbook_is_refused(app, staff_client):
    import zipfile

    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (65 * 1024 * 1024))
    for body in (bomb.getvalue(), b"PK\x03\x04not really a zip"):
        response = staff_client.post("/offices/import", content_type="multipart/form-data",
                                     data={"file": (io.BytesIO(body), "x.xlsx")})
        assert response.status_code == 422
    assert _counts(app) == (0, 0)
