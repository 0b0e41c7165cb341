"""The client area: e-mail link sign-in, its own cookie, and exactly the own office's open wishes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from praclox_testsupport import open_login_link

from praclox.client.services import COOKIE_NAME
from praclox.extensions import db
from praclox.registrations.models import Registration
from praclox.wishes.models import Wish


@pytest.fixture
def app_config(mail_app_config):
    return mail_app_config


@pytest.fixture
def make_wish(app):
    def factory(office_id: int, title: str, status: str = "new", **fields) -> int:
        with app.app_context():
            wish = Wish(office_id=office_id, title=title, status=status, requested_on=date(2026, 3, 1), **fields)
            db.session.add(wish)
            db.session.commit()
            return wish.id

    return factory


def link_from(message) -> str:
    match = re.search(r"http://crm\.test(/client/login/\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def update(app, registration_id, **fields):
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        for name, value in fields.items():
            setattr(registration, name, value)
        db.session.commit()


def test_a_registrant_with_access_signs_in_by_a_mailed_link(app, client, make_office, make_registration,
                                                            smtp_server):
    office_id = make_office("Klant BV", kind="client")
    registration_id = make_registration(email="klant@klant.nl", office_id=office_id, client_access=True,
                                        status="pending")
    assert client.get("/client/").headers["Location"].endswith("/client/login")
    assert client.get("/client/login").status_code == 200
    response = client.post("/client/login", data={"email": "Klant@Klant.nl"})
    assert response.status_code == 200 and "inloglink" in response.get_data(as_text=True)
    assert smtp_server.delivered() == []  # mailed once the answer has gone out
    response.close()
    assert len(smtp_server.delivered()) == 1 and smtp_server.delivered()[0].envelope_to == ["klant@klant.nl"]
    url = link_from(smtp_server.delivered()[0])
    # opening the link uses nothing up; the button signs in
    assert client.get(url).status_code == 200
    assert client.get("/client/").status_code == 302
    response = open_login_link(client, url.rsplit("/", 1)[1])
    assert response.status_code == 302 and response.headers["Location"].endswith("/client/")
    cookie_header = response.headers["Set-Cookie"]
    assert cookie_header.startswith(f"{COOKIE_NAME}=") and "Path=/client" in cookie_header
    assert "HttpOnly" in cookie_header and "SameSite=Lax" in cookie_header
    assert client.get_cookie("session") is None  # the staff session is not touched
    assert client.get("/client/").status_code == 200
    with app.app_context():
        registration = db.session.get(Registration, registration_id)
        assert registration.last_login_at is not None and registration.status == "active"


@pytest.mark.parametrize("fields", [
    {"client_access": False},
    {"office_id": None},
    {"status": "closed"},
])
def test_no_link_is_mailed_without_access_and_the_answer_is_the_same(app, client, make_office, make_registration,
                                                                     smtp_server, fields):
    office_id = make_office(kind="client")
    make_registration(email="klant@klant.nl", **{"office_id": office_id, "client_access": True, **fields})
    with client.post("/client/login", data={"email": "klant@klant.nl"}) as known:
        pass
    with client.post("/client/login", data={"email": "niemand@klant.nl"}) as unknown:
        pass
    assert known.status_code == unknown.status_code == 200 and known.data == unknown.data
    assert smtp_server.delivered() == []


def test_asking_again_within_a_minute_mails_no_second_link(app, client, make_office, make_registration,
                                                           smtp_server):
    make_registration(email="klant@klant.nl", office_id=make_office(kind="client"), client_access=True)
    start = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    for offset in (0, 30, 61):
        with time_machine.travel(start + timedelta(seconds=offset), tick=False):
            with client.post("/client/login", data={"email": "klant@klant.nl"}) as response:
                assert response.status_code == 200
    assert len(smtp_server.delivered()) == 2


@pytest.mark.parametrize("email", ["", "not-an-address", "a" * 250 + "@x.nl", "a@x.nl\x00", "<script>@x.nl"])
def test_a_bad_address_gets_a_clear_error_and_no_mail(client, smtp_server, email):
    with client.post("/client/login", data={"email": email}) as response:
        assert response.status_code == 422 and b'class="error"' in response.data
    assert smtp_server.delivered() == []


def test_a_link_works_once(app, client_login):
    from praclox.client.services import login_token

    c = client_login()
    with app.test_request_context():
        token = login_token(db.session.get(Registration, c.registration_id))
    fresh = app.test_client()
    assert open_login_link(fresh, token).status_code == 302
    again = app.test_client()
    assert again.post(f"/client/login/{token}").status_code == 404
    assert again.get(f"/client/login/{token}").status_code == 404
    assert again.get("/client/").status_code == 302


def test_a_link_expires_after_fifteen_minutes(app, make_office, make_registration):
    from praclox.client.services import login_token

    registration_id = make_registration(office_id=make_office(kind="client"), client_access=True)
    start = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False), app.test_request_context():
        token = login_token(db.session.get(Registration, registration_id))
    with time_machine.travel(start + timedelta(minutes=15, seconds=5), tick=False):
        assert app.test_client().post(f"/client/login/{token}").status_code == 404
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert open_login_link(app.test_client(), token).status_code == 302


def test_the_client_sees_exactly_their_offices_open_wishes_and_nothing_internal(
        app, client_login, make_office, make_wish):
    office_a = make_office("Alfa Accountants", kind="client",
                           contacts=({"first_name": "Geheime", "last_name": "Contactpersoon"},))
    office_b = make_office("Beta Belastingadvies", kind="client")
    make_wish(office_a, "Koppeling met Exact", "planned", priority="high", requested_by_id=1,
              target_date=date(2026, 9, 30), description="Graag voor de zomer.")
    make_wish(office_a, "Nieuwe rapportage", "in_progress")
    make_wish(office_a, "Oude wens", "done")
    make_wish(office_a, "Afgewezen wens", "declined")
    make_wish(office_b, "Wens van Beta", "new")
    c = client_login(office_id=office_a)
    page = c.get("/client/").get_data(as_text=True)
    assert "Koppeling met Exact" in page and "Nieuwe rapportage" in page and "Alfa Accountants" in page
    assert "Gepland" in page and "In behandeling" in page
    for hidden in ("Oude wens", "Afgewezen wens", "Wens van Beta", "Beta Belastingadvies", "Geheime",
                   "2026", "Hoog", "/offices", "Praclox CRM", "navbar"):
        assert hidden not in page, hidden


def test_a_registrant_of_office_a_gets_nothing_of_office_b(app, client_login, make_office, make_wish,
                                                          make_registration):
    office_a = make_office("Alfa", kind="client")
    office_b = make_office("Beta", kind="client", contacts=({"first_name": "Bea", "last_name": "B"},))
    own = make_wish(office_a, "Eigen wens")
    closed_own = make_wish(office_a, "Eigen klaar", "done")
    others = [make_wish(office_b, f"Beta {status}", status) for status in
              ("new", "planned", "in_progress", "done", "declined")]
    other_registration = make_registration(email="b@beta.nl", office_id=office_b, client_access=True)
    c = client_login(office_id=office_a)
    assert c.get(f"/client/wishes/{own}").status_code == 200
    assert c.get(f"/client/wishes/{closed_own}").status_code == 404
    for wish_id in [*others, 999_999, 0]:
        response = c.get(f"/client/wishes/{wish_id}")
        assert response.status_code == 404 and b"Beta" not in response.data
    # every CRM page about office B, its people and its wishes: the staff login, never the data
    crm_urls = [f"/offices/{office_b}", f"/offices/{office_b}/edit", f"/offices/{office_b}/contacts/1",
                f"/wishes/{others[0]}/edit", f"/wishes/office/{office_b}/new", "/wishes/",
                f"/registrations/{other_registration}", "/registrations/", "/registrations/newsletter.csv", "/"]
    cookie = c.get_cookie(COOKIE_NAME, path="/client")
    c.set_cookie(COOKIE_NAME, cookie.value, path="/")
    for url in crm_urls:
        response = c.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url
        assert b"Beta" not in response.data


def test_the_wish_page_shows_title_status_and_description_only(app, client_login, make_office, make_wish):
    office_id = make_office("Alfa", kind="client", contacts=({"first_name": "Geheime", "last_name": "Naam"},))
    wish_id = make_wish(office_id, "Koppeling", "planned", description="<b>Graag</b> snel",
                        requested_by_id=1, target_date=date(2026, 12, 1))
    page = client_login(office_id=office_id).get(f"/client/wishes/{wish_id}").get_data(as_text=True)
    assert "Koppeling" in page and "Gepland" in page and "&lt;b&gt;Graag&lt;/b&gt; snel" in page
    assert "Geheime" not in page and "2026" not in page


@pytest.mark.parametrize("change", [
    {"client_access": False},
    {"office_id": None},
    {"status": "closed"},
])
def test_withdrawn_access_ends_the_session_at_the_next_request(app, client_login, change):
    c = client_login()
    assert c.get("/client/").status_code == 200
    update(app, c.registration_id, **change)
    response = c.get("/client/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/client/login")
    assert f"{COOKIE_NAME}=;" in response.headers["Set-Cookie"]  # the stale cookie is removed
    update(app, c.registration_id, client_access=True, status="active")
    assert c.get("/client/").status_code == 302


def test_deleting_the_office_ends_the_session(app, client_login, make_office):
    office_id = make_office(kind="client")
    c = client_login(office_id=office_id)
    with app.test_request_context():
        from praclox.offices import services as offices
        from praclox.offices.models import Office

        offices.delete_office(db.session.get(Office, office_id), actor=None)
        db.session.commit()
    assert c.get("/client/").status_code == 302


def test_a_staff_session_opens_nothing_in_the_client_area(app, staff_client, make_office, make_wish):
    office_id = make_office(kind="client")
    wish_id = make_wish(office_id, "Wens")
    for url in ("/client/", f"/client/wishes/{wish_id}"):
        response = staff_client.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith("/client/login"), url


def test_a_forged_or_foreign_cookie_opens_nothing(app, client_login):
    c = client_login()
    value = c.get_cookie(COOKIE_NAME, path="/client").value
    c.set_cookie(COOKIE_NAME, value[:-3] + "abc", path="/client")
    assert c.get("/client/").status_code == 302
    # a staff session cookie value presented as the client cookie
    c.set_cookie(COOKIE_NAME, "eyJfdXNlcl9pZCI6IjE6MSJ9.aaaa.bbbb", path="/client")
    assert c.get("/client/").status_code == 302


def test_sign_out_ends_this_and_every_copy_of_the_session(app, client_login):
    c = client_login()
    value = c.get_cookie(COOKIE_NAME, path="/client").value
    page = c.get("/client/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page).group(1)
    assert c.post("/client/logout").headers["Location"].endswith("/client/")  # no token: nothing happens
    assert c.get("/client/").status_code == 200
    response = c.post("/client/logout", data={"csrf_token": token})
    assert response.headers["Location"].endswith("/client/login")
    assert c.get("/client/").status_code == 302
    copy = app.test_client()
    copy.set_cookie(COOKIE_NAME, value, path="/client")
    assert copy.get("/client/").status_code == 302


def test_the_client_session_ends_after_twelve_hours(app, make_office, make_registration):
    from praclox.client.services import login_token

    registration_id = make_registration(office_id=make_office(kind="client"), client_access=True)
    start = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    c = app.test_client()
    with time_machine.travel(start, tick=False):
        with app.test_request_context():
            token = login_token(db.session.get(Registration, registration_id))
        assert open_login_link(c, token).status_code == 302
    with time_machine.travel(start + timedelta(hours=11), tick=False):
        assert c.get("/client/").status_code == 200
    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        assert c.get("/client/").status_code == 302


def test_unknown_client_pages_answer_in_the_client_look(app, client_login):
    response = client_login().get("/client/nothing-here")
    assert response.status_code == 404
    assert b"PRAC<span>LOX</span>" in response.data and b"navbar" not in response.data
    assert b"/offices" not in response.data


def test_used_link_nonces_are_forgotten_by_the_nightly_purge_after_a_day(app, make_office, make_registration):
    from praclox.client.models import UsedClientNonce
    from praclox.client.services import login_token
    from praclox.scheduler import run_job

    registration_id = make_registration(office_id=make_office(kind="client"), client_access=True)
    start = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        with app.test_request_context():
            token = login_token(db.session.get(Registration, registration_id))
        assert open_login_link(app.test_client(), token).status_code == 302
    with time_machine.travel(start + timedelta(hours=23), tick=False):
        run_job(app, "registrations_purge")
    with app.app_context():
        assert db.session.query(UsedClientNonce).count() == 1
    with time_machine.travel(start + timedelta(days=1, hours=1), tick=False):
        run = run_job(app, "registrations_purge")
    assert '"nonces": 1' in run.counts
    with app.app_context():
        assert db.session.query(UsedClientNonce).count() == 0


def _link_for_new_registrant(app, make_office, make_registration):
    from praclox.client.services import login_token

    registration_id = make_registration(office_id=make_office(kind="client"), client_access=True)
    with app.test_request_context():
        return login_token(db.session.get(Registration, registration_id))


def test_login_csrf_an_attackers_page_cannot_sign_a_visitor_in_to_the_attackers_account(
        app, make_office, make_registration):
    """Issue 11 finding 11: the attacker's own link, posted from the attacker's page by the victim's browser."""
    token = _link_for_new_registrant(app, make_office, make_registration)
    attacker = app.test_client()
    nonce = re.search(r'name="nonce" value="([^"]+)"', attacker.get(f"/client/login/{token}").get_data(as_text=True))
    victim = app.test_client()
    # the victim's browser sends no same-site cookie with a cross-site POST, and names the attacker's origin
    for headers in ({"Origin": "https://attacker.example"}, {}):
        response = victim.post(f"/client/login/{token}", data={"nonce": nonce.group(1)}, headers=headers)
        assert response.status_code == 403, headers
        assert not any(c.startswith(f"{COOKIE_NAME}=") for c in response.headers.getlist("Set-Cookie"))
        assert victim.get("/client/").status_code == 302
    # a right nonce from another origin is refused too
    response = attacker.post(f"/client/login/{token}", data={"nonce": nonce.group(1)},
                             headers={"Origin": "https://attacker.example"})
    assert response.status_code == 403
    # nothing was used up: the link still signs in the browser that opened it
    assert open_login_link(app.test_client(), token).status_code == 302


def test_the_login_link_page_sets_a_strict_same_site_nonce_cookie(app, make_office, make_registration):
    token = _link_for_new_registrant(app, make_office, make_registration)
    response = app.test_client().get(f"/client/login/{token}")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("praclox_client_link=") and "SameSite=Strict" in cookie and "HttpOnly" in cookie
    assert "Path=/client/login" in cookie
    nonce = cookie.split("=", 1)[1].split(";", 1)[0]
    assert f'name="nonce" value="{nonce}"' in response.get_data(as_text=True)
    # the same origin, as a browser names it on the button's POST, is accepted
    c = app.test_client()
    page = c.get(f"/client/login/{token}").get_data(as_text=True)
    nonce = re.search(r'name="nonce" value="([^"]+)"', page).group(1)
    response = c.post(f"/client/login/{token}", data={"nonce": nonce}, headers={"Origin": "http://localhost"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/client/")
