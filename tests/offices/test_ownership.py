"""Ownership and segments: an account manager per office, tags with counts, the list's filters, sorts and flag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from praclox.audit.models import AuditEntry
from praclox.auth.models import User
from praclox.clock import today
from praclox.extensions import db
from praclox.offices.models import Interaction, Office, Tag, office_tags


def office_data(**overrides):
    base = {"kind": "prospect", "name": "Kantoor Noord", "visit_city": "Zwolle", "account_manager_id": ""}
    base.update(overrides)
    return base


def manager_of(app, office_id):
    with app.app_context():
        return db.session.get(Office, office_id).account_manager_id


def office_audits(app, office_id):
    with app.app_context():
        return [(a.action, a.fields) for a in db.session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "offices", AuditEntry.record_id == office_id)
            .order_by(AuditEntry.id))]


def names_in(page: str, names) -> list[str]:
    """The given office names in the order the page shows them."""
    return sorted((n for n in names if f">{n}</a>" in page), key=lambda n: page.index(f">{n}</a>"))


@pytest.fixture
def make_tag(app):
    from praclox.offices import services

    def factory(name: str, group: str = "sector", offices: tuple[int, ...] = ()) -> int:
        with app.test_request_context():
            tag = services.create_tag(name, group, actor=None)
            for office_id in offices:
                services.add_tag(select(Office.id).where(Office.id == office_id), tag, actor=None)
            db.session.commit()
            return tag.id

    return factory


@pytest.fixture
def log_contact(app):
    def factory(office_id: int, day) -> None:
        with app.app_context():
            db.session.add(Interaction(office_id=office_id, kind="call", occurred_on=day, summary="gebeld"))
            db.session.commit()

    return factory


# --- account manager ------------------------------------------------------------------------------------------


def test_a_new_office_gets_its_creator_as_account_manager_and_edits_are_audited(app, staff_client, make_user):
    form = staff_client.get("/offices/new").get_data(as_text=True)
    assert "Accountmanager" in form and f'<option selected value="{staff_client.user.id}"' in form
    colleague = make_user("staff", name="Collega Carla")
    response = staff_client.post("/offices/new", data=office_data(account_manager_id=str(staff_client.user.id)))
    assert response.status_code == 302
    office_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert manager_of(app, office_id) == staff_client.user.id
    assert staff_client.post(f"/offices/{office_id}/edit",
                             data=office_data(account_manager_id=str(colleague.id))).status_code == 302
    assert manager_of(app, office_id) == colleague.id
    assert office_audits(app, office_id)[-1] == ("update", "account_manager_id")
    page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert "Collega Carla" in page.split('id="ownership"', 1)[1]


@pytest.mark.parametrize("who", ["unknown", "deactivated", "recruiter", "text"])
def test_an_unknown_deactivated_or_non_staff_account_manager_is_refused(app, staff_client, make_user, make_office,
                                                                         who):
    office_id = make_office()
    user_id = {"unknown": "9999", "text": "abc", "deactivated": str(make_user("staff", active=False).id),
               "recruiter": str(make_user("recruiter").id)}[who]
    response = staff_client.post(f"/offices/{office_id}/edit", data=office_data(account_manager_id=user_id))
    assert response.status_code == 422 and b"invalid-feedback" in response.data
    assert manager_of(app, office_id) is None
    assert staff_client.post("/offices/new", data=office_data(account_manager_id=user_id)).status_code == 422
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Office)) == 1


def test_a_deactivated_account_manager_stays_while_other_fields_change(app, staff_client, make_user, make_office):
    from praclox.auth.models import User

    leaving = make_user("staff", name="Vertrekkende Victor")
    office_id = make_office(account_manager_id=leaving.id)
    with app.app_context():
        db.session.get(User, leaving.id).active = False
        db.session.commit()
    form = staff_client.get(f"/offices/{office_id}/edit").get_data(as_text=True)
    assert "Vertrekkende Victor (gedeactiveerd)" in form
    response = staff_client.post(f"/offices/{office_id}/edit",
                                 data=office_data(name="Nieuwe naam", account_manager_id=str(leaving.id)))
    assert response.status_code == 302 and manager_of(app, office_id) == leaving.id
    listing = staff_client.get(f"/offices/?manager={leaving.id}").get_data(as_text=True)
    assert "Nieuwe naam" in listing and "Vertrekkende Victor (gedeactiveerd)" in listing


def test_the_list_filters_my_offices_by_manager_and_without_one(app, staff_client, make_user, make_office):
    colleague = make_user("staff")
    make_office("Mijn Kantoor", account_manager_id=staff_client.user.id)
    make_office("Kantoor Collega", account_manager_id=colleague.id)
    make_office("Kantoor Zonder")
    names = ("Mijn Kantoor", "Kantoor Collega", "Kantoor Zonder")
    assert names_in(staff_client.get("/offices/").get_data(as_text=True), names) == sorted(names)
    assert names_in(staff_client.get("/offices/?manager=me").get_data(as_text=True), names) == ["Mijn Kantoor"]
    page = staff_client.get(f"/offices/?manager={colleague.id}").get_data(as_text=True)
    assert names_in(page, names) == ["Kantoor Collega"]
    assert names_in(staff_client.get("/offices/?manager=none").get_data(as_text=True), names) == ["Kantoor Zonder"]
    for odd in ("?manager=<x>", "?manager=-1", "?manager=99999999999999", "?tag=abc", "?tag=0", "?sort=<x>",
                "?stale=yes", "?tag=1&tag=1&tag=2"):
        assert staff_client.get("/offices/" + odd).status_code == 200, odd


# --- tags ------------------------------------------------------------------------------------------------------


def test_admin_keeps_the_tag_list_with_groups_and_a_name_is_unique_in_any_case(app, admin_client, make_office):
    page = admin_client.get("/offices/tags/").get_data(as_text=True)
    assert "Branche" in page and "Omvang" in page and "Regio" in page
    assert admin_client.post("/offices/tags/", data={"name": "Zorg", "tag_group": "sector"}).status_code == 302
    again = admin_client.post("/offices/tags/", data={"name": " ZORG ", "tag_group": "region"})
    assert again.status_code == 422 and "Er bestaat al een tag met deze naam." in again.get_data(as_text=True)
    for bad in ({"name": "", "tag_group": "sector"}, {"name": "x" * 61, "tag_group": "sector"},
                {"name": "Zo\nrg", "tag_group": "sector"}, {"name": "Bouw", "tag_group": "hobby"}):
        assert admin_client.post("/offices/tags/", data=bad).status_code == 422, bad
    with app.app_context():
        tag = db.session.scalar(select(Tag))
        total = db.session.scalar(select(func.count()).select_from(Tag))
        assert (tag.name, tag.tag_group, total) == ("Zorg", "sector", 1)
    assert admin_client.post(f"/offices/tags/{tag.id}/edit", data={"name": "Zorg en welzijn", "tag_group": "sector"}
                             ).status_code == 302
    with app.app_context():
        entries = [(a.action, a.fields) for a in db.session.scalars(
            select(AuditEntry).where(AuditEntry.record_type == "tags").order_by(AuditEntry.id))]
    assert entries == [("create", "name,tag_group"), ("update", "name")]


def test_staff_tag_an_office_from_its_page_and_untag_it_audited_on_the_office(app, staff_client, make_office,
                                                                               make_tag):
    office_id = make_office()
    tag_id = make_tag("Accountancy")
    page = staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    assert "Nog geen tags." in page and "Accountancy (Branche)" in page
    assert "Of typ een tag" not in page  # free tags are off by default
    response = staff_client.post(f"/offices/{office_id}/tags", data={"tag_id": str(tag_id)}, follow_redirects=True)
    assert "Tag Accountancy toegevoegd." in response.get_data(as_text=True)
    staff_client.post(f"/offices/{office_id}/tags", data={"tag_id": str(tag_id)})  # twice: still once
    with app.app_context():
        assert db.session.execute(select(office_tags)).all() == [(office_id, tag_id)]
    staff_client.post(f"/offices/{office_id}/tags/{tag_id}/remove")
    with app.app_context():
        assert db.session.execute(select(office_tags)).all() == []
    assert office_audits(app, office_id)[-2:] == [("update", "tags"), ("update", "tags")]


@pytest.mark.parametrize("data", [{"tag_id": "9999"}, {"tag_id": "abc"}, {"tag_id": ""}, {"name": "Nieuw segment"},
                                  {"name": "x" * 61}])
def test_an_unknown_tag_or_a_free_tag_without_the_admins_leave_is_refused(app, staff_client, make_office, make_tag,
                                                                          data):
    office_id = make_office()
    make_tag("Accountancy")
    page = staff_client.post(f"/offices/{office_id}/tags", data=data, follow_redirects=True).get_data(as_text=True)
    assert "alert-danger" in page
    with app.app_context():
        assert db.session.execute(select(office_tags)).all() == []
        assert db.session.scalar(select(func.count()).select_from(Tag)) == 1


def test_with_the_setting_on_staff_type_a_free_tag_and_an_existing_name_is_reused(app, staff_client, admin_client,
                                                                                  make_office, make_tag):
    office_id = make_office()
    make_tag("Accountancy")
    assert admin_client.post("/admin/settings/", data={"offices.free_tags": "on"}).status_code == 302
    assert "Of typ een tag" in staff_client.get(f"/offices/{office_id}").get_data(as_text=True)
    staff_client.post(f"/offices/{office_id}/tags", data={"name": "  Familiebedrijf "})
    staff_client.post(f"/offices/{office_id}/tags", data={"name": "accountancy"})
    with app.app_context():
        tags = {t.name: t.tag_group for t in db.session.scalars(select(Tag))}
        assert tags == {"Accountancy": "sector", "Familiebedrijf": "free"}
        assert len(db.session.execute(select(office_tags)).all()) == 2


def test_the_list_filters_by_tags_and_counts_offices_per_tag_within_the_filter(app, staff_client, make_office,
                                                                               make_tag):
    a = make_office("Alfa", kind="client")
    b = make_office("Bravo", kind="client")
    c = make_office("Charlie")
    zorg = make_tag("Zorg", offices=(a, b, c))
    klein = make_tag("Klein", "size", offices=(a,))
    make_tag("Leeg")
    page = staff_client.get("/offices/").get_data(as_text=True)
    facets = page.split('class="mb-3 tag-filter"', 1)[1].split("</div>", 1)[0]
    assert 'Zorg <span class="tag-count">3</span>' in facets and 'Klein <span class="tag-count">1</span>' in facets
    assert "Leeg" not in facets
    clients = staff_client.get("/offices/?kind=client").get_data(as_text=True)
    assert 'Zorg <span class="tag-count">2</span>' in clients
    both = staff_client.get(f"/offices/?tag={zorg}&tag={klein}").get_data(as_text=True)
    assert names_in(both, ("Alfa", "Bravo", "Charlie")) == ["Alfa"]
    one = staff_client.get(f"/offices/?tag={zorg}").get_data(as_text=True)
    assert names_in(one, ("Alfa", "Bravo", "Charlie")) == ["Alfa", "Bravo", "Charlie"]
    assert f"/offices/?tag={zorg}&amp;tag={klein}" in one  # a facet link adds its tag to the filter


def test_deleting_a_tag_takes_it_off_every_office(app, admin_client, make_office, make_tag):
    a, b = make_office("Alfa"), make_office("Bravo")
    tag_id = make_tag("Zorg", offices=(a, b))
    page = admin_client.post(f"/offices/tags/{tag_id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "Tag Zorg verwijderd; 2 kantoren hebben hem niet meer." in page
    with app.app_context():
        assert db.session.execute(select(office_tags)).all() == [] and db.session.get(Tag, tag_id) is None
    assert office_audits(app, a)[-1] == ("update", "tags")


# --- sorting and the flag ------------------------------------------------------------------------------------


def test_the_list_sorts_by_name_city_last_contact_and_next_follow_up(app, staff_client, make_office, log_contact):
    from praclox.followups.models import FollowUp

    a = make_office("Alfa", visit_city="Zwolle")
    b = make_office("Bravo", visit_city="Arnhem")
    c = make_office("Charlie", visit_city="Delft")
    log_contact(a, today() - timedelta(days=30))
    log_contact(c, today() - timedelta(days=2))
    with app.app_context():
        db.session.add_all([
            FollowUp(office_id=a, owner_id=staff_client.user.id, title="x", due_on=today() + timedelta(days=9)),
            FollowUp(office_id=b, owner_id=staff_client.user.id, title="y", due_on=today() + timedelta(days=1)),
            FollowUp(office_id=c, owner_id=staff_client.user.id, title="done", due_on=today(),
                     done_at=datetime.now(UTC)),
        ])
        db.session.commit()
    names = ("Alfa", "Bravo", "Charlie")

    def order(sort: str) -> list[str]:
        return names_in(staff_client.get(f"/offices/?sort={sort}").get_data(as_text=True), names)

    assert order("name") == ["Alfa", "Bravo", "Charlie"]
    assert order("city") == ["Bravo", "Charlie", "Alfa"]
    assert order("last_contact") == ["Charlie", "Alfa", "Bravo"]  # latest first, never contacted last
    assert order("next_follow_up") == ["Bravo", "Alfa", "Charlie"]  # a done follow-up does not count


def test_an_office_without_contact_for_longer_than_the_setting_is_flagged(app, staff_client, admin_client,
                                                                          make_office, log_contact):
    with time_machine.travel(datetime.now(UTC) - timedelta(days=800)):
        make_office("Nooit Gebeld")
    old = make_office("Lang Geleden")
    recent = make_office("Onlangs")
    make_office("Net Nieuw")  # new, never contacted yet: not flagged
    log_contact(old, today() - timedelta(days=200))
    log_contact(recent, today() - timedelta(days=100))
    names = ("Nooit Gebeld", "Lang Geleden", "Onlangs", "Net Nieuw")
    page = staff_client.get("/offices/").get_data(as_text=True)
    flagged = [n for n in names if "te lang geen contact" in page.split(f">{n}</a>", 1)[1].split("</tr>", 1)[0]]
    assert flagged == ["Nooit Gebeld", "Lang Geleden"]
    assert names_in(staff_client.get("/offices/?stale=1").get_data(as_text=True), names) == ["Lang Geleden",
                                                                                              "Nooit Gebeld"]
    assert "Langer dan 6 maanden geen contact" in staff_client.get(f"/offices/{old}").get_data(as_text=True)
    assert "Langer dan 6 maanden geen contact" not in staff_client.get(f"/offices/{recent}").get_data(as_text=True)
    admin_client.post("/admin/settings/", data={"offices.stale_months": "3"})
    stale = staff_client.get("/offices/?stale=1").get_data(as_text=True)
    assert names_in(stale, names) == ["Lang Geleden", "Nooit Gebeld", "Onlangs"]
    assert "Langer dan 3 maanden geen contact" in stale


# --- bulk actions -------------------------------------------------------------------------------------------


def test_bulk_assign_changes_only_the_filtered_offices_and_audits_each(app, staff_client, make_user, make_office):
    colleague = make_user("staff", name="Collega Carla")
    zwolle = [make_office(f"Zwolle {n}", visit_city="Zwolle") for n in range(3)]
    other = make_office("Delft 1", visit_city="Delft", account_manager_id=staff_client.user.id)
    page = staff_client.get("/offices/?q=zwolle").get_data(as_text=True)
    assert "Toepassen op de aangevinkte kantoren of op alle 3 kantoren" in page
    response = staff_client.post("/offices/bulk?q=zwolle", data={
        "action": "manager", "account_manager_id": str(colleague.id), "expected": "3"}, follow_redirects=True)
    assert "3 kantoren gewijzigd." in response.get_data(as_text=True)
    assert [manager_of(app, i) for i in zwolle] == [colleague.id] * 3
    assert manager_of(app, other) == staff_client.user.id
    assert all(office_audits(app, i)[-1] == ("update", "account_manager_id") for i in zwolle)
    # the same again changes nothing and audits nothing more
    staff_client.post("/offices/bulk?q=zwolle", data={
        "action": "manager", "account_manager_id": str(colleague.id), "expected": "3"})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.fields == "account_manager_id")) == 3


def test_bulk_add_and_remove_a_tag_on_a_filtered_list(app, staff_client, make_office, make_tag):
    clients = [make_office(f"Klant {n}", kind="client") for n in range(2)]
    prospect = make_office("Prospect", kind="prospect")
    tag_id = make_tag("Groot", "size", offices=(clients[0],))
    response = staff_client.post("/offices/bulk?kind=client", data={
        "action": "add_tag", "tag_id": str(tag_id), "expected": "2"}, follow_redirects=True)
    assert "1 kantoor gewijzigd." in response.get_data(as_text=True)
    with app.app_context():
        assert sorted(r.office_id for r in db.session.execute(select(office_tags))) == clients
    staff_client.post(f"/offices/bulk?tag={tag_id}", data={"action": "remove_tag", "tag_id": str(tag_id),
                                                           "expected": "2"})
    with app.app_context():
        assert db.session.execute(select(office_tags)).all() == []
    assert office_audits(app, prospect) == [("create", "kind,name,visit_city")]


@pytest.mark.parametrize("data", [
    {"action": "manager", "account_manager_id": "9999"},
    {"action": "manager", "account_manager_id": "abc"},
    {"action": "manager", "account_manager_id": "deactivated"},
    {"action": "add_tag", "tag_id": "9999"},
    {"action": "add_tag", "tag_id": ""},
    {"action": "remove_tag", "tag_id": "abc"},
    {"action": "delete_all"},
    {"action": "manager", "account_manager_id": "", "expected": "7"},  # the list changed since it was shown
])
def test_bulk_refuses_bad_input_and_changes_nothing(app, staff_client, make_user, make_office, make_tag, data):
    gone = make_user("staff", active=False)
    office_id = make_office(account_manager_id=staff_client.user.id)
    make_tag("Groot", "size")
    data = {"expected": "1", **data}
    if data.get("account_manager_id") == "deactivated":
        data["account_manager_id"] = str(gone.id)
    page = staff_client.post("/offices/bulk", data=data, follow_redirects=True).get_data(as_text=True)
    assert "alert-danger" in page or "alert-warning" in page
    assert manager_of(app, office_id) == staff_client.user.id
    with app.app_context():
        assert db.session.execute(select(office_tags)).all() == []


def test_bulk_changes_only_the_ticked_rows_when_any_are_ticked(app, staff_client, make_user, make_office, make_tag):
    colleague = make_user("staff", name="Collega Carla")
    zwolle = [make_office(f"Zwolle {n}", visit_city="Zwolle") for n in range(4)]
    page = staff_client.get("/offices/?q=zwolle").get_data(as_text=True)
    # a checkbox per row, belonging to the bulk form below the table (no script needed)
    for office_id in zwolle:
        assert f'name="ids" value="{office_id}" form="bulk-form"' in page
    assert 'id="bulk-form"' in page
    response = staff_client.post("/offices/bulk?q=zwolle", data=MultiDict([
        ("action", "manager"), ("account_manager_id", str(colleague.id)), ("expected", "4"),
        ("ids", str(zwolle[1])), ("ids", str(zwolle[3]))]), follow_redirects=True)
    assert "2 kantoren gewijzigd." in response.get_data(as_text=True)
    assert [manager_of(app, i) for i in zwolle] == [None, colleague.id, None, colleague.id]
    assert office_audits(app, zwolle[1])[-1] == ("update", "account_manager_id")
    assert office_audits(app, zwolle[0])[-1][0] == "create"
    tag_id = make_tag("Groot", "size")
    staff_client.post("/offices/bulk?q=zwolle", data=MultiDict([
        ("action", "add_tag"), ("tag_id", str(tag_id)), ("expected", "4"), ("ids", str(zwolle[2]))]))
    with app.app_context():
        assert [r.office_id for r in db.session.execute(select(office_tags))] == [zwolle[2]]


@pytest.mark.parametrize("ticked", ["other", "foreign", "missing", "abc", "0", "too many", "same twice and other"])
def test_bulk_refuses_ticked_rows_outside_the_list_or_unreadable_and_changes_nothing(app, staff_client, make_user,
                                                                                      make_office, ticked):
    colleague = make_user("staff", name="Collega Carla")
    zwolle = [make_office(f"Zwolle {n}", visit_city="Zwolle") for n in range(2)]
    delft = make_office("Delft 1", visit_city="Delft")  # exists, but the filtered list leaves it out
    ids = {"other": [zwolle[0], delft], "foreign": [delft], "missing": [zwolle[0], 99_999], "abc": [zwolle[0], "abc"],
           "0": ["0"], "too many": [zwolle[0]] * 501, "same twice and other": [zwolle[0], zwolle[0], delft]}[ticked]
    page = staff_client.post("/offices/bulk?q=zwolle", data=MultiDict(
        [("action", "manager"), ("account_manager_id", str(colleague.id)), ("expected", "2")]
        + [("ids", str(i)) for i in ids]), follow_redirects=True).get_data(as_text=True)
    assert "alert-danger" in page
    assert "er is niets gewijzigd" in page
    assert [manager_of(app, i) for i in [*zwolle, delft]] == [None, None, None]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.fields == "account_manager_id")) == 0


def test_bulk_with_ticked_rows_keeps_the_count_rule_and_needs_the_csrf_token(app, staff_client, make_user,
                                                                              make_office):
    colleague = make_user("staff", name="Collega Carla")
    zwolle = [make_office(f"Zwolle {n}", visit_city="Zwolle") for n in range(2)]
    data = MultiDict([("action", "manager"), ("account_manager_id", str(colleague.id)), ("ids", str(zwolle[0]))])
    # the list grew since it was shown: refused although the ticked row is still in it
    stale = staff_client.post("/offices/bulk?q=zwolle", data=MultiDict([*data.items(multi=True), ("expected", "1")]),
                              follow_redirects=True).get_data(as_text=True)
    assert "alert-warning" in stale
    # a post without this session's token (another site's form): refused
    forged = staff_client.post("/offices/bulk?q=zwolle", data=MultiDict(
        [*data.items(multi=True), ("expected", "2"), ("csrf_token", "forged")]), follow_redirects=True)
    assert "alert-danger" in forged.get_data(as_text=True) or forged.status_code == 400
    assert [manager_of(app, i) for i in zwolle] == [None, None]


def test_a_deactivated_users_offices_are_listed_for_the_admin_to_hand_over(app, admin_client, staff_client,
                                                                           make_user, make_office):
    gone = make_user("staff", name="Vertrokken Vera")
    colleague = make_user("staff", name="Collega Carla")
    hers = [make_office(f"Van Vera {n}", account_manager_id=gone.id) for n in range(2)]
    kept = make_office("Van Carla", account_manager_id=colleague.id)
    make_office("Van niemand")
    assert "kantoren hebben een gedeactiveerde" not in admin_client.get("/follow-ups/orphaned").get_data(as_text=True)
    with app.app_context():
        db.session.get(User, gone.id).active = False
        db.session.commit()
    # next to the follow-ups of deactivated users: how many offices, and the list that shows them
    page = admin_client.get("/follow-ups/orphaned").get_data(as_text=True)
    assert "2 kantoren hebben een gedeactiveerde accountmanager." in page
    assert '/offices/?manager=inactive"' in page
    names = ("Van Vera 0", "Van Vera 1", "Van Carla", "Van niemand")
    listed = admin_client.get("/offices/?manager=inactive").get_data(as_text=True)
    assert names_in(listed, names) == ["Van Vera 0", "Van Vera 1"]
    assert '<option value="inactive" selected>Van gedeactiveerde gebruikers</option>' in listed
    # handed over with the list's bulk action, each office audited
    response = admin_client.post("/offices/bulk?manager=inactive", data={
        "action": "manager", "account_manager_id": str(colleague.id), "expected": "2"}, follow_redirects=True)
    assert "2 kantoren gewijzigd." in response.get_data(as_text=True)
    assert [manager_of(app, i) for i in [*hers, kept]] == [colleague.id] * 3
    assert all(office_audits(app, i)[-1] == ("update", "account_manager_id") for i in hers)
    assert "gedeactiveerde accountmanager" not in admin_client.get("/follow-ups/orphaned").get_data(as_text=True)
    assert names_in(staff_client.get("/offices/?manager=inactive").get_data(as_text=True), names) == []


def test_the_shared_selection_function_reads_the_list_arguments(app, make_user, make_office, make_tag):
    from praclox.auth.models import User
    from praclox.offices.listing import filtered_offices

    me = make_user("staff")
    a = make_office("Alfa", kind="client", account_manager_id=me.id)
    make_office("Bravo", kind="client")
    tag_id = make_tag("Zorg", offices=(a,))
    with app.test_request_context():
        actor = db.session.get(User, me.id)

        def names(args) -> list[str]:
            return [o.name for o in db.session.scalars(filtered_offices(MultiDict(args), actor))]

        assert names({}) == ["Alfa", "Bravo"]
        assert names({"manager": "me"}) == ["Alfa"]
        assert names([("tag", str(tag_id)), ("kind", "client")]) == ["Alfa"]
        assert names({"q": "brav", "sort": "last_contact", "page": "3", "format": "csv"}) == ["Bravo"]
        assert names({"tag": "999"}) == []


def test_demo_offices_get_a_sector_size_and_region_and_most_an_account_manager(app, runner, make_user):
    staff = make_user("staff")
    for _ in range(2):  # a second run reuses the tag list
        assert runner.invoke(args=["demo-data", "--offices", "12", "--seed", "3"]).exit_code == 0
    with app.app_context():
        offices = db.session.scalars(select(Office)).all()
        assert len(offices) == 24
        assert all({t.tag_group for t in o.tags} == {"sector", "size", "region"} for o in offices)
        assert {o.account_manager_id for o in offices} == {staff.id, None} or {
            o.account_manager_id for o in offices} == {staff.id}
        assert db.session.scalar(select(func.count()).select_from(Tag)) <= 7 + 3 + 4


def test_the_office_list_counted_from_its_filter_pages_every_sort_alike(app, staff_client, make_office, log_contact):
    ids = [make_office(f"Kantoor {n}", visit_city="Zwolle") for n in range(3)]
    make_office("Elders", visit_city="Delft")
    log_contact(ids[1], today() - timedelta(days=3))
    for sort in ("name", "last_contact", "next_follow_up"):
        # past the end is the last page, counted as the filter counts
        page = staff_client.get(f"/offices/?q=zwolle&sort={sort}&page=99").get_data(as_text=True)
        assert "3 kantoren" in page
        assert names_in(page, ("Kantoor 0", "Kantoor 1", "Kantoor 2", "Elders"))[0] == (
            "Kantoor 1" if sort == "last_contact" else "Kantoor 0")
        assert "Elders" not in names_in(page, ("Elders",))
