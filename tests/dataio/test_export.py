"""Exporting offices with their contacts as CSV (as Excel opens it), XLSX and vCard 4.0; every export audited."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from praclox.audit.models import AuditEntry
from praclox.extensions import db
from praclox.offices.columns import COLUMNS

PETRA = {"first_name": "Petra", "last_name": "Bakker", "job_title": "directeur", "email": "petra@jansen.nl",
         "phone": "030-1234567", "mobile": "+31 6 1234 5678"}


def _export(client, **args):
    return client.get("/offices/export", query_string=args)


def _csv_rows(response, delimiter):
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())  # Excel reads UTF-8 only with the byte order mark
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter))


def _records(app, rows):
    """The rows as dicts by column key (the header is the labels in the user's language)."""
    from praclox.offices.columns import aliases

    with app.app_context():
        names = aliases()
    keys = [names[h.lower()] for h in rows[0]]
    return [dict(zip(keys, row, strict=True)) for row in rows[1:]]


def test_dutch_csv_has_bom_semicolons_a_row_per_contact_and_neutralised_formulas(app, staff_client, make_office):
    make_office("Jansen Accountants", contacts=(PETRA, {"first_name": "Gijs", "last_name": "Mulder"}),
                kvk_number="01234567")
    make_office("=HYPERLINK(\"http://evil.example\")", visit_city="Zwolle")
    response = _export(staff_client, format="csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="offices-' in response.headers["Content-Disposition"]
    rows = _csv_rows(response, ";")
    header = rows[0]
    assert header[:3] == ["kantoornummer", "kantoor", "soort"] and "contactnummer" in header and "mobiel" in header
    by_name = _records(app, rows)
    assert len(by_name) == 3  # two contacts, and the office without contacts has a row of its own
    petra = next(r for r in by_name if r["first_name"] == "Petra")
    assert petra["office"] == "Jansen Accountants" and petra["kvk_number"] == "01234567"
    assert petra["kind"] == "Prospect"
    assert petra["mobile"] == "'+31 6 1234 5678"  # a leading + would start a formula
    evil = next(r for r in by_name if r["city"] == "Zwolle")
    assert evil["office"].startswith("'=") and evil["contact_id"] == ""


def test_english_user_gets_commas(app, staff_client, make_office):
    make_office("Jansen Accountants", contacts=(PETRA,))
    staff_client.post("/language", data={"lang": "en", "next": "/offices/"})
    rows = _csv_rows(_export(staff_client, format="csv"), ",")
    assert rows[0][:3] == ["office number", "office", "kind"] and rows[1][1] == "Jansen Accountants"


def test_export_holds_the_filtered_list_only_and_is_audited_with_its_row_count(app, staff_client, make_office):
    make_office("Jansen Accountants", contacts=(PETRA,), kind="client")
    make_office("Visser Bouw")
    rows = _csv_rows(_export(staff_client, format="csv", kind="client"), ";")
    assert [r[1] for r in rows[1:]] == ["Jansen Accountants"]
    rows = _csv_rows(_export(staff_client, format="csv", q="visser"), ";")
    assert [r[1] for r in rows[1:]] == ["Visser Bouw"]
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
        assert [(e.record_type, e.row_count, e.actor_id) for e in entries] == [
            ("offices", 1, staff_client.user.id), ("offices", 1, staff_client.user.id)]
        assert "first_name" in entries[0].fields and "Petra" not in entries[0].fields


def test_audit_trail_shows_how_many_rows_were_exported(app, staff_client, login_as, make_office):
    make_office("Jansen Accountants", contacts=(PETRA, {"first_name": "Gijs", "last_name": "Mulder"}))
    _export(staff_client, format="xlsx")
    page = login_as("privacy_officer").get("/privacy-officer/audit").get_data(as_text=True)
    assert "(2 rijen)" in page


def test_xlsx_keeps_text_as_text_and_formulas_inert(app, staff_client, make_office):
    make_office("=1+1", contacts=(PETRA,), kvk_number="01234567")
    response = _export(staff_client, format="xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["kantoornummer", "kantoor"]
    row = dict(zip(COLUMNS, sheet[2], strict=True))
    assert row["office"].value == "=1+1" and row["office"].data_type == "s" and row["office"].quotePrefix
    assert row["kvk_number"].value == "01234567" and row["mobile"].value == "+31 6 1234 5678"
    assert isinstance(row["office_id"].value, int)


def test_vcard_is_version_4_of_active_contacts_without_dates_or_notes(app, staff_client, make_office):
    from datetime import date

    from praclox.offices.models import Contact

    office_id = make_office("Jansen; Zn, Accountants", contacts=(PETRA, {"first_name": "Oud", "last_name": "Gedaan"}),
                            notes="Petra prefers mornings", visit_street="Kerkstraat 1", visit_postcode="3511 AB")
    with app.test_request_context():
        from praclox.dates import services as dates
        from praclox.offices import services

        petra = db.session.scalar(select(Contact).where(Contact.first_name == "Petra"))
        services.mark_left(db.session.scalar(select(Contact).where(Contact.first_name == "Oud")), date(2026, 1, 1),
                           actor=None)
        dates.create_date(petra, {"kind": "child_birthday", "day": 3, "month": 4, "year": 2015,
                                  "person_name": "Sientje"}, actor=None)
        db.session.commit()
    response = _export(staff_client, format="vcf", office=office_id)
    assert response.status_code == 200 and response.mimetype == "text/vcard"
    text = response.get_data(as_text=True)
    assert text.count("BEGIN:VCARD") == 1 and "VERSION:4.0\r\n" in text  # the one who left is not in it
    assert "FN:Petra Bakker\r\n" in text and "N:Bakker;Petra;;;\r\n" in text
    assert "ORG:Jansen\\; Zn\\, Accountants\r\n" in text
    assert 'TEL;VALUE=uri;TYPE="cell":tel:+31612345678' in text
    assert "EMAIL;TYPE=work:petra@jansen.nl" in text and "ADR;TYPE=work:;;Kerkstraat 1;" in text
    for private in ("Sientje", "BDAY", "NOTE", "mornings", "Gedaan"):
        assert private not in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_unknown_format_or_office_is_not_found_and_not_audited(app, staff_client, make_office):
    make_office()
    assert _export(staff_client, format="pdf").status_code == 404
    assert _export(staff_client, format="vcf", office=999999).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "export")) is None


def test_export_columns_are_declared_in_the_processing_register(app):
    from praclox.offices.columns import SOURCES, VCARD
    from praclox.privacy.registry import all_fields, is_plainly_not_personal, not_personal_columns

    with app.app_context():
        declared = {(f.table, f.column) for f in all_fields()}
        exempt = not_personal_columns()
        tables = {t.name: t for t in db.metadata.sorted_tables}
        for table, column in [*SOURCES.values(), *(s for _, sources in VCARD.values() for s in sources)]:
            assert ((table, column) in declared or column in exempt.get(table, set())
                    or is_plainly_not_personal(tables[table].c[column])), (table, column)


def test_a_card_holds_exactly_the_properties_the_register_lists(app, staff_client, make_office):
    from praclox.dataio.export import _PROPERTIES
    from praclox.offices.columns import VCARD

    assert list(_PROPERTIES) == list(VCARD)  # nothing written that is not declared, nothing declared unwritten
    office = make_office("Kaart BV", visit_street="Kerkstraat 1", contacts=(
        {"first_name": "Petra", "last_name": "Jansen", "job_title": "Directeur", "email": "petra@kaart.nl",
         "phone": "030-1234567", "mobile": "06-12345678"},))
    card = _export(staff_client, format="vcf", office=office).get_data(as_text=True)
    written = [line.split(":")[0].split(";")[0] for line in card.split("\r\n") if line and not line.startswith(" ")]
    assert [p for p in dict.fromkeys(written) if p not in ("BEGIN", "VERSION", "KIND", "END")] == list(VCARD)
