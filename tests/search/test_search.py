"""One search box over offices, contacts and contact moments, through the keyed blind index."""

from __future__ import annotations

import re
from datetime import date

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Text, select, text, type_coerce

from praclox.extensions import db
from praclox.offices.models import Interaction
from praclox.search.models import ContactTerm, InteractionTerm, OfficeTerm

TODAY = date.today().isoformat()


def _results(client, query: str) -> str:
    page = client.get("/search/", query_string={"q": query})
    assert page.status_code == 200
    found = re.findall(r'<ul class="list-group search-results">.*?</ul>', page.get_data(as_text=True), flags=re.S)
    return found[0] if found else ""


def _log(client, office_id: int, summary: str) -> None:
    response = client.post(f"/offices/{office_id}/interactions", data={
        "kind": "call", "occurred_on": TODAY, "summary": summary})
    assert response.status_code == 302


def test_a_contact_moment_is_found_by_a_word_of_its_encrypted_summary_with_a_snippet(app, staff_client, make_office):
    office_id = make_office("Bakkerij De Korst")
    _log(staff_client, office_id, "Offerte besproken; zij willen de Kwartaalrapportage eerder ontvangen.")
    _log(staff_client, office_id, "Niets bijzonders.")
    page = _results(staff_client, "kwartaalrapportage")
    assert "Bakkerij De Korst" in page and "Contactmoment" in page
    assert "<mark>Kwartaalrapportage</mark> eerder ontvangen." in page and "Niets bijzonders" not in page
    assert "<mark>Kwartaal" in _results(staff_client, "kwartaal")  # the beginning of a word finds it too
    with app.app_context():
        stored = [str(v) for v in db.session.execute(text(
            "SELECT CAST(term AS TEXT) FROM interaction_search_terms UNION ALL SELECT summary FROM interactions"
        )).scalars()]
    assert stored and not any("wartaal" in v.lower() for v in stored)  # no plain word anywhere


def test_every_word_must_match_and_names_rank_above_notes(staff_client, make_office):
    make_office("Jansen Accountants", notes="Doet zaken met Visser")
    make_office("Visser Bouw", contacts=({"first_name": "Gijs", "last_name": "Mulder"},))
    page = _results(staff_client, "visser")
    assert page.index("Visser Bouw") < page.index("Jansen Accountants")  # a name above a note
    assert "<mark>Visser</mark>" in page
    both = _results(staff_client, "gijs mulder")
    assert "Gijs Mulder" in both and "Jansen" not in both
    assert "Niets gevonden." in _results(staff_client, "gijs jansen")  # two words in no single record
    assert "Niets gevonden." in _results(staff_client, "%")


def test_accents_and_case_do_not_matter(staff_client, make_office):
    make_office("Café Zoë", contacts=({"first_name": "Renée", "last_name": "Ångström"},))
    assert "Café Zoë" in _results(staff_client, "cafe zoe").replace("&#39;", "'")
    assert "Renée Ångström" in _results(staff_client, "ANGSTROM")


def test_an_edited_summary_is_found_by_its_new_words_only(app, staff_client, make_office):
    from praclox.offices import services

    office_id = make_office("Kok & Zn")
    _log(staff_client, office_id, "Eerste versie over vrachtwagens")
    with app.test_request_context():
        item = db.session.scalars(select(Interaction)).one()
        services.update_summary(item, "Tweede versie over fietsen", actor=None)
        db.session.commit()
    assert "Niets gevonden." in _results(staff_client, "vrachtwagens")
    assert "<mark>fietsen</mark>" in _results(staff_client, "fietsen")


def test_a_deleted_contact_leaves_no_term(app, staff_client, make_office):
    from praclox.offices import services
    from praclox.offices.models import Contact

    make_office("Weg BV", contacts=({"first_name": "Truus", "last_name": "Zoekers"},))
    assert "Truus Zoekers" in _results(staff_client, "zoekers")
    with app.test_request_context():
        services.delete_contact(db.session.scalars(select(Contact)).one(), actor=None)
        db.session.commit()
        assert db.session.scalar(select(db.func.count()).select_from(ContactTerm)) == 0
    assert "Niets gevonden." in _results(staff_client, "zoekers")


def test_the_search_looks_terms_up_by_index_and_never_scans(app, make_office):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgres"):
        pytest.skip("the plan of a tiny PostgreSQL table is a sequential scan whatever its indexes")
    from praclox.search import blind
    from praclox.search.index import BY_NAME, index_key
    from praclox.search.services import contact_ids, matching, office_condition

    make_office("Plan BV")
    with app.app_context():
        for query in ("plan", "plan bv"):
            words = blind.query_words(index_key(), query)
            # the grouped ranking, the office list's and the contacts list's filters
            statements = [matching(BY_NAME[name], words) for name in BY_NAME]
            statements += [select(text("1")).where(office_condition(words)), contact_ids(query)]
            for stmt in statements:
                compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
                plan = " ".join(str(r[-1]) for r in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
                assert re.search(r"_search_terms USING (COVERING INDEX|INDEX|PRIMARY KEY)", plan), plan
                assert not re.search(r"SCAN \w+_search_terms(?! USING)", plan), plan


def test_reindex_builds_the_index_of_rows_written_in_bulk_and_shows_progress(app, runner, staff_client):
    from sqlalchemy import insert

    from praclox.offices.models import Office

    with app.app_context():
        db.session.execute(insert(Office), [{"name": f"Bulkkantoor {n}", "kind": "client"} for n in range(3)])
        db.session.commit()
    assert "Niets gevonden." in _results(staff_client, "bulkkantoor")  # written around the ORM: not indexed
    result = runner.invoke(args=["search", "reindex", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "Indexing records: 0/3 (0%)" in result.output and "Indexed 3 record(s)." in result.output
    assert _results(staff_client, "bulkkantoor").count("<mark>Bulkkantoor</mark>") == 3


def _terms(app) -> set[int]:
    with app.app_context():
        models = (OfficeTerm, ContactTerm, InteractionTerm)
        return {t for model in models for t in db.session.scalars(select(model.term))}


def test_key_rotation_rebuilds_the_index_under_the_new_key(app, app_config, staff_client, make_office, make_app):
    office_id = make_office("Roteer BV")
    _log(staff_client, office_id, "Gesprek over de jaarafsluiting")
    before = _terms(app)
    new_key, old_key = Fernet.generate_key().decode(), app_config["ENCRYPTION_KEYS"]
    both = make_app(ENCRYPTION_KEYS=f"{new_key},{old_key}")
    with both.test_request_context():
        from praclox.search import services

        # until the rotation the index stays under the key that built it, for new records too
        assert [r.kind for r in services.search("jaarafsluiting").results] == ["interaction"]
    result = both.test_cli_runner().invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert "search_index: 2 values checked" in result.output
    after = _terms(both)
    assert after and not after & before
    only_new = make_app(ENCRYPTION_KEYS=new_key)
    with only_new.test_request_context():
        assert [r.kind for r in services.search("jaarafsluiting").results] == ["interaction"]
    with app.app_context():
        tokens = db.session.scalars(select(type_coerce(Interaction.summary, Text))).all()
    assert tokens and all(t.startswith("gAAAA") for t in tokens)


def test_a_common_word_is_paged_and_ranked_as_ranking_every_match_would(app, staff_client, make_office):
    """A one-word search reads per kind only the best ids up to the page, in the index's order; it shows what
    ranking every match (the grouped query of a several-word search) shows."""
    from praclox.search import blind, services
    from praclox.search.index import KINDS, index_key

    office_id = make_office("Zoekbaar Kantoor", notes="Jaarrekeningen en de jaarrekening", contacts=(
        {"first_name": "Rik", "last_name": "Cijfers", "job_title": "Jaarrekeningspecialist"},))
    make_office("Jaarrekening Partners")
    for n in range(services.PAGE_SIZE + 5):  # whole words and longer words that begin with it
        _log(staff_client, office_id, f"Moment {n}: de jaarrekening besproken" if n % 3 else f"Jaarrekeningen {n}")
    first = staff_client.get("/search/?q=jaarrekening").get_data(as_text=True)
    assert first.count('<li class="list-group-item">') == services.PAGE_SIZE
    assert first.index("Jaarrekening Partners") < first.index("Zoekbaar Kantoor")  # a name above a note
    assert "/search/?q=jaarrekening&amp;page=2" in first and 'rel="prev"' not in first
    second = staff_client.get("/search/?q=jaarrekening&page=2").get_data(as_text=True)
    assert second.count('<li class="list-group-item">') == 28 - services.PAGE_SIZE and 'rel="next"' not in second
    assert "Rik Cijfers" in first + second
    assert "<mark>Jaarrekeningen</mark> 0" in second  # found by the beginning of a word: ranked last
    for bad in ("0", "-3", "x", "99999999999999999999"):  # any page number gives a page, never a 500
        assert staff_client.get(f"/search/?q=jaarrekening&page={bad}").status_code == 200
    with app.test_request_context():
        words = blind.query_words(index_key(), "jaarrekening")
        for kind in KINDS:
            grouped = services.matching(kind, words)
            grouped = grouped.order_by(grouped.selected_columns.score.desc(),
                                       grouped.selected_columns.record_id.desc())
            everything = [(score, record_id) for record_id, score in db.session.execute(grouped)]
            assert everything, kind.name
            for limit in (1, 3, 40):
                assert services._ranked(kind, words, limit) == everything[:limit], kind.name


def test_several_very_common_words_rank_the_newest_records_holding_the_rarest(staff_client, make_office,
                                                                               monkeypatch):
    from praclox.search import services

    monkeypatch.setattr(services, "CANDIDATES", 3)
    office_id = make_office("Drukke Praktijk")
    for n in range(5):
        _log(staff_client, office_id, f"Balans {n} en winstcijfers besproken")
    _log(staff_client, office_id, "Balans zonder het andere woord")
    _log(staff_client, office_id, "Oude zaak: balans, winstcijfers en de erfpacht")
    for n in range(4):
        _log(staff_client, office_id, f"Nieuwe balans {n} met winstcijfers")
    common = _results(staff_client, "balans winstcijfers")  # both in more than 3 moments: the newest 3
    assert common.count("<mark>") == 3 and all(f"<mark>balans</mark> {n} met" in common for n in (1, 2, 3))
    rare = _results(staff_client, "balans erfpacht")  # one word in 1 moment: every match is found
    assert rare.count("<mark>") == 1 and "Oude zaak" in rare
    assert "Niets gevonden." in _results(staff_client, "balans onbekendwoord")


def _search_statements(app, client, query: str) -> list[str]:
    from sqlalchemy import event

    statements: list[str] = []

    def on_execute(conn, cursor, statement, *args) -> None:
        statements.append(" ".join(statement.split()))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        assert client.get("/search/", query_string={"q": query}).status_code == 200
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", on_execute)
    every_page = ("SELECT users.", "SELECT user_sessions.", "SELECT settings.", "SELECT user_roles.")
    return [s for s in statements if not s.startswith(every_page)]


def _statements_as_matches_grow(app, client, make_office, query: str, summary: str) -> tuple[list[str], list[str]]:
    """The statements of a search before and after 30 more contact moments match it."""
    office_id = make_office("Telkantoor", contacts=({"first_name": "Tel", "last_name": "Telders"},))
    _log(client, office_id, "Telling van de voorraad")
    few = _search_statements(app, client, query)
    for n in range(30):
        _log(client, office_id, summary.format(n))
    return few, _search_statements(app, client, query)


def test_a_one_word_search_is_one_ranking_statement_and_one_load_per_kind_shown(app, staff_client, make_office):
    """However many records hold the word: the key's check, one statement ranking every kind, and the shown
    records of each kind loaded with their office (and contact) in one statement."""
    few, many = _statements_as_matches_grow(app, staff_client, make_office, "tel", "Telling {}")
    assert len(few) == len(many) == 5, many  # state, ranking, offices, contacts, moments
    assert sum(" UNION ALL " in s for s in many) == 1


def test_several_words_rank_as_grouping_every_match_would(app, staff_client, make_office):
    """The candidates of the rarest word with a look-up per other word give the ranking the grouped query over
    every posting gives, for every kind (weights: a name above a note; whole words above beginnings)."""
    from praclox.search import blind, services
    from praclox.search.index import KINDS, index_key

    first = make_office("Balans Winst", notes="winstcijfers en de balans", contacts=(
        {"first_name": "Winst", "last_name": "Balansman"}, {"first_name": "Bas", "last_name": "Balans",
                                                           "job_title": "winst"}))
    make_office("Winstgevend Kantoor", notes="balanstotaal")
    make_office("Alleen Balans")
    for n in range(12):
        _log(staff_client, first, ["Balans en winst", "balansen winstcijfers", "winst zonder het andere",
                                   "Balanstotaal met winstgevend"][n % 4] + f" {n}")
    with app.test_request_context():
        for query in ("balans winst", "winst balans", "balans winst en", "bal win"):
            words = blind.query_words(index_key(), query)
            for kind in KINDS:
                grouped = services.matching(kind, words)
                grouped = grouped.order_by(grouped.selected_columns.score.desc(),
                                           grouped.selected_columns.record_id.desc())
                everything = [(score, record_id) for record_id, score in db.session.execute(grouped)]
                assert everything or query == "balans winst en", (query, kind.name)
                for limit in (1, 2, 40):
                    assert services._ranked(kind, words, limit) == everything[:limit], (query, kind.name)


def test_a_search_of_several_words_takes_the_same_statements_however_common_they_are(app, staff_client,
                                                                                      make_office):
    """The key's check, the capped posting counts, one ranking of every kind, and one load per kind shown."""
    few, many = _statements_as_matches_grow(app, staff_client, make_office, "tel voorraad",
                                            "Telling {} van de voorraad")
    assert len(few) == len(many) == 4, many  # state, counts, ranking, moments (offices and contacts: none)
    assert "<mark>Telling</mark> 29 van de voorraad" in _results(staff_client, "tel voorraad")


def test_a_word_is_ranked_from_the_index_alone_without_sorting_its_records(app, make_office):
    """SQLite's plan of the one-word ranking: every branch an index walk in the rank's order (offices and contacts
    by (term, weight, record), contact moments by the primary key), no sort of a common name's records."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgres"):
        pytest.skip("the plan of a tiny PostgreSQL table is a sequential scan whatever its indexes")
    from praclox.search import services
    from praclox.search.index import KINDS

    make_office("Plan BV", contacts=({"first_name": "Plan", "last_name": "Planner"},))
    with app.app_context():
        stmt = services._one_word_statement(KINDS, True).params(whole=1, prefix=2, limit=21)
        compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = " | ".join(str(r[-1]) for r in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
        for table in ("office_search_terms", "contact_search_terms"):
            assert f"SEARCH {table} USING COVERING INDEX ix_{table}_rank" in plan, plan
        assert re.search(r"SEARCH interaction_search_terms USING (COVERING INDEX|PRIMARY KEY)", plan), plan
        assert "TEMP B-TREE" not in plan, plan
