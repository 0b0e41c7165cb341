"""One office's likely twins (the office page's warning, the create form, the import) are found in the same
blocks, by the same normal form of the name, as on the duplicates page: "De Groot Techniek" and "Groot
Techniek" differ in their first letters as typed, not in their normal form."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from praclox.extensions import db
from praclox.offices.models import Office

#: pairs whose first four letters as typed differ: an article, a legal form in front, an accent, punctuation
PAIRS = (("De Groot Techniek", "Groot Techniek"), ("B.V. Bakkershuis", "Bakkershuis"),
         ("Het Kantoor Zuid", "Kantoor-Zuid B.V."), ("Café Zoë", "CAFE ZOE"))


def _office_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Office))


def test_the_office_page_warns_of_a_twin_whose_name_starts_differently(app, staff_client, make_office):
    for first_name, second_name in PAIRS:
        first, second = make_office(first_name), make_office(second_name)
        for shown, other in ((first, second), (second, first)):
            page = staff_client.get(f"/offices/{shown}").get_data(as_text=True)
            assert "Dit kantoor staat misschien dubbel in de lijst" in page, (first_name, second_name)
            assert f"/offices/merge/{shown}/{other}" in page and "bijna dezelfde naam" in page
    lone = make_office("Groot Transport")  # the same block ("groo"), another name: no twin
    assert "Dit kantoor staat misschien" not in staff_client.get(f"/offices/{lone}").get_data(as_text=True)


def test_the_single_office_check_finds_what_the_duplicates_page_finds_for_that_office(app, make_office):
    from praclox.offices import twins
    from praclox.offices.services import OFFICE_FIELDS

    names = [n for pair in PAIRS for n in pair] + ["Groot Transport", "Kantoor Zuid 2", "Kantoor Zuid 3",
                                                  "De Vries", "Vries & Zn", "het", "Bakkershuis Noord"]
    for name in names:
        make_office(name)
    with app.test_request_context():
        listed: dict[int, set[int]] = {}
        for pair in twins.office_pairs():
            if "name" in pair.reasons:
                listed.setdefault(pair.first, set()).add(pair.second)
                listed.setdefault(pair.second, set()).add(pair.first)
        assert listed  # the pairs above are on the duplicates page
        for office in db.session.scalars(select(Office)):
            data = {f: getattr(office, f) for f in OFFICE_FIELDS}
            found = {p.second.id for p in twins.office_twins(data, exclude_id=office.id, limit=100)
                     if "name" in p.reasons}
            assert found == listed.get(office.id, set()), office.name


def test_creating_an_office_whose_name_starts_with_an_article_asks_first(app, staff_client, make_office):
    make_office("Groot Techniek")
    page = staff_client.post("/offices/new", data={"kind": "prospect", "name": "De Groot Techniek"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Nog niet opgeslagen: dit lijkt op iets wat je al hebt." in text and "bijna dezelfde naam" in text
    assert _office_count(app) == 1


def test_the_import_stops_at_a_twin_whose_name_starts_differently(app, runner, staff_client, make_office, tmp_path):
    make_office("Groot Techniek")
    path = tmp_path / "new.csv"
    path.write_text("office;city\nDe Groot Techniek B.V.;Utrecht\n")
    refused = runner.invoke(args=["import", "offices", str(path)])
    assert refused.exit_code == 1
    assert ("line 2: new office De Groot Techniek B.V. looks like office #1 Groot Techniek (nearly the same name)"
            in refused.output) and _office_count(app) == 1
    response = staff_client.post("/offices/import", content_type="multipart/form-data",
                                 data={"file": (io.BytesIO(path.read_bytes()), "x.csv")})
    assert response.status_code == 200 and "lijken op kantoren die je al hebt" in response.get_data(as_text=True)
    assert _office_count(app) == 1


def test_a_renamed_office_moves_to_its_new_block(app, staff_client, make_office):
    from praclox.offices import services

    first, second = make_office("Jansen Accountants"), make_office("De Groot Techniek")
    assert "Dit kantoor staat misschien" not in staff_client.get(f"/offices/{second}").get_data(as_text=True)
    with app.test_request_context():
        services.update_office(db.session.get(Office, first), {"name": "Groot Techniek B.V."}, actor=None)
        db.session.commit()
    assert f"/offices/merge/{second}/{first}" in staff_client.get(f"/offices/{second}").get_data(as_text=True)
