"""The activity timeline: contact moments, follow-ups done, congratulations and new clients across offices,
newest first, filtered by user, kind, office and period, and paged."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import event, select

from praclox.extensions import db

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def log_call(client, office_id, day, summary, contact_id="0"):
    response = client.post(f"/offices/{office_id}/interactions", data={
        "kind": "call", "occurred_on": day, "contact_id": contact_id, "summary": summary})
    assert response.status_code == 302


@pytest.fixture
def history(app, frozen, staff_client, login_as, make_office):
    """Two offices; the signed-in staff member and a colleague logged calls, completed and congratulated."""
    from praclox.auth.models import User
    from praclox.dates import services as dates
    from praclox.followups import services as followups
    from praclox.offices.models import Contact, Office

    jansen = make_office("Jansen Accountants", contacts=({"first_name": "Anna", "last_name": "Aal"},))
    pieters = make_office("Pieters Fiscaal")
    colleague = login_as("staff")
    log_call(staff_client, jansen, "2026-11-02", "Eerste gesprek over de jaarrekening.", contact_id="1")
    log_call(colleague, pieters, "2026-11-10", "Pieters belde terug.")
    with app.test_request_context():
        office = db.session.get(Office, jansen)
        task = followups.create(office, {"title": "Offerte sturen", "due_on": NOW.date(),
                                         "owner_id": staff_client.user.id}, actor=None)
        birthday = dates.create_date(db.session.get(Contact, 1), {"kind": "birthday", "month": 11, "day": 20,
                                                                   "year": 1970}, actor=None)
        # the colleague congratulated on the day itself, three days ago
        with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), tick=False):
            dates.mark_congratulated(birthday, 2026, False, "card", actor=db.session.get(User, colleague.user.id))
        db.session.commit()
        task_id = task.id
    assert colleague.post(f"/offices/{pieters}/convert").status_code == 302
    frozen.shift(60)
    assert staff_client.post(f"/follow-ups/{task_id}/complete").status_code == 302
    return {"jansen": jansen, "pieters": pieters, "me": staff_client.user.id, "colleague": colleague.user.id}


def shown(client, query=""):
    page = client.get("/timeline/?" + query)
    assert page.status_code == 200, query
    text = page.get_data(as_text=True).split('<ul class="list-group timeline">', 1)[1]
    found = [(t, text.index(t)) for t in ("Offerte sturen", "Klant geworden", "Anna Aal · Verjaardag · kaart",
                                          "Pieters belde terug", "Eerste gesprek") if t in text]
    return [t for t, _at in sorted(found, key=lambda f: f[1])]


def test_the_timeline_shows_everything_newest_first(history, staff_client):
    page = staff_client.get("/timeline/").get_data(as_text=True)
    assert "Tijdlijn" in page and "Follow-up afgerond" in page
    assert shown(staff_client) == ["Offerte sturen", "Klant geworden", "Anna Aal · Verjaardag · kaart",
                                   "Pieters belde terug", "Eerste gesprek"]


def test_the_timeline_filters_by_user_kind_office_and_period(history, staff_client):
    me, colleague = history["me"], history["colleague"]
    assert shown(staff_client, f"user={me}") == ["Offerte sturen", "Eerste gesprek"]
    assert shown(staff_client, f"user={colleague}") == ["Klant geworden", "Anna Aal · Verjaardag · kaart",
                                                        "Pieters belde terug"]
    assert shown(staff_client, "kind=contact_moment") == ["Pieters belde terug", "Eerste gesprek"]
    assert shown(staff_client, "kind=follow_up_done") == ["Offerte sturen"]
    assert shown(staff_client, "kind=congratulated") == ["Anna Aal · Verjaardag · kaart"]
    assert shown(staff_client, "kind=conversion") == ["Klant geworden"]
    assert shown(staff_client, "office=pieters") == ["Klant geworden", "Pieters belde terug"]
    assert shown(staff_client, f"office_id={history['jansen']}") == [
        "Offerte sturen", "Anna Aal · Verjaardag · kaart", "Eerste gesprek"]
    assert shown(staff_client, "from=2026-11-10&to=2026-11-20") == ["Anna Aal · Verjaardag · kaart",
                                                                    "Pieters belde terug"]
    assert shown(staff_client, "from=2026-11-21") == ["Offerte sturen", "Klant geworden"]
    assert shown(staff_client, "to=2026-11-09") == ["Eerste gesprek"]
    assert shown(staff_client, f"user={colleague}&kind=contact_moment&office=PIET") == ["Pieters belde terug"]


@pytest.mark.parametrize("query", ["from=morgen", "to=2026-02-30", "from=" + "9" * 50, "to=9999-12-31",
                                   "from=0001-01-01"])
def test_a_bad_date_says_so_and_filters_nothing_by_it(history, staff_client, query):
    page = staff_client.get("/timeline/?" + query)
    assert page.status_code == 422 and "Vul een geldige datum in." in page.get_data(as_text=True)


@pytest.mark.parametrize("query", ["kind=<x>", "user=abc", "user=99999999999", "office_id=-1", "office=%25",
                                   "page=abc", "page=-3", "page=99999999999999", "office=" + "x" * 500,
                                   "after=x", "after=contact_moment:1:morgen", "after=nothing:1:2026-01-01T00:00:00",
                                   "before=contact_moment:99999999999:2026-01-01T00:00:00",
                                   "after=contact_moment:1:2026-01-01T00:00:00%2B01:00", "after=" + "9" * 500,
                                   "before=follow_up_done:1:9999-12-31T23:59:59.999999"])
def test_odd_filters_give_a_page(history, staff_client, query):
    assert staff_client.get("/timeline/?" + query).status_code == 200


def _link(page: str, label: str) -> str | None:
    found = re.search(rf'<a class="page-link" href="([^"]+)">{label}</a>', page)
    return html.unescape(found.group(1)) if found else None


def _walk(client, start: str, label: str) -> list[list[str]]:
    """The entries of every page from ``start``, following the ``label`` link to the end."""
    pages, path = [], start
    while path:
        page = client.get(path).get_data(as_text=True)
        pages.append(re.findall(r'<li class="list-group-item timeline-([a-z_]+)">.*?<a href="[^"]+">([^<]+)</a>'
                                r'.*?<div>(.*?)</div>', page, re.S))
        path = _link(page, label)
        assert len(pages) < 50
    return pages


def _skipped(statement: str, params: object) -> list[object]:
    """The rows each OFFSET of a statement skips (SQLite writes ``OFFSET ?`` with 0 after every LIMIT;
    PostgreSQL only an OFFSET that skips)."""
    if isinstance(params, dict):  # PostgreSQL: named parameters
        return [params[name] for name in re.findall(r"OFFSET %\((\w+)\)s", statement)]
    parts = statement.split("?")
    return [params[i] for i, part in enumerate(parts[:-1]) if part.rstrip().upper().endswith("OFFSET")]


def test_the_timeline_pages_by_keyset_through_ties_and_back(app, frozen, staff_client, make_office):
    """Same-day contact moments, a follow-up done at that day's midnight and congratulations at one moment: the
    older links give every entry once, in the one-page order; the newer links give the same pages back; and
    no page is read by skipping rows (no OFFSET)."""
    from praclox.dates.models import Congratulation, PersonalDate
    from praclox.followups.models import FollowUp
    from praclox.offices import services
    from praclox.offices.models import Contact, Office

    office_id = make_office("Tijd & Co", contacts=({"first_name": "Anna", "last_name": "Aal"},))
    midnight = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
    with app.test_request_context():
        office = db.session.get(Office, office_id)
        for n in range(7):
            services.log_interaction(office, kind="call", occurred_on=datetime(2026, 11, 2 - n % 2).date(),
                                     summary=f"Gesprek-{n}", contact=None, actor=None)
        for n in range(3):
            db.session.add(FollowUp(office_id=office_id, owner_id=staff_client.user.id, title=f"Taak-{n}",
                                    due_on=midnight.date(), done_at=midnight, done_by_id=staff_client.user.id))
        contact = db.session.scalars(select(Contact).where(Contact.office_id == office_id)).one()
        for n in range(3):
            day = PersonalDate(contact_id=contact.id, kind="birthday", month=1, day=1 + n, year=1980)
            db.session.add(day)
            db.session.flush()
            db.session.add(Congratulation(personal_date_id=day.id, occurrence_year=2026, how="card",
                                          by_id=staff_client.user.id, created_at=midnight))
        db.session.commit()
    app.config["PAGE_SIZE"] = 100
    everything = _walk(staff_client, "/timeline/", "Ouder")[0]
    assert len(everything) == 13
    app.config["PAGE_SIZE"] = 3
    statements: list[list[object]] = []
    with app.app_context():
        engine = db.engine
    listen = lambda conn, cursor, statement, params, *args: statements.append(_skipped(statement, params))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        older = _walk(staff_client, "/timeline/", "Ouder")
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert [len(p) for p in older] == [3, 3, 3, 3, 1]
    assert [e for p in older for e in p] == everything
    assert statements and not any(any(skipped) for skipped in statements), statements
    last = staff_client.get("/timeline/").get_data(as_text=True)
    for _ in range(4):
        last = staff_client.get(_link(last, "Ouder")).get_data(as_text=True)
    assert _link(last, "Ouder") is None
    newer = _walk(staff_client, _link(last, "Nieuwer"), "Nieuwer")
    assert newer == older[-2::-1]
    first = staff_client.get("/timeline/").get_data(as_text=True)
    assert "Nieuwer" not in first


def test_html_in_a_timeline_entry_is_shown_as_text(history, staff_client, make_office):
    log_call(staff_client, history["pieters"], "2026-11-22", "<script>alert(1)</script>")
    page = staff_client.get("/timeline/").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
