"""Importing offices and contacts from a spreadsheet: all rows or none."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from praclox.extensions import db
from praclox.offices.models import Contact, Office

GOOD = (
    "office;kind;city;office_email;office_phone;first_name;last_name;job_title;email;phone\n"
    "Jansen Accountants;client;Utrecht;info@jansen.nl;030-1234567;Petra;Bakker;directeur;petra@jansen.nl;06-12345678\n"
    "Jansen Accountants;client;Utrecht;;;Gijs;Mulder;;;\n"
    "Visser Bouw;prospect;Zwolle;;;;;;;\n"
)


def _counts(app):
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Office)),
                db.session.scalar(select(func.count()).select_from(Contact)))


def test_cli_imports_semicolon_file_with_bom(app, runner, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("\ufeff".encode() + GOOD.encode())
    result = runner.invoke(args=["import", "offices", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 offices and 2 contacts" in result.output
    assert _counts(app) == (2, 2)
    again = runner.invoke(args=["import", "offices", str(path)])
    assert "Imported 0 offices and 0 contacts; 2 contacts were already there." in again.output
    assert _counts(app) == (2, 2)


def test_comma_separated_file_matches_existing_office_by_name(app, runner, tmp_path, make_office):
    make_office("Jansen Accountants")
    path = tmp_path / "export.csv"
    path.write_text("office,first_name,last_name,email\njansen accountants,Anna,de Vries,anna@jansen.nl\n")
    result = runner.invoke(args=["import", "offices", str(path)])
    assert result.exit_code == 0, result.output
    assert _counts(app) == (1, 1)


def test_bad_file_is_rejected_whole_with_line_numbers(app, runner, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "office;kind;email\n"
        "Goed BV;client;info@goed.nl\n"
        ";client;\n"
        "Fout BV;klant-ish;geen-email\n"
    )
    result = runner.invoke(args=["import", "offices", str(path)])
    assert result.exit_code != 0
    assert "line 3: office name is missing" in result.output
    assert "line 4: kind must be prospect or client; email is not a valid e-mail address" in result.output
    assert "nothing was imported" in result.output
    assert _counts(app) == (0, 0)


def test_unknown_columns_binary_and_empty_files_are_rejected(app, runner, tmp_path):
    cases = {"cols.csv": b"office;salary\nX;1\n", "bin.csv": b"\x00\x01\x02", "empty.csv": b"",
             "latin1.csv": "office\nCaf\xe9 BV\n".encode("latin-1")}
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        result = runner.invoke(args=["import", "offices", str(path)])
        assert result.exit_code != 0, name
    assert _counts(app) == (0, 0)


def test_upload_page_imports_and_shows_errors(app, staff_client):
    response = staff_client.post("/offices/import", data={"file": (io.BytesIO(GOOD.encode()), "export.csv")},
                                 content_type="multipart/form-data")
    assert response.status_code == 302
    assert _counts(app) == (2, 2)
    bad = staff_client.post("/offices/import", data={"file": (io.BytesIO(b"office;email\nA;nope\n"), "x.csv")},
                            content_type="multipart/form-data")
    assert bad.status_code == 422 and "regel 2: email is geen geldig e-mailadres" in bad.get_data(as_text=True)
    assert _counts(app) == (2, 2)
    wrong_type = staff_client.post("/offices/import", data={"file": (io.BytesIO(b"x"), "evil.exe")},
                                   content_type="multipart/form-data")
    assert wrong_type.status_code == 422


def test_a_line_break_inside_a_quoted_cell_is_refused(app, runner, tmp_path):
    """Issue 11, finding 5: contact names reach the reminder mails; a quoted cell may hold a line break."""
    path = tmp_path / "export.csv"
    path.write_text('office;first_name;last_name\n"Jansen BV";"Petra\nUw account is geblokkeerd";Bakker\n')
    result = runner.invoke(args=["import", "offices", str(path)])
    assert result.exit_code != 0 and "first_name contains control characters" in result.output
    assert _counts(app) == (0, 0)


def _big_file(rows: int) -> bytes:
    lines = [f"Kantoor {n:04d};prospect;Utrecht;;;Piet;Rij{n:04d};;;" for n in range(rows)]
    return ("office;kind;city;office_email;office_phone;first_name;last_name;job_title;email;phone\n"
            + "\n".join(lines) + "\n").encode()


def test_a_large_web_import_shows_its_progress_while_the_rows_go_in(app, staff_client):
    app.config["IMPORT_PROGRESS_ROWS"] = 100
    response = staff_client.post("/offices/import", data={"file": (io.BytesIO(_big_file(250)), "groot.csv")},
                                 content_type="multipart/form-data")
    assert response.status_code == 200
    chunks = [chunk.decode() for chunk in response.response]
    page = "".join(chunks)
    assert "Het bestand heeft 250 rijen" in page
    steps = re.findall(r'<progress value="(\d+)" max="250">', page)
    assert steps[:3] == ["5", "10", "15"] and steps[-1] == "250" and len(steps) == 51
    assert "250 van 250 rijen geïmporteerd" in page and "Geïmporteerd: 250 nieuwe kantoren, 250 nieuwe" in page
    assert len(chunks) > 1  # sent while it ran, not in one piece at the end
    assert _counts(app) == (250, 250)


def test_a_large_file_with_a_bad_line_imports_nothing_and_says_which_line(app, staff_client):
    app.config["IMPORT_PROGRESS_ROWS"] = 100
    raw = _big_file(250).replace(b"Kantoor 0100;prospect", b"Kantoor 0100;partner")
    response = staff_client.post("/offices/import", data={"file": (io.BytesIO(raw), "groot.csv")},
                                 content_type="multipart/form-data")
    assert response.status_code == 422
    assert "regel 102" in response.get_data(as_text=True)
    assert _counts(app) == (0, 0)
