"""No open redirect: every ``next`` that could lead off the site falls back to a page here (ASVS V5.1.5)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
from praclox_testsupport import TEST_PASSWORD

from praclox.urls import safe_next

EVIL = [
    "//evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https:evil.example",
    "https://evil.example",
    "http://evil.example/",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "///evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n//evil.example",
    "\x00//evil.example",
    " //evil.example",
    "evil.example",
    "mailto:x@evil.example",
    "//evil.example@crm.test",
    "/%0a/evil.example".replace("%0a", "\n"),
    "",
    None,
]
GOOD = ["/", "/offices/", "/offices/7?tab=history", "/offices/?q=a%20b&sort=name", "/account/sessions#x"]


@pytest.mark.parametrize("target", EVIL)
def test_safe_next_refuses_every_way_off_the_site(target):
    assert safe_next(target, "/fallback") == "/fallback"


@pytest.mark.parametrize("target", GOOD)
def test_safe_next_keeps_plain_paths_on_the_site(target):
    assert safe_next(target, "/fallback") == target


def _stays_here(location: str) -> bool:
    parts = urlsplit(location)
    return not parts.scheme and not parts.netloc and location.startswith("/") and not location.startswith("//") \
        and "\\" not in location


@pytest.mark.parametrize("target", [t for t in EVIL if t])
def test_login_next_never_leads_off_the_site(client, make_user, target):
    user = make_user("staff")
    response = client.post(f"/login?next={quote(target, safe='')}", data={"email": user.email,
                                                                           "password": TEST_PASSWORD})
    if "\x00" in target:
        assert response.status_code == 400  # refused before any view runs: no redirect at all
        return
    assert response.status_code == 302 and _stays_here(response.headers["Location"]), response.headers["Location"]


@pytest.mark.parametrize("target", [t for t in EVIL if t])
def test_language_switch_next_never_leads_off_the_site(client, target):
    response = client.post("/language", data={"lang": "en", "next": target})
    assert response.status_code == 302 and _stays_here(response.headers["Location"])


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https:evil.example"])
def test_reauthentication_next_never_leads_off_the_site(staff_client, target):
    response = staff_client.post(f"/account/confirm?next={quote(target, safe='')}",
                                 data={"password": TEST_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_good_next_is_followed_after_login(client, make_user):
    user = make_user("staff")
    response = client.post("/login?next=/offices/%3Fq%3Dx", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/offices/?q=x"


def test_the_login_page_sent_by_the_login_guard_comes_back_to_the_page(client, make_user):
    user = make_user("staff")
    guard = client.get("/offices/?q=jansen")
    assert guard.status_code == 302
    login_url = guard.headers["Location"]
    response = client.post(login_url, data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/offices/?q=jansen"


def test_no_redirect_anywhere_leaves_the_site_for_any_endpoint(app, login_as, make_office):
    """Every endpoint, GET and POST with ``next``, ``url`` and ``return_to`` set to other sites."""
    from security_walk import ALL_ROLES, rules, seed_records, url_for_rule

    seed_records(app)
    client = login_as(*ALL_ROLES)
    evil = {"next": "//evil.example", "url": "https://evil.example", "return_to": "/\\evil.example"}
    for rule, method in rules(app):
        if rule.endpoint in ("auth.logout", "static", "bootstrap.static"):
            continue
        url = url_for_rule(rule)
        query = "&".join(f"{k}={quote(v, safe='')}" for k, v in evil.items())
        response = client.open(f"{url}?{query}", method=method, data=evil if method == "POST" else None)
        response.close()
        if response.status_code in (301, 302, 303, 307, 308):
            assert _stays_here(response.headers["Location"]), (rule.rule, method, response.headers["Location"])
