"""The administrator manages staff accounts and their roles."""

from __future__ import annotations

from sqlalchemy import select

from praclox.auth.models import User
from praclox.extensions import db
from tests.conftest import login


def test_admin_creates_a_user_who_gets_a_one_time_password(app, admin_client):
    response = admin_client.post("/admin/users/new", data={"email": "Nieuw@Praclox.nl", "name": "Nieuwe Collega",
                                                           "roles": ["staff", "recruiter"], "active": "y"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "nieuw@praclox.nl"))
        assert user.role_names == {"staff", "recruiter"} and user.must_change_password
    import re

    password = re.search(r'<code class="fs-5">([^<]+)</code>', page).group(1)
    assert login(app.test_client(), "nieuw@praclox.nl", password).status_code == 302


def test_duplicate_email_in_another_case_is_refused(app, admin_client, make_user):
    make_user("staff", email="dubbel@praclox.nl")
    response = admin_client.post("/admin/users/new", data={"email": "DUBBEL@praclox.nl", "name": "X",
                                                           "roles": ["staff"]})
    assert response.status_code == 422


def test_role_change_logs_the_user_out_and_admin_cannot_demote_self(app, admin_client, login_as):
    target = login_as("staff")
    user_id = target.user.id
    response = admin_client.post(f"/admin/users/{user_id}", data={"name": "Test", "roles": ["recruiter"],
                                                                  "active": "y"})
    assert response.status_code == 302
    assert target.get("/offices/").status_code == 302  # logged out by the role change
    me = admin_client.user.id
    refused = admin_client.post(f"/admin/users/{me}", data={"name": "Me", "roles": ["staff"], "active": "y"})
    assert refused.status_code == 422
    with app.app_context():
        assert "admin" in db.session.get(User, me).role_names


def test_deactivating_a_user_from_the_admin_page(app, admin_client, login_as):
    target = login_as("staff")
    admin_client.post(f"/admin/users/{target.user.id}", data={"name": "Test", "roles": ["staff"]})
    assert target.get("/offices/").status_code == 302
    with app.app_context():
        assert not db.session.get(User, target.user.id).active


def test_bad_input_on_the_user_form_saves_nothing(app, admin_client):
    for data in ({"email": "not-an-email", "name": "X", "roles": ["staff"]},
                 {"email": "a@praclox.nl", "name": "X" * 500, "roles": ["staff"]},
                 {"email": "b@praclox.nl", "name": "X", "roles": ["emperor"]},
                 {"email": "c@praclox.nl", "name": "X\x00Y", "roles": ["staff"]},
                 {"email": "d@praclox.nl", "name": "X"}):
        assert admin_client.post("/admin/users/new", data=data).status_code == 422, data
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email.in_(["a@praclox.nl", "b@praclox.nl"]))) is None
