"""Files in and out: CSV exports a spreadsheet cannot run, and uploads with a size limit, content checks and
no user file name on disk (ASVS V5.2.2, V5.3.10 (CSV injection), V12.1.1, V12.2.1, V12.3.1)."""

from __future__ import annotations

import csv
import io
import os

import pytest
from sqlalchemy import func, select

from praclox.csvutil import write_csv
from praclox.extensions import db
from praclox.offices.models import Office

HEADER = "office,kind,city,office_email,office_phone,first_name,last_name,job_title,email,phone\n"


@pytest.mark.parametrize("cell", ["=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\t=1", "\r=1",
                                  '=HYPERLINK("http://evil.example","x")'])
def test_every_formula_cell_of_a_csv_export_is_neutralised(cell):
    text = write_csv(["name", cell], [[cell, "plain"]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][1] == "'" + cell and rows[1][0] == "'" + cell and rows[1][1] == "plain"


def _office_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Office))


def _files_under(path):
    return sorted(os.path.join(d, f) for d, _dirs, files in os.walk(path) for f in files)


def test_an_upload_over_the_size_limit_is_refused_with_413(app, staff_client):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    big = HEADER + "Groot Kantoor,client,Utrecht,,,,,,,\n" * 400
    response = staff_client.post("/offices/import", data={"file": (io.BytesIO(big.encode()), "big.csv")},
                                 content_type="multipart/form-data")
    assert response.status_code == 413
    assert _office_count(app) == 0


def test_a_binary_file_named_csv_is_refused(app, staff_client):
    fake = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    response = staff_client.post("/offices/import", data={"file": (io.BytesIO(fake), "offices.csv")},
                                 content_type="multipart/form-data")
    assert response.status_code == 422
    assert _office_count(app) == 0


def test_the_uploaded_file_name_never_touches_the_disk(app, staff_client, tmp_path):
    before = _files_under(tmp_path)
    data = (HEADER + "Padvinder BV,client,Utrecht,,,,,,,\n").encode()
    response = staff_client.post(
        "/offices/import", data={"file": (io.BytesIO(data), "../../../../tmp/evil-name.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert _office_count(app) == 1
    after = [p for p in _files_under(tmp_path) if p not in before]
    assert not any("evil-name" in p for p in after)
    assert not os.path.exists("/tmp/evil-name.csv")


def test_every_csv_response_says_text_csv_with_one_charset(app, login_as, make_office):
    """Issue 11 finding 14 (ASVS 14.4.1): ``text/csv; charset=utf-8`` once, on every CSV any GET answers with
    (the retention and newsletter exports said the charset twice)."""
    from security_walk import ALL_ROLES, rules, seed_records, url_for_rule

    seed_records(app)
    client = login_as(*ALL_ROLES)
    found, wrong = set(), []
    for rule, _method in rules(app, ("GET",)):
        if rule.endpoint in ("static", "bootstrap.static"):
            continue
        response = client.get(url_for_rule(rule))
        types = response.headers.getlist("Content-Type")
        if rule.rule.endswith(".csv") or any("csv" in t for t in types):
            found.add(rule.endpoint)
            if types != ["text/csv; charset=utf-8"]:
                wrong.append((rule.rule, response.status_code, types))
        response.close()
    assert not wrong, wrong
    assert {"privacy.audit_csv", "privacy.register_csv", "registrations.export", "retention.export_csv"} <= found
