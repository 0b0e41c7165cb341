"""The security headers on every endpoint of the app, for anonymous and logged-in requests (ASVS V14.4)."""

from __future__ import annotations

from html.parser import HTMLParser

from security_walk import ALL_ROLES, rules, seed_records, url_for_rule

from praclox import create_app
from praclox.security import CSP, HOST_COOKIE

CACHEABLE = {"static", "bootstrap.static"}


def assert_security_headers(response, endpoint, where):
    headers = response.headers
    assert headers.get("Content-Security-Policy") == CSP, where
    assert "frame-ancestors 'none'" in CSP and "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("Referrer-Policy") == "same-origin", where
    assert headers.get("X-Frame-Options") == "DENY", where
    if endpoint in CACHEABLE:
        assert "no-store" not in headers.get("Cache-Control", ""), where
    else:
        assert headers.get("Cache-Control") == "no-store", where


def test_every_endpoint_answers_with_the_security_headers_anonymous_and_logged_in(app, client, login_as,
                                                                                    make_office):
    seed_records(app)
    user_client = login_as(*ALL_ROLES)
    checked = 0
    for rule, method in rules(app):
        if rule.endpoint == "auth.logout":
            continue
        url = url_for_rule(rule)
        if rule.endpoint in CACHEABLE:
            url = rule.rule.replace("<path:filename>", "css/praclox.css" if rule.endpoint == "static"
                                    else "css/bootstrap.min.css")
        for who, c in (("anonymous", client), ("logged in", user_client)):
            response = c.open(url, method=method)
            response.close()
            assert_security_headers(response, rule.endpoint, (who, method, url, response.status_code))
            checked += 1
    assert checked > 20


def test_error_pages_carry_the_headers_too(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert_security_headers(response, None, "404")


def test_hsts_only_over_https(client):
    plain = client.get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    secure = client.get("/login", base_url="https://crm.test")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_behind_a_tls_proxy_the_session_cookie_is_host_prefixed_secure_and_hsts_is_sent(tmp_path, make_user,
                                                                                        app_config):
    app = create_app({**app_config, "PROXY_FIX": True})
    from praclox.extensions import db

    with app.app_context():
        db.create_all()
    user = make_user("staff")
    client = app.test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "crm.example.nl", "X-Forwarded-For": "203.0.113.9",
                 "Referer": "https://crm.example.nl/login"}  # over HTTPS the CSRF check wants the form's page
    from praclox_testsupport import TEST_PASSWORD

    response = client.post("/login", data={"email": user.email, "password": TEST_PASSWORD}, headers=forwarded)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{HOST_COOKIE}=")
    assert "Secure" in cookie and "Path=/" in cookie and "HttpOnly" in cookie and "Domain" not in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert response.headers["Location"].startswith(("/", "https://crm.example.nl/"))


class InlineCodeFinder(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block: inline scripts, styles and handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): value for name, value in attrs}
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            if "src" not in names:
                self._in_script = True
                self.problems.append("inline <script>")
        for name, value in names.items():
            if name == "style":
                self.problems.append(f"style attribute on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"{name} handler on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def test_no_page_has_inline_script_or_style_that_the_policy_would_block(app, client, login_as, make_office):
    seed_records(app)
    user_client = login_as(*ALL_ROLES)
    pages = 0
    for rule, _method in rules(app, ("GET",)):
        if rule.endpoint in CACHEABLE:
            continue
        for c in (client, user_client):
            response = c.get(url_for_rule(rule))
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            finder = InlineCodeFinder()
            finder.feed(response.get_data(as_text=True))
            assert not finder.problems, (rule.rule, finder.problems)
            pages += 1
    assert pages >= 10


def test_the_inline_code_finder_finds_what_it_looks_for():
    finder = InlineCodeFinder()
    finder.feed('<div style="color:red" onclick="x()"><script>alert(1)</script><a href="javascript:x">a</a>'
                '<style>p{}</style><script src="/static/js/praclox.js"></script>')
    assert len(finder.problems) == 5


def test_bootstrap_assets_are_served_locally_without_inline_code(app):
    with app.test_request_context():
        bootstrap = app.jinja_env.globals["bootstrap"]
        css, js = str(bootstrap.load_css()), str(bootstrap.load_js())
    finder = InlineCodeFinder()
    finder.feed(css + js)
    assert not finder.problems
    assert "http" not in css + js  # no CDN: everything from this server
