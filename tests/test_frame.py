"""The frame every page shares: the navigation a role sees, the active page, the language, built once per worker."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from praclox.domain import registry

NAV = re.compile(r'<ul class="navbar-nav me-auto">(.*?)</ul>', re.S)
LINK = re.compile(r'<a class="nav-link( active" aria-current="page)?" href="([^"]+)">([^<]+)</a>')


def nav_links(page: str) -> list[tuple[bool, str, str]]:
    """(active, address, label) of every link in the top navigation of ``page``."""
    found = NAV.search(page)
    assert found, "no navigation on the page"
    return [(bool(active), href, label) for active, href, label in LINK.findall(found.group(1))]


def every_nav_address(app) -> list[str]:
    with app.test_request_context():
        from flask import url_for

        return sorted({url_for(n.endpoint) for d in registry().domains for n in d.nav})


@pytest.mark.parametrize("role", ["staff", "recruiter", "privacy_officer", "admin"])
def test_the_navigation_shows_exactly_the_pages_a_role_may_open(app, login_as, role):
    client = login_as(role)
    shown = {href for _, href, _ in nav_links(client.get("/").get_data(as_text=True))}
    assert shown, role
    for address in every_nav_address(app):
        status = client.get(address).status_code
        assert (address in shown) == (status == 200), (role, address, status)


def test_the_current_page_is_marked_active_in_both_languages(login_as):
    staff = login_as("staff")
    dutch = nav_links(staff.get("/follow-ups/").get_data(as_text=True))
    assert [href for active, href, _ in dutch if active] == ["/follow-ups/"]
    staff.post("/language", data={"lang": "en", "next": "/"})
    english = nav_links(staff.get("/offices/").get_data(as_text=True))
    assert [(href, label) for active, href, label in english if active] == [("/offices/", "Offices")]
    assert "Follow-ups" in {label for _, _, label in english}
    # the same role set in the other language is its own entry: Dutch labels come back with Dutch
    staff.post("/language", data={"lang": "nl", "next": "/"})
    again = nav_links(staff.get("/offices/").get_data(as_text=True))
    assert [(href, label) for active, href, label in again if active] == [("/offices/", "Kantoren")]
    assert {label for _, _, label in again} == {label for _, _, label in dutch}


def test_a_role_change_shows_the_new_navigation_on_the_next_login(app, login_as, make_user):
    from praclox_testsupport import log_in

    from praclox.auth import services
    from praclox.auth.models import User
    from praclox.extensions import db

    staff = login_as("staff")
    before = {href for _, href, _ in nav_links(staff.get("/").get_data(as_text=True))}
    assert "/applicants/" not in before
    admin = make_user("admin")
    with app.test_request_context():
        user = db.session.get(User, staff.user.id)
        services.update_user(user, name=user.name, roles={"staff", "recruiter"}, active=True,
                             actor=db.session.get(User, admin.id))
        db.session.commit()
    assert staff.get("/").status_code == 302  # a role change ends the user's sessions
    again = app.test_client()
    assert log_in(again, staff.user.email).status_code == 302
    after = {href for _, href, _ in nav_links(again.get("/").get_data(as_text=True))}
    assert "/applicants/" in after and before < after
    # a staff member logged in elsewhere still gets the staff navigation from the same worker
    assert {href for _, href, _ in nav_links(login_as("staff").get("/").get_data(as_text=True))} == before


def test_the_logout_and_language_forms_carry_the_sessions_own_token(app, login_as):
    app.config["WTF_CSRF_ENABLED"] = True
    first, second = login_as("staff"), login_as("staff")
    token = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
    tokens = [token.findall(c.get("/").get_data(as_text=True)) for c in (first, second)]
    assert len(tokens[0]) >= 2 and len(set(tokens[0])) == 1, "logout and language forms, one token per page"
    assert tokens[0][0] != tokens[1][0], "a token cached across sessions"
    assert first.post("/logout", data={"csrf_token": tokens[1][0]}).status_code == 400
    assert first.post("/language", data={"lang": "en", "next": "/", "csrf_token": tokens[0][0]}).status_code == 302
    assert first.post("/logout", data={"csrf_token": tokens[0][0]}).status_code == 302
    assert first.get("/").status_code == 302


def test_no_template_renders_fields_through_bootstrap_flask_macros():
    templates = Path(__file__).resolve().parent.parent / "templates"
    users = [str(p.relative_to(templates)) for p in templates.rglob("*.html")
             if "bootstrap5/form.html" in p.read_text()]
    assert not users, f"render_field/render_form are praclox.form_html's: {users}"
