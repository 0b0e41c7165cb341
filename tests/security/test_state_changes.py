"""CSRF on every state change, logout included (ASVS V4.2.2, V13.2.3)."""

from __future__ import annotations

import re

from praclox_testsupport import TEST_PASSWORD, current_code
from security_walk import ALL_ROLES, SESSION_TOUCH, rules, seed_records, snapshot, url_for_rule


def csrf_exempt_endpoints(app) -> set[str]:
    """Endpoints exempted with ``csrf.exempt`` (a view or a whole blueprint)."""
    from praclox.extensions import csrf

    found = set()
    exempt_blueprints = {getattr(bp, "name", bp) for bp in csrf._exempt_blueprints}
    for endpoint, view in app.view_functions.items():
        location = f"{view.__module__}.{view.__name__}"
        blueprint = endpoint.rpartition(".")[0]
        if location in csrf._exempt_views or blueprint in exempt_blueprints:
            found.add(endpoint)
    return found


def test_only_session_less_endpoints_are_exempt_from_csrf(app):
    """An exemption is fine for a token or API endpoint (no cookie decides); anywhere else it is a hole."""
    from test_access_matrix import ACCESS, API, CLIENT, TOKEN

    # The client area has its own cookie (never the staff session) and its own token on sign-out; asking
    # for a login link only mails the address's owner and always answers the same.
    allowed = {"client.login"}
    wrong = {e for e in csrf_exempt_endpoints(app) if ACCESS.get(e) not in (TOKEN, API, CLIENT) and e not in allowed}
    assert not wrong, f"CSRF-exempt endpoints that a session cookie reaches: {sorted(wrong)}"



def page_token(client, url):
    """The CSRF token in the form of the page at ``url``."""
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def csrf_login(app, make_user):
    """A client that sends only the tokens it reads from the pages, logged in through the real login forms."""
    user = make_user(*ALL_ROLES)
    client = app.test_client(csrf_token=False)
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD,
                                           "csrf_token": page_token(client, "/login")})
    assert response.headers["Location"] == "/login/verify"  # the roles include admin: the second step
    response = client.post("/login/verify", data={"code": current_code(app, user.email),
                                                  "csrf_token": page_token(client, "/login/verify")})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    return client


def test_the_suite_runs_with_the_production_security_settings(app):
    """The shared test configuration switches none of CSRF, the second factor or the session limits off."""
    from praclox.auth import totp
    from praclox.auth.sessions import ABSOLUTE_HOURS, IDLE_MINUTES
    from praclox.settings import services as settings

    assert app.config["WTF_CSRF_ENABLED"]
    with app.test_request_context():
        assert set(totp.required_roles()) == {"admin", "privacy_officer"}
        assert (settings.get(IDLE_MINUTES), settings.get(ABSOLUTE_HOURS)) == (30, 12)


def test_a_post_without_the_csrf_token_is_refused_everywhere_and_changes_nothing(app, make_user, make_office):
    seed_records(app)
    client = csrf_login(app, make_user)
    before = snapshot(app, SESSION_TOUCH)
    checked = 0
    exempt = csrf_exempt_endpoints(app)
    for rule, _method in rules(app, ("POST",)):
        if rule.endpoint in exempt:
            continue
        response = client.post(url_for_rule(rule), data={"name": "x", "summary": "x", "lang": "en"})
        assert response.status_code == 400, (rule.rule, response.status_code)
        checked += 1
    assert snapshot(app, SESSION_TOUCH) == before
    assert client.get("/").status_code == 200  # the refused logout did not log out
    assert checked >= 10


def test_a_post_with_a_token_from_another_session_is_refused(app, make_user):
    victim = csrf_login(app, make_user)
    foreign = page_token(app.test_client(csrf_token=False), "/login")
    assert victim.post("/logout", data={"csrf_token": foreign}).status_code == 400
    assert victim.get("/").status_code == 200


def test_logout_with_its_token_works(app, make_user):
    client = csrf_login(app, make_user)
    assert client.post("/logout", data={"csrf_token": page_token(client, "/")}).status_code == 302
    assert client.get("/").status_code == 302


def test_anonymous_login_without_a_token_is_refused(app, make_user):
    user = make_user("staff")
    client = app.test_client(csrf_token=False)
    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert client.get("/").status_code == 302
