"""The use analysis as staff, recruiters and admins see it: pages, tables, CSV files, the small-count rule."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from babel.dates import format_date

from praclox.extensions import db


def _table(page: str, chart: str) -> dict[str, list[str]]:
    """The numbers table beside a chart: category -> shown values."""
    figure = page.split(f'id="chart-{chart}"', 1)[1].split("</figure>", 1)[0]
    body = figure.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        head = re.search(r"<th[^>]*>(.*?)</th>", row, re.S).group(1).strip()
        rows[head] = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return rows


def _csv(response) -> list[list[str]]:
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def log_moment(app, make_office):
    from praclox.offices import services
    from praclox.offices.models import Office

    def factory(office_id: int, kind: str, day: date) -> None:
        with app.test_request_context():
            services.log_interaction(db.session.get(Office, office_id), kind=kind, occurred_on=day,
                                     summary="Spoke about the invoice", contact=None, actor=None)
            db.session.commit()

    return factory


@pytest.fixture
def applicants(app):
    from praclox.applicants import services

    def factory(title: str, count: int, *, rejected: int = 0) -> None:
        with app.test_request_context():
            vacancy = services.create_vacancy(title, actor=None)
            reason = services.create_reason("Other candidate chosen", actor=None) if rejected else None
            for n in range(count):
                applicant = services.create_applicant({"vacancy_id": vacancy.id, "name": f"Applicant {n}",
                                                       "applied_on": date.today() - timedelta(days=20)}, actor=None)
                if n < rejected:
                    services.change_status(applicant, "rejected", reason=reason, actor=None)
            db.session.commit()

    return factory


def test_a_logged_contact_moment_moves_the_bar_of_its_month_and_kind(app, staff_client, make_office, log_moment):
    office = make_office()
    month = format_date(date.today(), "MMM yyyy", locale="nl")
    before = _table(staff_client.get("/stats/contacts").get_data(as_text=True), "moments")[month]
    log_moment(office, "visit", date.today())
    page = staff_client.get("/stats/contacts").get_data(as_text=True)
    after = _table(page, "moments")[month]
    assert before == ["0", "0", "0", "0", "0"]
    assert after == ["0", "0", "1", "0", "0"]  # call, meeting, visit, e-mail, other
    assert 'class="stats-s2"' in page and "Bezoek: 1" in page  # the visit's bar, titled with its number


def test_offices_are_banded_by_their_last_contact_moment(app, staff_client, make_office, log_moment):
    recent, old = make_office("Recent BV"), make_office("Old BV")
    make_office("Never BV")
    log_moment(recent, "call", date.today())
    log_moment(old, "call", date.today() - timedelta(days=200))
    table = _table(staff_client.get("/stats/contacts").get_data(as_text=True), "drift")
    assert table["minder dan 1 maand"] == ["0", "1"]  # clients, prospects
    assert table["6 tot 12 maanden"] == ["0", "1"] and table["nooit"] == ["0", "1"]


def test_small_counts_of_applicants_show_as_less_than_five_on_the_page_and_in_the_csv(app, login_as, applicants):
    applicants("Developer", 3, rejected=2)
    applicants("Tester", 6)
    client = login_as("recruiter")
    page = client.get("/stats/recruitment").get_data(as_text=True)
    funnel = _table(page, "funnel")
    assert funnel["Developer"][0] == "&lt; 5" and funnel["Developer"][4] == "&lt; 5"  # new, rejected
    assert funnel["Tester"][0] == "6"
    assert _table(page, "reasons")["Other candidate chosen"] == ["&lt; 5"]
    # the chart draws no bar for a hidden count, so its size does not give the number away either
    assert "<title>Tester, Nieuw: 6</title>" in page and "<title>Developer, " not in page
    rows = _csv(client.get("/stats/recruitment/funnel.csv"))
    assert rows[0][0] == "Vacature" and ["Developer", "< 5", "0", "0", "0", "< 5", "0"] in rows


def test_the_threshold_is_a_setting(app, login_as, applicants, admin_client):
    applicants("Developer", 3)
    admin_client.post("/admin/settings/", data={"stats.small_count_threshold": "3"})
    page = login_as("recruiter").get("/stats/recruitment").get_data(as_text=True)
    assert _table(page, "funnel")["Developer"][0] == "3"


def test_csv_download_is_dutch_excel_friendly_and_neutralised(app, login_as, applicants):
    applicants("=HYPERLINK(\"http://x\")", 6)
    response = login_as("admin").get("/stats/recruitment/funnel.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert rows[1][0].startswith("'=HYPERLINK")


def test_averages_use_a_decimal_comma_in_dutch_csv(app, staff_client, make_office):
    from praclox.offices.models import Office
    from praclox.wishes import services

    office_id = make_office()
    with app.test_request_context():
        office = db.session.get(Office, office_id)
        for days in (2, 3):
            services.create_wish(office, {"title": "Export", "status": "done", "priority": "normal",
                                          "requested_on": date.today() - timedelta(days=days)}, actor=None)
        db.session.commit()
    rows = _csv(staff_client.get("/stats/wishes/done.csv"))
    assert rows[-1][1:] == ["2,5", "2"]


def test_a_bad_period_says_what_is_wrong_and_shows_the_default(app, staff_client):
    response = staff_client.get("/stats/contacts?from=2026-13&to=2026-01")
    assert response.status_code == 422
    assert "Geef een maand als jaar-maand" in response.get_data(as_text=True)
    response = staff_client.get("/stats/contacts?from=2026-05&to=2026-01")
    assert response.status_code == 422
    assert "De laatste maand ligt voor de eerste maand." in response.get_data(as_text=True)
    assert staff_client.get("/stats/contacts?from=2020-01&to=2026-01").status_code == 422


def test_a_chosen_period_gives_its_months(app, staff_client):
    page = staff_client.get("/stats/contacts?from=2025-11&to=2026-02").get_data(as_text=True)
    assert list(_table(page, "moments")) == ["nov 2025", "dec 2025", "jan 2026", "feb 2026"]


def test_who_sees_which_analysis(app, login_as):
    staff = login_as("staff")
    index = staff.get("/stats/").get_data(as_text=True)
    assert "Contactmomenten" in index and "Werving" not in index
    assert staff.get("/stats/recruitment").status_code == 403
    recruiter = login_as("recruiter")
    index = recruiter.get("/stats/").get_data(as_text=True)
    assert "Werving" in index and "Contactmomenten" not in index
    assert recruiter.get("/stats/contacts").status_code == 403
    assert login_as("privacy_officer").get("/stats/").status_code == 403
    assert staff.get("/stats/nothing").status_code == 404
    assert staff.get("/stats/contacts/nothing.csv").status_code == 404


def test_every_page_renders_in_dutch_and_english(app, login_as):
    from praclox.stats.pages import PAGES

    dutch = {"contacts": "Contactmomenten", "wishes": "Gevraagde diensten", "clients": "Klanten en prospects",
             "followups": "Follow-ups", "website": "Websiteregistraties", "usage": "Gebruik van het CRM",
             "recruitment": "Werving"}
    english = {key: str(page.title) for key, page in PAGES.items()}
    client = login_as("admin")
    for titles in (dutch, english):
        for key in PAGES:
            url = "/stats/recruitment" if key == "recruitment" else f"/stats/{key}"
            response = client.get(url)
            assert response.status_code == 200, key
            assert f'<h1 class="h3 mb-1">{titles[key]}</h1>' in response.get_data(as_text=True), (key, titles[key])
        client.post("/language", data={"lang": "en", "next": "/stats/contacts"})
    page = client.get("/stats/contacts").get_data(as_text=True)
    assert "Contact moments per month, by kind" in page and "less than 1 month" in page


def test_page_use_is_counted_per_endpoint_and_day_with_nobody_in_it(app, staff_client):
    from sqlalchemy import select

    from praclox.stats.models import EndpointUse

    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        # buffered: the test client then reads and closes the response, as every WSGI server does
        staff_client.get("/offices/", buffered=True)
        staff_client.get("/offices/", buffered=True)
        traveller.shift(timedelta(seconds=61))
        staff_client.get("/follow-ups/", buffered=True)
    with app.app_context():
        rows = {(r.endpoint, r.count) for r in db.session.scalars(select(EndpointUse))}
        columns = {c.name for c in EndpointUse.__table__.columns}
    assert ("offices.index", 2) in rows and ("followups.index", 1) in rows
    assert columns == {"day", "endpoint", "count"}
    table = _table(staff_client.get("/stats/usage").get_data(as_text=True), "endpoints")
    assert table["Kantoren"] == ["2", "offices.index"]


def test_page_use_names_each_page_by_its_title_in_the_readers_language_and_the_csv_adds_the_endpoint(
        app, staff_client):
    from praclox.clock import today
    from praclox.stats import services

    with app.test_request_context():
        # a navigation link's page, a page by its template's title, a page titled by its record, no page at all
        services.add_uses({(today(), "offices.index"): 9, (today(), "applicants.vacancies"): 7,
                           (today(), "offices.detail"): 5, (today(), "gone.endpoint"): 3})
        db.session.commit()
    dutch = _table(staff_client.get("/stats/usage").get_data(as_text=True), "endpoints")
    assert dutch == {"Kantoren": ["9", "offices.index"], "Vacatures": ["7", "applicants.vacancies"],
                     "offices.detail": ["5", "offices.detail"], "gone.endpoint": ["3", "gone.endpoint"]}
    rows = _csv(staff_client.get("/stats/usage/endpoints.csv"))
    assert rows[0] == ["Pagina of actie", "Keer gebruikt", "Technische naam"]
    assert rows[1:3] == [["Kantoren", "9", "offices.index"], ["Vacatures", "7", "applicants.vacancies"]]
    staff_client.post("/language", data={"lang": "en", "next": "/stats/usage"})
    english = _table(staff_client.get("/stats/usage").get_data(as_text=True), "endpoints")
    assert english["Offices"] == ["9", "offices.index"] and english["Vacancies"] == ["7", "applicants.vacancies"]
    assert english["gone.endpoint"] == ["3", "gone.endpoint"]
    rows = _csv(staff_client.get("/stats/usage/endpoints.csv"))
    assert rows[0] == ["Page or action", "Uses", "Endpoint"] and rows[1] == ["Offices", "9", "offices.index"]


def test_old_page_use_counts_are_purged_after_the_retention(app):
    from sqlalchemy import func, select

    from praclox.audit.models import AuditEntry
    from praclox.stats import services
    from praclox.stats.models import EndpointUse

    with app.test_request_context():
        services.add_uses({(date.today() - timedelta(days=800), "offices.index"): 4,
                           (date.today(), "offices.index"): 1})
        db.session.commit()
        assert services.purge_job() == {"purged": 1}
        assert db.session.scalar(select(func.count()).select_from(EndpointUse)) == 1
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.record_type == "endpoint_uses")) == 1


def test_the_register_declares_the_page_use_counts(app, login_as):
    page = login_as("privacy_officer").get("/privacy-officer/register").get_data(as_text=True)
    assert "endpoint_uses.endpoint" in page and "24 maanden bewaard, daarna verwijderd." in page


def test_a_conversion_counts_in_its_quarter_with_the_days_since_the_first_contact(app, staff_client, make_office,
                                                                                  log_moment):
    from praclox.offices import services
    from praclox.offices.models import Office

    office_id = make_office("Prospect BV")
    log_moment(office_id, "call", date.today() - timedelta(days=10))
    with app.test_request_context():
        services.convert_to_client(db.session.get(Office, office_id), actor=None)
        db.session.commit()
    today = date.today()
    quarter = f"{today.year} K{(today.month - 1) // 3 + 1}"
    page = staff_client.get("/stats/clients").get_data(as_text=True)
    assert _table(page, "converted")[quarter] == ["1", "10,0"]
    assert _table(page, "gained")[quarter] == ["1", "1", "0"]  # added, new clients, deleted


def test_the_week_heatmap_counts_in_local_time_in_summer_and_winter(app, staff_client, make_office, log_moment):
    office = make_office()
    for moment in ("2026-07-06 08:30:00+00:00", "2026-01-05 08:30:00+00:00"):  # two Mondays, 08:30 UTC
        with time_machine.travel(moment, tick=False):
            log_moment(office, "call", date.fromisoformat(moment[:10]))
    table = _table(staff_client.get("/stats/contacts?from=2026-01&to=2026-07").get_data(as_text=True), "week")
    assert table["10"][0] == "1" and table["09"][0] == "1"  # Monday: 10:30 summer time, 09:30 winter time
    assert sum(int(v) for row in table.values() for v in row) == 2


def test_the_week_heatmap_puts_a_moment_logged_on_the_hour_in_that_hour_of_the_local_day(
        app, staff_client, make_office, log_moment):
    office = make_office()
    # Sunday 22:00:00 UTC in summer is Monday 00:00 local; Sunday 22:59:59 UTC in winter is still Sunday, 23h
    for moment in ("2026-07-05 22:00:00+00:00", "2026-01-04 22:59:59+00:00"):
        with time_machine.travel(moment, tick=False):
            log_moment(office, "call", date.fromisoformat(moment[:10]))
    table = _table(staff_client.get("/stats/contacts?from=2026-01&to=2026-07").get_data(as_text=True), "week")
    assert table["00"] == ["1", "0", "0", "0", "0", "0", "0"]  # Monday first
    assert table["23"] == ["0", "0", "0", "0", "0", "0", "1"]  # Sunday last
    assert sum(int(v) for row in table.values() for v in row) == 2


@pytest.fixture
def managed_office(app, make_office, make_user):
    """``factory(name, manager=None, tag=None) -> office id``: an office with an account manager and a tag."""
    from praclox.offices import services
    from praclox.offices.models import Office

    def factory(name: str, manager: object = None, tag: str | None = None) -> int:
        office_id = make_office(name)
        with app.test_request_context():
            office = db.session.get(Office, office_id)
            if manager is not None:
                services.update_office(office, {"name": name, "visit_city": "Utrecht",
                                                "account_manager_id": manager.id}, actor=None)
            if tag is not None:
                found = services.tag_named(tag) or services.create_tag(tag, "sector", actor=None)
                services.add_tag(services.one_office(office), found, actor=None)
            db.session.commit()
        return office_id

    return factory


def test_the_account_manager_and_tag_filters_count_only_those_offices(app, staff_client, make_user, managed_office,
                                                                     log_moment):
    manager = make_user("staff", name="Mona Manager")
    mine = managed_office("Van Mona BV", manager=manager, tag="Zorg")
    other = managed_office("Zonder beheerder BV", tag="Bouw")
    log_moment(mine, "visit", date.today())
    log_moment(other, "call", date.today())
    month = format_date(date.today(), "MMM yyyy", locale="nl")
    everyone = staff_client.get("/stats/contacts").get_data(as_text=True)
    assert _table(everyone, "moments")[month] == ["1", "0", "1", "0", "0"]
    assert _table(everyone, "managers") == {"Mona Manager": ["0", "0", "1", "0", "0"],
                                            "Zonder accountmanager": ["1", "0", "0", "0", "0"]}
    assert _table(everyone, "tags") == {"Bouw": ["1", "0", "0", "0", "0"], "Zorg": ["0", "0", "1", "0", "0"]}
    hers = staff_client.get(f"/stats/contacts?manager={manager.id}").get_data(as_text=True)
    assert _table(hers, "moments")[month] == ["0", "0", "1", "0", "0"]
    with app.app_context():
        from praclox.offices.services import tag_named

        building = tag_named("Bouw").id
    tagged = staff_client.get(f"/stats/contacts?tag={building}")
    assert _table(tagged.get_data(as_text=True), "moments")[month] == ["1", "0", "0", "0", "0"]
    rows = _csv(staff_client.get(f"/stats/contacts/moments.csv?tag={building}"))
    assert rows[-1][1:] == ["1", "0", "0", "0", "0"]


def test_an_unknown_account_manager_or_tag_is_refused_with_a_clear_error(app, staff_client, make_user):
    deactivated = make_user("recruiter", name="Alleen Werving")
    for query, message in ((f"manager={deactivated.id}", "Kies een accountmanager uit de lijst."),
                           ("manager=abc", "Kies een accountmanager uit de lijst."),
                           ("tag=99999", "Kies een tag uit de lijst."), ("tag=-1", "Kies een tag uit de lijst.")):
        response = staff_client.get(f"/stats/contacts?{query}")
        assert response.status_code == 422, query
        assert message in response.get_data(as_text=True), query


def test_wishes_are_counted_per_office_tag(app, staff_client, managed_office):
    from praclox.offices.models import Office
    from praclox.wishes import services

    office_id = managed_office("Zorgkantoor", tag="Zorg")
    with app.test_request_context():
        office = db.session.get(Office, office_id)
        services.create_wish(office, {"title": "Koppeling", "status": "new", "priority": "high",
                                      "requested_on": date.today()}, actor=None)
        db.session.commit()
    page = staff_client.get("/stats/wishes").get_data(as_text=True)
    assert _table(page, "tags")["Zorg"][0] == "1"
    assert _table(page, "quarter_tags")["Zorg"] == ["0", "1"]  # last quarter, this quarter


def test_follow_ups_count_per_owner_open_and_overdue_today_done_in_the_period_and_per_week(
        app, login_as, make_office, make_user):
    from praclox.followups import services
    from praclox.offices.models import Office

    owner = make_user("staff", name="Olga Opvolger")
    office_id = make_office()
    with time_machine.travel("2026-12-10 11:00:00+00:00", tick=False):  # a Thursday
        with app.test_request_context():
            office = db.session.get(Office, office_id)
            made = {days: services.create(office, {"title": "Terugbellen", "owner_id": owner.id,
                                                   "due_on": date(2026, 12, 10) + timedelta(days=days)}, actor=None)
                    for days in (3, -2, -9, 1)}  # Sunday; Tuesday; Tuesday of last week; Friday, done today
            services.complete(made[1], actor=None)
            db.session.commit()
        page = login_as("staff").get("/stats/followups").get_data(as_text=True)
    assert _table(page, "owners")["Olga Opvolger"] == ["1", "2", "1"]  # open, overdue, done
    weeks = _table(page, "weeks")
    assert weeks["7 dec 2026"] == ["1", "0", "2"]  # done; due in an earlier week and open; due this week, open
    assert weeks["30 nov 2026"] == ["0", "1", "0"]


def test_website_registrations_confirmations_unsubscribes_and_the_list_size_per_month(
        app, staff_client, make_registration):
    from praclox.registrations import services
    from praclox.registrations.models import Registration

    ids = [make_registration(newsletter=True, newsletter_confirmed_at=datetime.now(UTC)) for _ in range(6)]
    with app.test_request_context():
        services.unsubscribe(db.session.get(Registration, ids[0]))
        db.session.commit()
    page = staff_client.get("/stats/website").get_data(as_text=True)
    month = format_date(date.today(), "MMM yyyy", locale="nl")
    assert _table(page, "registrations")[month] == ["6", "5", "&lt; 5"]  # registered, confirmed, unsubscribed
    assert _table(page, "list")[month] == ["5"]


def test_page_opens_are_summed_per_week_starting_on_monday(app, staff_client):
    from praclox.stats import services

    with app.test_request_context():
        services.add_uses({(date(2026, 11, 30), "offices.index"): 2, (date(2026, 12, 6), "tags.index"): 3,
                           (date(2026, 12, 7), "offices.index"): 4})
        db.session.commit()
    weeks = _table(staff_client.get("/stats/usage?from=2026-11&to=2026-12").get_data(as_text=True), "weeks")
    assert weeks["30 nov 2026"] == ["5"] and weeks["7 dec 2026"] == ["4"] and weeks["23 nov 2026"] == ["0"]
