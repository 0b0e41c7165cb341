"""The activity timeline: contact moments, follow-ups done, congratulations and new clients across offices,
newest first, filtered by user, kind, office and period, and paged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from sqlalchemy import select

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
                                   "page=abc", "page=-3", "page=99999999999999", "office=" + "x" * 500])
def test_odd_filters_give_a_page(history, staff_client, query):
    assert staff_client.get("/timeline/?" + query).status_code == 200


def test_the_timeline_is_paged_in_sql(app, frozen, staff_client, make_office):
    from praclox.offices import services
    from praclox.offices.models import Office

    office_id = make_office()
    size = app.config["PAGE_SIZE"]
    with app.test_request_context():
        office = db.session.get(Office, office_id)
        for n in range(size + 2):
            services.log_interaction(office, kind="call", occurred_on=datetime(2026, 1, 1 + n % 28).date(),
                                     summary=f"Gesprek-{n:03d}", contact=None, actor=None)
        db.session.commit()
        ids = list(db.session.scalars(select(services.Interaction.id)))
    first = staff_client.get("/timeline/").get_data(as_text=True)
    second = staff_client.get("/timeline/?page=2").get_data(as_text=True)
    assert first.count("timeline-contact_moment") == size and second.count("timeline-contact_moment") == 2
    assert "Ouder" in first and "Nieuwer" not in first and "Nieuwer" in second and "Ouder" not in second
    assert len(ids) == size + 2


def test_html_in_a_timeline_entry_is_shown_as_text(history, staff_client, make_office):
    log_call(staff_client, history["pieters"], "2026-11-22", "<script>alert(1)</script>")
    page = staff_client.get("/timeline/").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
