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


#: the same address, website and number as stored, written another way in the new office
TYPED = {"email": "  Info@Bakker-Makelaardij.NL ", "website": "https://www.Bakker-Makelaardij.nl/contact",
         "phone": "+31 (0)20 123 45 67"}
ASKED = {"email": "info@bakker-makelaardij.nl", "website": "bakker-makelaardij.nl", "phone": "020-1234567"}


def test_the_office_page_warns_of_a_twin_by_address_website_and_number_written_another_way(app, staff_client,
                                                                                          make_office):
    first = make_office("Bakker Makelaardij", **TYPED)
    second = make_office("Makelaardij Zuid", **ASKED)  # another name: only the three keys tie them
    page = staff_client.get(f"/offices/{second}").get_data(as_text=True)
    assert f"/offices/merge/{second}/{first}" in page
    assert "zelfde e-mailadres" in page and "zelfde telefoonnummer" in page and "zelfde website" in page


def test_an_office_inserted_around_the_orm_and_one_changed_later_carry_their_keys(app, make_office):
    from sqlalchemy import insert

    from praclox.offices import services, twins

    with app.test_request_context():
        db.session.execute(insert(Office), [{"name": "Bulk Kantoor", "kind": "prospect", **TYPED}])
        db.session.commit()
        bulk = db.session.scalar(select(Office).where(Office.name == "Bulk Kantoor"))
        assert (bulk.email_key, bulk.website_key, bulk.phone_key) == (
            "info@bakker-makelaardij.nl", "bakker-makelaardij.nl", "31201234567")
        found = twins.office_twins({"name": "Anders", **ASKED})
        assert [(p.second.id, p.ordered_reasons) for p in found] == [(bulk.id, ["email", "phone", "website"])]
        services.update_office(bulk, {"email": "", "website": "www.elders.nl", "phone": "030 765 4321"}, actor=None)
        db.session.commit()
        assert (bulk.email_key, bulk.website_key, bulk.phone_key) == (None, "elders.nl", "31307654321")
        assert twins.office_twins({"name": "Anders", **ASKED}) == []
        assert [p.second.id for p in twins.office_twins({"name": "Anders", "phone": "+31 30 7654321"})] == [bulk.id]


def test_one_offices_twin_check_reads_indexes_only(app, make_office):
    """The candidates' query looks each key up in an index: no statement scans the offices (SQLite's plan)."""
    from sqlalchemy import event

    from praclox.offices import twins

    for n in range(30):
        make_office(f"Kantoor {n}", email=f"info{n}@k{n}.nl", website=f"k{n}.nl", phone=f"010-55500{n:02d}",
                    kvk_number=f"{10000000 + n}")
    with app.test_request_context():
        if db.engine.dialect.name != "sqlite":
            return
        seen: list[tuple[str, object]] = []
        record = lambda _c, _cur, sql, params, *_: seen.append((sql, params))  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            found = twins.office_twins({"name": "Kantoor 7", "email": "INFO7@k7.nl", "website": "www.k7.nl",
                                        "phone": "+31 10 555 0007", "kvk_number": "10000007"})
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert [p.ordered_reasons for p in found] == [["email", "phone", "kvk_number", "website", "name"]]
        candidates = [(sql, params) for sql, params in seen if "offices.kvk_number =" in sql]
        assert len(candidates) == 1
        with db.engine.connect() as conn:
            plan = " | ".join(row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + candidates[0][0],
                                                                        candidates[0][1]))
        assert "SCAN offices" not in plan and "ix_offices_email_key" in plan, plan
