"""Browser journey through data in and out (issue 14's "done when", in one journey): a consultant exports the
office list to CSV, edits one office in the file as Excel saves it, imports it back (a dry run first) without
duplicating anything, merges the demo data's two "Bakker Makelaardij" offices, and finds the contact moment the
merge moved by a word of its summary, which is encrypted at rest. Fixtures: tests/praclox_browser.py."""

from __future__ import annotations

import csv
import io
import re

import pytest
from praclox_testsupport import TEST_PASSWORD
from sqlalchemy import Text, func, select, type_coerce

from praclox.extensions import db
from praclox.offices.models import Contact, Interaction, Office

pytestmark = pytest.mark.e2e


def _counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Office)),
                db.session.scalar(select(func.count()).select_from(Contact)))


def _edit_like_excel(raw: bytes, office_name: str, city: str) -> bytes:
    """Change the city on the office's rows and save as Dutch Excel's "CSV UTF-8" does (BOM, ``;``, CRLF)."""
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    name_at, city_at = header.index("kantoor"), header.index("plaats")
    for row in rows[1:]:
        if row[name_at] == office_name:
            row[city_at] = city
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def test_export_edit_import_and_merge_two_demo_duplicates(app, runner, journey, page, make_user, tmp_path):
    assert runner.invoke(args=["demo-data", "--offices", "40", "--seed", "3"]).exit_code == 0
    before = _counts(app)
    user = make_user("staff", name="Eva Export")
    journey.login(user.email, TEST_PASSWORD)
    page.wait_for_url(re.compile(r".*/$"))

    with app.app_context():  # an office whose name is in the list once
        target = db.session.scalars(select(Office.name).group_by(Office.name).having(func.count() == 1)
                                    .order_by(Office.name)).first()
    page.goto("/offices/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporteer CSV").click()
    exported = download.value.path().read_bytes()
    assert exported.startswith("\ufeff".encode()) and b";" in exported.splitlines()[0]
    edited = tmp_path / "kantoren.csv"
    edited.write_bytes(_edit_like_excel(exported, target, "Amersfoort"))

    page.get_by_role("link", name="Importeren").click()
    page.wait_for_url("**/offices/import")
    page.set_input_files("#file", str(edited))
    page.check("#update")
    page.check("#dry_run")
    page.click("#submit")
    preview = page.locator(".import-changes")
    assert re.search(rf"wijzigt kantoor {re.escape(target)}: Plaats", preview.inner_text())
    journey.shot("import-dry-run")
    assert _counts(app) == before
    page.set_input_files("#file", str(edited))
    page.check("#update")
    page.uncheck("#dry_run")
    page.click("#submit")
    page.wait_for_url("**/offices/")
    assert "Bijgewerkt: 1 kantoor" in page.locator(".alert-success").inner_text()
    assert _counts(app) == before  # updated in place: no office and no contact twice
    page.goto(f"/offices/?q={target}")
    page.locator("table a", has_text=target).first.click()
    assert "Amersfoort" in page.locator(".office-facts").inner_text()

    page.goto("/offices/")
    page.get_by_role("link", name="Mogelijke dubbelen").click()
    page.wait_for_url("**/offices/duplicates")
    row = page.locator("table.duplicates tr", has_text="Bakker Makelaardij").first
    assert "zelfde e-mailadres" in row.inner_text()
    journey.shot("duplicates")
    merge_link = row.get_by_role("link", name="Vergelijken en samenvoegen")
    kept, other = (int(n) for n in re.findall(r"\d+", merge_link.get_attribute("href")))
    page.goto(f"/offices/{other}")  # a contact moment on the office that will be folded into the other
    log = page.locator("form[action$='/interactions']")
    log.locator("#summary").fill("Gesprek over de Zonnepanelensubsidie voor het kantoorpand.")
    log.locator("#submit").click()
    page.wait_for_url(f"**/offices/{other}")
    page.goto("/offices/duplicates")
    page.locator("table.duplicates tr", has_text="Bakker Makelaardij").first.get_by_role(
        "link", name="Vergelijken en samenvoegen").click()
    page.wait_for_url(f"**/offices/merge/{kept}/{other}")
    page.check("#keep-first")
    for field in page.locator("input[type=radio][name^=field_][value=second]").all():
        field.check()  # take every differing value from the second office
    journey.shot("merge")
    page.get_by_role("button", name="Samenvoegen").click()
    page.wait_for_url(re.compile(r".*/offices/\d+$"))
    assert "Samengevoegd" in page.locator(".alert-success").inner_text()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Office).where(
            Office.name == "Bakker Makelaardij")) == 1
    assert _counts(app)[0] == before[0] - 1 and _counts(app)[1] == before[1]

    page.get_by_role("link", name="Zoeken").first.click()
    page.wait_for_url(re.compile(r".*/search/$"))
    page.fill("input[name=q]", "zonnepanelen")
    page.press("input[name=q]", "Enter")
    result = page.locator(".search-results li").first
    assert "Contactmoment" in result.inner_text() and "Bakker Makelaardij" in result.inner_text()
    assert page.locator(".search-snippet mark").first.inner_text() == "Zonnepanelensubsidie"
    journey.shot("search-moved-moment")
    result.get_by_role("link", name="Bakker Makelaardij").click()
    page.wait_for_url(re.compile(rf".*/offices/{kept}#interaction-\d+$"))  # moved to the kept office
    assert page.get_by_text("Gesprek over de Zonnepanelensubsidie").is_visible()
    with app.app_context():  # at rest the summary is a token, not the words the search found it by
        stored = db.session.scalars(select(type_coerce(Interaction.summary, Text)).where(
            Interaction.office_id == kept)).all()
    assert stored and not any("onnepanelen" in token for token in stored)
