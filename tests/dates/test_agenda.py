"""The dashboard panel and the reminder digest at volume: today and the week in full, grouped by day with the
milestones first; later days show their milestones, the rest counted and linked to the month view."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine

from praclox.extensions import db

MONDAY = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 07:00 in Amsterdam


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def busy(make_office, make_contact, make_date):
    office = make_office(name="Drukke Zaak")

    def person(first: str, last: str, *date_args, **kw) -> None:
        make_date(make_contact(first, last, office_id=office), *date_args, **kw)

    person("Anna", "Aal", "birthday", 11, 23, 1990)  # today, 36
    person("Zeger", "Zwaan", "birthday", 11, 23, 1976, gender="m")  # today, 50: a milestone
    person("Bart", "Bos", "birthday", 11, 25, 1991)  # Wednesday, 35
    person("Yvo", "Yp", "wedding", 11, 25, 2001)  # Wednesday, 25 years: a milestone
    person("Carla", "Cox", "birthday", 12, 5, 1985)  # in 12 days, 41
    person("Dirk", "Dam", "birthday", 12, 5, 1988)  # in 12 days, 38
    person("Eef", "Els", "birthday", 12, 5, 1987)  # in 12 days, 39
    person("Xander", "Xu", "birthday", 12, 5, 1976, gender="m")  # in 12 days, 50: a milestone


def _between(html: str, start: str, end: str | None) -> str:
    part = html.split(start, 1)[1]
    return part.split(end, 1)[0] if end else part


def test_dashboard_shows_today_and_the_week_in_full_and_later_days_by_their_milestones(
        frozen, app, staff_client, busy):
    html = staff_client.get("/").data.decode()
    panel = html.split("Verjaardagen en jubilea", 1)[1]
    today = _between(panel, "Vandaag", "Deze week")
    week = _between(panel, "Deze week", "Komende 30 dagen")
    later = _between(panel, "Komende 30 dagen", None)
    # today in full, milestones first, each with its congratulate form
    assert today.index("Zeger Zwaan") < today.index("Anna Aal")
    assert today.count('name="how"') == 2
    # the week grouped by day, the milestone first within its day
    assert "woensdag 25 november" in week
    assert week.index("Yvo Yp") < week.index("Bart Bos")
    # a later day: its milestone shown, the three others folded into a link to that month
    assert "zaterdag 5 december" in later and "Xander Xu" in later
    for name in ("Carla Cox", "Dirk Dam", "Eef Els"):
        assert name not in html
    assert "en nog 3 op deze dag in de maandweergave" in later
    assert 'href="/dates/?year=2026&amp;month=12"' in later


def test_the_weekly_digest_is_grouped_the_same_way(frozen, app, smtp_server, make_user, busy):
    from praclox.dates import reminders
    from praclox.scheduler import run_job

    user = make_user("staff", email="wekelijks@praclox.nl", name="Wim Wekelijks")
    with app.app_context():
        reminders.set_frequency(user.id, "weekly")
        db.session.commit()
    assert run_job(app, reminders.JOB_ID).outcome == "ok"
    [message] = smtp_server.delivered()
    text = message.get_content()
    today = _between(text, "Vandaag", "Deze week")
    week = _between(text, "Deze week", "Daarna")
    later = _between(text, "Daarna", "★ markeert")
    assert today.index("Zeger Zwaan wordt 50 (Abraham)") < today.index("Anna Aal wordt 36")
    assert "woensdag 25 november" in week and week.index("Yvo Yp") < week.index("Bart Bos")
    assert "zaterdag 5 december" in later and "Xander Xu wordt 50 (Abraham)" in later
    for name in ("Carla Cox", "Dirk Dam", "Eef Els"):
        assert name not in text
    assert "en nog 3 op deze dag: http://crm.test/dates/?year=2026&month=12" in later


def test_the_dashboard_shows_an_office_rename_and_a_new_date_at_once(frozen, app, staff_client, busy,
                                                                       make_contact, make_date):
    from praclox.offices import services as office_services
    from praclox.offices.models import Office

    assert "Drukke Zaak" in staff_client.get("/").data.decode()
    frozen.shift(1)
    with app.test_request_context():
        office_services.update_office(db.session.scalar(db.select(Office)), {"name": "Stille Zaak"}, actor=None)
        db.session.commit()
    make_date(make_contact("Nieuw", "Persoon"), "birthday", 11, 24, 1980)
    html = staff_client.get("/").data.decode()
    assert "Stille Zaak" in html and "Drukke Zaak" not in html
    assert "Nieuw Persoon" in html


def test_names_in_the_week_lines_are_escaped(frozen, app, staff_client, make_office, make_contact, make_date):
    office = make_office(name="<i>Kantoor</i> & Co")
    make_date(make_contact("<b>Bold</b>", "O'Brien", office_id=office), "birthday", 11, 26, 1980)
    html = staff_client.get("/").data.decode()
    week = _between(html, "Deze week", "Komende 30 dagen")
    assert "&lt;b&gt;Bold&lt;/b&gt; O&#39;Brien" in week and "<b>Bold" not in html
    assert "&lt;i&gt;Kantoor&lt;/i&gt; &amp; Co" in week


def test_the_kept_panel_carries_each_sessions_own_token_and_its_forms_work(frozen, app, busy, login_as):
    first, second = login_as("staff"), login_as("staff")
    app.config["WTF_CSRF_ENABLED"] = True
    pages = [client.get("/").data.decode() for client in (first, second)]
    tokens = [set(re.findall(r'name="csrf_token" value="([^"]+)"', page)) for page in pages]
    assert [len(t) for t in tokens] == [1, 1] and tokens[0] != tokens[1]  # the panel is rendered once
    form = re.search(r'<form method="post" action="(/dates/\d+/congratulate)".*?</form>', pages[1], flags=re.S)
    data = {**dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(0))), "how": "call"}
    assert second.post(form.group(1), data=data).status_code == 302
    assert "gefeliciteerd: telefoon" in first.get("/").data.decode()  # the mark renders the panel again


def _reads_the_window(statement: str) -> bool:
    """The agenda's window query (every running date of the next 30 days with its contact and office)."""
    return "FROM personal_dates JOIN contacts" in statement


def _dates_panel(client) -> str:
    return client.get("/").data.decode().split("Verjaardagen en jubilea", 1)[1]


def _statements_of(app, client, path: str) -> list[str]:
    from test_per_request_work import _statements_of as statements_and_commits

    return statements_and_commits(app, client, path)[0]


def test_an_edited_date_shows_on_the_next_request(frozen, app, staff_client, busy, make_contact, make_date):
    """The kept agenda is never served after an edit: the edit moves the calendar stamp, the key of the kept
    window, in the same transaction."""
    item = make_date(make_contact("Verschoven", "Verjaardag"), "birthday", 12, 20, 1980)  # beyond the window
    assert "Verschoven Verjaardag" not in staff_client.get("/").data.decode()
    response = staff_client.post(f"/dates/{item}/edit", data={"kind": "birthday", "day": "23", "month": "11",
                                                              "year": "1980", "leap_rule": "feb28"})
    assert response.status_code == 302
    today = _between(_dates_panel(staff_client), "Vandaag", "Deze week")
    assert "Verschoven Verjaardag" in today


def test_a_renamed_contact_shows_on_the_next_request(frozen, app, staff_client, busy):
    from praclox.offices.models import Contact

    assert "Anna Aal" in staff_client.get("/").data.decode()
    with app.app_context():
        contact = db.session.scalar(db.select(Contact).where(Contact.first_name == "Anna"))
        office_id, contact_id = contact.office_id, contact.id
    page = staff_client.get(f"/offices/{office_id}/contacts/{contact_id}/edit").data.decode()
    assert 'name="first_name"' in page
    response = staff_client.post(f"/offices/{office_id}/contacts/{contact_id}/edit",
                                 data={"first_name": "Annemarie", "last_name": "Aal"})
    assert response.status_code == 302
    today = _between(_dates_panel(staff_client), "Vandaag", "Deze week")
    assert "Annemarie Aal" in today and "Anna Aal" not in today


def test_logging_a_contact_moment_does_not_make_the_dashboard_read_the_dates_again(frozen, app, staff_client, busy):
    """The window (every date of the next 30 days, expanded into occurrences) is kept per worker while the
    calendar stamp stands. Logging a contact moment changes its office's updated_at, which was part of the
    key: every logged call made every worker read and expand the window again (the load test logs a call
    every second or so)."""
    from praclox.offices.models import Contact

    staff_client.get("/")
    kept = _statements_of(app, staff_client, "/")
    assert not any(_reads_the_window(s) for s in kept), kept
    with app.app_context():
        contact = db.session.scalar(db.select(Contact).where(Contact.first_name == "Bart"))
        office_id, contact_id = contact.office_id, contact.id
    frozen.shift(60)  # the moment's office gets a later updated_at than its creation
    response = staff_client.post(f"/offices/{office_id}/interactions", data={
        "kind": "call", "occurred_on": "2026-11-23", "contact_id": str(contact_id), "summary": "Gebeld"})
    assert response.status_code == 302
    after = _statements_of(app, staff_client, "/")
    assert not any(_reads_the_window(s) for s in after), after
    # the same reads (a write may come with any request: the use counts are flushed now and then)
    assert [s for s in after if s.startswith("SELECT")] == [s for s in kept if s.startswith("SELECT")]
    page = staff_client.get("/").data.decode()
    assert "Zeger Zwaan" in _between(page.split("Verjaardagen en jubilea", 1)[1], "Vandaag", "Deze week")
    assert "Bart Bos" in page  # in the latest contact moments as well as in the week


def test_the_dashboard_reads_the_kept_agenda_with_two_statements(frozen, app, staff_client, busy):
    """The calendar stamp (the key, one primary-key read) and the shown entries' congratulation marks."""
    staff_client.get("/")
    statements = _statements_of(app, staff_client, "/")
    dates = [s for s in statements if "date_" in s or "personal_dates" in s]
    assert len(dates) == 2, dates
    assert not any("max(offices.updated_at)" in s.lower() for s in statements)


def test_a_warmed_worker_serves_its_first_dashboard_from_what_it_built(frozen, app, make_app, make_user, busy):
    """gunicorn's post_worker_init warms each worker (praclox/warmup.py): its first dashboard neither reads nor
    expands the dates, compiles no template and shows the same agenda as a worker that built it on demand."""
    from praclox_testsupport import log_in

    from praclox.warmup import warm

    user = make_user("staff")
    worker = make_app()
    spent = warm(worker)
    assert set(spent) == {"templates", "catalogues", "agenda"}
    compiled = set(worker.jinja_env.cache.keys()) if worker.jinja_env.cache is not None else set()
    assert any("main/dashboard.html" in str(key) for key in compiled)
    client = worker.test_client()
    assert log_in(client, user.email).status_code == 302
    first = _statements_of(worker, client, "/")
    assert not any(_reads_the_window(s) for s in first), first
    page = client.get("/").data.decode().split("Verjaardagen en jubilea", 1)[1]
    assert _between(page, "Vandaag", "Deze week").index("Zeger Zwaan") < page.index("Anna Aal")
    assert "Xander Xu" in page and "Carla Cox" not in page


def test_a_mark_on_a_week_line_shows_and_goes_without_changing_the_kept_agenda(frozen, app, staff_client, busy):
    """Marks are read on every request and laid over the kept days by copying only the marked day: a mark on
    Wednesday's line shows ✓, its removal takes it away again, and the page is then the page from before."""
    from praclox.dates import services
    from praclox.dates.models import PersonalDate
    from praclox.offices.models import Contact

    before = _between(_dates_panel(staff_client), "Deze week", "Komende 30 dagen")
    assert "text-success" not in before
    with app.test_request_context():
        item = db.session.scalar(db.select(PersonalDate).join(Contact).where(Contact.first_name == "Bart"))
        services.mark_congratulated(item, 2026, False, "card", actor=None)
        db.session.commit()
    week = _between(_dates_panel(staff_client), "Deze week", "Komende 30 dagen")
    line = week.split("Bart Bos", 1)[0].rsplit("<li", 1)[1]
    assert "text-success" in line and week.count("text-success") == 1
    with app.test_request_context():
        from praclox.dates.models import Congratulation

        services.unmark_congratulated(db.session.scalar(db.select(Congratulation)), actor=None)
        db.session.commit()
    assert _between(_dates_panel(staff_client), "Deze week", "Komende 30 dagen") == before
