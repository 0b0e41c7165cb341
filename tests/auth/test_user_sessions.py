"""Sessions: a fresh one at login, ended everywhere by logout, password change and deactivation; idle and
absolute timeouts; the user's list of sessions; re-authentication before sensitive actions (ASVS V3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from auth_helpers import login_client, post_login
from praclox_testsupport import TEST_PASSWORD, current_code
from sqlalchemy import func, select

from praclox.auth.sessions import summarise_user_agent
from praclox.extensions import db
from tests.conftest import login

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)



def _logged_in(response) -> bool:
    return response.status_code == 200


def copy_cookie(source, target) -> None:
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value, domain=cookie.domain or "localhost")


def test_login_starts_a_fresh_session_so_planted_values_do_not_survive(client, make_user):
    user = make_user("staff")
    with client.session_transaction() as planted:
        planted["planted"] = "by an attacker"
        planted["lang"] = "en"
    client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["lang"] == "en"  # the chosen language is the one thing kept
        assert after["sid"]


def test_a_copied_cookie_stops_working_after_logout(app, staff_client):
    thief = app.test_client()
    copy_cookie(staff_client, thief)
    assert _logged_in(thief.get("/"))
    staff_client.post("/logout")
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_password_change_ends_every_other_session_but_keeps_this_one(app, make_user):
    user = make_user("staff")
    first, second = login_client(app, user), login_client(app, user)
    response = second.post("/account/password", data={
        "current": TEST_PASSWORD, "new": "a brand new passphrase 77", "confirm": "a brand new passphrase 77"})
    assert response.status_code == 302
    assert _logged_in(second.get("/"))
    assert first.get("/").status_code == 302


def test_deactivation_by_an_admin_ends_the_users_sessions(app, admin_client, make_user):
    user = make_user("staff")
    victim = login_client(app, user)
    assert _logged_in(victim.get("/"))
    form = {"email": user.email, "name": user.name, "roles": ["staff"]}
    response = admin_client.post(f"/admin/users/{user.id}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]  # "active" unchecked
    assert victim.get("/").status_code == 302
    from praclox.auth.models import UserSession

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(UserSession).where(
            UserSession.user_id == user.id)) == 0


def test_thirty_idle_minutes_end_the_session(app, make_user):
    user = make_user("staff")
    with time_machine.travel(START, tick=False) as traveller:
        client = login_client(app, user)
        traveller.shift(timedelta(minutes=29))
        assert _logged_in(client.get("/"))
        traveller.shift(timedelta(minutes=29))
        assert _logged_in(client.get("/"))  # activity keeps it alive
        traveller.shift(timedelta(minutes=30, seconds=1))
        response = client.get("/")
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        assert client.get("/").status_code == 302  # and it stays ended


def test_twelve_hours_end_the_session_however_active(app, make_user):
    user = make_user("staff")
    with time_machine.travel(START, tick=False) as traveller:
        client = login_client(app, user)
        for _ in range(12 * 3 - 1):
            traveller.shift(timedelta(minutes=20))
            assert _logged_in(client.get("/"))
        traveller.shift(timedelta(minutes=20, seconds=1))  # 12 h and a second after the login
        assert client.get("/").status_code == 302


def test_the_idle_timeout_is_a_setting(app, make_user, ctx):
    from praclox.settings import services as settings

    settings.set_value("auth.session_idle_minutes", 10, actor=None)
    db.session.commit()
    user = make_user("staff")
    with time_machine.travel(START, tick=False) as traveller:
        client = login_client(app, user)
        traveller.shift(timedelta(minutes=10, seconds=1))
        assert client.get("/").status_code == 302


def test_a_user_sees_their_sessions_and_ends_another_one(app, make_user):
    user = make_user("staff")
    laptop = login_client(app, user, agent="Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0")
    phone = login_client(app, user, agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Version/17.0 Safari/604.1")
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert "Firefox · Linux" in page and "Safari · iOS" in page
    from praclox.auth.models import UserSession

    with app.app_context():
        phone_id = db.session.scalar(select(UserSession.id).where(UserSession.user_agent == "Safari · iOS"))
    assert laptop.post(f"/account/sessions/{phone_id}/end").status_code == 302
    assert phone.get("/").status_code == 302
    assert _logged_in(laptop.get("/"))


def test_nobody_can_end_another_users_session(app, make_user):
    from praclox.auth.models import UserSession

    owner, other = make_user("staff"), make_user("staff")
    owner_client = login_client(app, owner)
    other_client = login_client(app, other)
    with app.app_context():
        owner_session = db.session.scalar(select(UserSession.id).where(UserSession.user_id == owner.id))
    assert other_client.post(f"/account/sessions/{owner_session}/end").status_code == 404
    assert _logged_in(owner_client.get("/"))


def test_end_all_other_sessions(app, make_user):
    user = make_user("staff")
    others = [login_client(app, user) for _ in range(2)]
    me = login_client(app, user)
    assert me.post("/account/sessions/end-others").status_code == 302
    assert all(c.get("/").status_code == 302 for c in others)
    assert _logged_in(me.get("/"))


def test_a_role_change_needs_the_password_again_after_ten_minutes(app, make_user):
    from praclox.auth.models import User

    admin, target = make_user("admin"), make_user("staff")
    promote = {"email": target.email, "name": target.name, "roles": ["staff", "admin"], "active": "y"}
    with time_machine.travel(START, tick=False) as traveller:
        client = app.test_client()
        assert login(client, admin.email).status_code == 302  # the password and the authenticator's code
        assert client.get(f"/admin/users/{target.id}").status_code == 200
        traveller.shift(timedelta(minutes=10, seconds=1))
        response = client.post(f"/admin/users/{target.id}",
                               data=promote,
                               headers={"Referer": f"http://localhost/admin/users/{target.id}"})
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/confirm?next=")
        with app.app_context():
            assert db.session.get(User, target.id).role_names == {"staff"}
        wrong = client.post(response.headers["Location"], data={"password": "not the password at all"})
        assert wrong.status_code == 422
        right = client.post(response.headers["Location"],
                            data={"password": TEST_PASSWORD, "code": current_code(app, admin.email)})
        assert right.status_code == 302 and right.headers["Location"] == f"/admin/users/{target.id}"
        again = client.post(f"/admin/users/{target.id}",
                            data=promote)
        assert again.status_code == 302 and again.headers["Location"] == "/admin/users"
        with app.app_context():
            assert db.session.get(User, target.id).role_names == {"staff", "admin"}


def test_the_reauthentication_page_never_redirects_off_site(staff_client):
    response = staff_client.post("/account/confirm?next=//evil.example/x", data={"password": TEST_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_user_agent_summary_is_short_and_carries_no_details():
    assert summarise_user_agent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36 Edg/126.0"
    ) == "Edge · Windows"
    assert summarise_user_agent(None) == ""
    assert summarise_user_agent("curl/8.5.0 <script>") == "curl/8.5.0"
    assert len(summarise_user_agent("x" * 5000)) <= 100


def test_the_nightly_job_deletes_old_attempts_spent_links_and_timed_out_sessions(app, make_user):
    from praclox.auth.jobs import prune_security_records
    from praclox.auth.models import LoginAttempt
    from praclox.scheduler import run_job

    user = make_user("staff")
    with time_machine.travel(START, tick=False) as traveller:
        post_login(app.test_client(), user.email, "wrong password here")
        login_client(app, user)
        traveller.shift(timedelta(days=31))
        keep = login_client(app, user)
        with app.app_context():
            assert prune_security_records() == {"login_attempts": 2, "reset_links": 0, "sessions": 1}
            assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 1
        assert _logged_in(keep.get("/"))
        assert run_job(app, "auth.prune").outcome == "ok"

