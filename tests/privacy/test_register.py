"""The processing register, the register-completeness rule and the public privacy statement."""

from __future__ import annotations

import csv
import io

from sqlalchemy import Column, Integer, MetaData, String, Table

from praclox.extensions import db
from praclox.privacy.registry import all_fields, undeclared_columns


def test_every_column_that_may_hold_personal_data_is_declared(app):
    with app.app_context():
        missing = undeclared_columns(db.metadata)
    assert not missing, (
        "columns neither declared as a PersonalField in a domain's privacy.py nor listed in its NOT_PERSONAL: "
        f"{missing}"
    )


def test_a_new_undeclared_column_fails_the_completeness_rule(app):
    extra = MetaData()
    Table("hobbies", extra, Column("id", Integer, primary_key=True), Column("nickname", String(50)))
    with app.app_context():
        assert undeclared_columns(extra) == ["hobbies.nickname"]


def test_declared_fields_name_real_columns(app):
    with app.app_context():
        columns = {(t.name, c.name) for t in db.metadata.sorted_tables for c in t.columns}
        tables = {t.name for t in db.metadata.sorted_tables}
        unknown = [(f.table, f.column) for f in all_fields()
                   if (f.table, f.column) not in columns and not (f.stored_in == "file" and f.table in tables)]
    assert not unknown


def test_register_page_lists_fields_with_purpose_and_live_retention(app, login_as):
    client = login_as("privacy_officer")
    page = client.get("/privacy-officer/register").get_data(as_text=True)
    assert "contacts.email" in page and "interactions.summary" in page
    assert "24 maanden bewaard, daarna verwijderd." in page  # a setting key shows its live value with its unit
    assert "Contactpersonen" not in page or "E-mailadres" in page  # readable names next to the database names


def test_register_csv_has_a_row_per_declared_field_and_is_audited(app, login_as):
    client = login_as("admin")
    response = client.get("/privacy-officer/register.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    with app.app_context():
        assert len(rows) == 1 + len(all_fields())
        from praclox.audit.models import AuditEntry

        assert db.session.query(AuditEntry).filter_by(action="export", record_type="processing_register").count() == 1
    assert rows[0][:2] == ["tabel", "kolom"]


def test_public_statement_needs_no_login_and_speaks_dutch_and_english(app, client, admin_client):
    admin_client.post("/admin/settings/", data={
        "privacy.audit_retention_months": "18", "privacy.officer_name": "Mr. Officer Testname",
        "privacy.officer_address": "Postbus 12, 3500 AA Utrecht", "privacy.officer_email": "fg@praclox.nl",
    })
    dutch = client.get("/privacy")
    assert dutch.status_code == 200
    text = dutch.get_data(as_text=True)
    assert "Privacyverklaring" in text and "Uw rechten" in text and "Autoriteit Persoonsgegevens" in text
    assert "Mr. Officer Testname" in text and "Postbus 12, 3500 AA Utrecht" in text
    assert "18 maanden bewaard, daarna verwijderd." in text
    assert "daarna verwijderd na 30 dagen" in text and "wordt na 30 dagen verwijderd" in text
    client.post("/language", data={"lang": "en", "next": "/privacy"})
    english = client.get("/privacy").get_data(as_text=True)
    assert "Privacy statement" in english and "Your rights" in english and "Do we share it?" in english
    assert "<h3 class=\"h6\">Contact persons</h3>" in english and "Kept for 18 months, then deleted." in english
    assert "then deleted after 30 days" in english and "Deleted 28 days after a rejection" in english
    for page in (text, english):
        # whole sentences with live values: no setting key, no "label: value", no ".;", no title case by CSS
        assert "registrations.purge_after_days" not in page and "retention.consent_months" not in page
        assert ".;" not in page and "text-capitalize" not in page and "(maanden): " not in page


def test_every_long_text_column_is_read_by_the_subject_search_or_listed_as_not_free_text(app):
    """A new notes column would otherwise hide a person from search and erasure (issue 10 point 3)."""
    from praclox.privacy.records import undeclared_free_text

    with app.app_context():
        assert undeclared_free_text(db.metadata) == []


def test_each_retention_sentence_sits_with_its_own_kind_of_record(client):
    import re

    page = client.get("/privacy").get_data(as_text=True)
    sections = dict(re.findall(r'<h3 class="h6">(.*?)</h3>(.*?)</section>', page, re.S))
    assert "28 dagen na een afwijzing" in sections["Sollicitaties"]
    assert "30 dagen" in sections["Websiteregistraties"] and "afwijzing" not in sections["Websiteregistraties"]
    assert "afwijzing" not in sections["Contactpersonen"] and "registratie" not in sections["Contactpersonen"]


def test_the_statement_of_a_fresh_install_still_says_how_to_reach_the_privacy_officer(app, client, admin_client):
    text = client.get("/privacy").get_data(as_text=True)
    officer = text[text.index("Functionaris Gegevensbescherming</h2>"):]
    assert "Praclox, ter attentie van de Functionaris Gegevensbescherming" in officer
    assert f'E-mail: <a href="mailto:{app.config["SMTP_FROM"]}">' in officer
    admin_client.post("/admin/settings/", data={"privacy.officer_name": "Fenna Gegevens",
                                                "privacy.officer_address": "Postbus 12, 3500 AA Utrecht"})
    officer = client.get("/privacy").get_data(as_text=True).split("Functionaris Gegevensbescherming</h2>")[1]
    assert "Fenna Gegevens" in officer and "Postbus 12" in officer and "ter attentie van" not in officer
    assert app.config["SMTP_FROM"] not in officer


def test_register_page_lists_each_exports_columns_with_their_purpose_in_dutch_and_english(app, login_as):
    from praclox.offices.columns import COLUMNS, VCARD

    client = login_as("privacy_officer")
    page = client.get("/privacy-officer/register").get_data(as_text=True)
    exports = page.split("<h2 class=\"h4 mt-4\">Exports</h2>")[1]
    table, cards = exports.split("Contactpersonen als adreskaartjes", 1)
    assert "Kantoren met hun contactpersonen <small class=\"text-body-secondary\">(CSV en XLSX)</small>" in table
    for code in COLUMNS:  # every column the file holds, by the code the import reads too
        assert f"<code class=\"small\">{code}</code>" in table
    assert "kantoornummer" in table and "voornaam" in table
    assert "De sleutel waarmee een bewerkt bestand bij het terug importeren dit kantoor bijwerkt." in table
    assert "De juiste persoon bij een kantoor bereiken." in table  # a personal field: its declared purpose
    assert "(vCard)" in cards and all(f"<code class=\"small\">{p}</code>" in cards for p in VCARD)
    assert "telefoon en mobiel" in cards and "Kinderen" not in cards and "Notities" not in cards
    client.post("/language", data={"lang": "en", "next": "/privacy-officer/register"})
    english = client.get("/privacy-officer/register").get_data(as_text=True).split(">Exports</h2>")[1]
    assert "Offices with their contacts" in english and "Contacts as address cards" in english
    assert "office number" in english and "first name" in english and "phone and mobile" in english
    assert "The key by which an edited file updates this office when it is imported back." in english
    assert "Reaching the right person at an office." in english
