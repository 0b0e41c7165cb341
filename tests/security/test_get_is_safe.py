"""No state change by GET or HEAD: every GET endpoint, with real and unknown ids and, for the routes whose
parameter is a secret, with a real, valid secret, leaves the database as it was (ASVS V13.1 / HTTP semantics,
and the basis of the CSRF protection, which guards only POST). Link scanners and mail previews fetch every URL
in a mail with GET or HEAD; only a POST may act (issue 11 finding 12: the unsubscribe link acted on GET, and
the walk, with made-up tokens only, never reached it)."""

from __future__ import annotations

from security_walk import (
    ALL_ROLES,
    SESSION_TOUCH,
    TOKEN_URLS,
    rules,
    secret_arguments,
    seed_records,
    snapshot,
    token_url,
    url_for_rule,
)

#: columns a GET may change (table: columns, "*" for a whole table); keep this short and say why
MAY_CHANGE_ON_GET: dict[str, set[str]] = {
    **SESSION_TOUCH,  # the session's last-seen time, for the idle timeout
    # a calendar fetch: the cache validators and the time of the last fetch, which the unused-feed expiry needs
    "date_feeds": {"last_fetched_at", "etag", "etag_key"},
    # the page-use counts (a number per endpoint and day, nobody in them): every answered request is counted, and
    # a worker writes its tally about once a minute, on whichever request comes after the minute, GET included
    "endpoint_uses": {"*"},
}
#: rows a GET may add: an audit entry that someone viewed a record (ASVS 8.3.5) changes no data
#: and so is the entry that someone downloaded an export (the register, the audit trail as CSV)
MAY_ADD_ON_GET = {"audit_entries": lambda row: row["action"] in ("view", "export")}


def test_every_get_and_head_leaves_the_database_unchanged(app, login_as):
    seed_records(app)
    client = login_as(*ALL_ROLES)
    real = {endpoint: token_url(app, endpoint) for endpoint in TOKEN_URLS}
    client.get("/").close()  # the first request may touch the session's last-seen time
    before = snapshot(app, MAY_CHANGE_ON_GET, MAY_ADD_ON_GET)
    reached = set()
    for rule, _method in rules(app, ("GET",)):
        if rule.endpoint in ("static", "bootstrap.static"):
            continue
        urls = [url_for_rule(rule, number) for number in ("1", "2", "999999")]
        if rule.endpoint in real:
            urls.insert(0, real[rule.endpoint])
        for url in urls:
            for method in ("HEAD", "GET"):
                response = client.open(url, method=method)
                if url == real.get(rule.endpoint) and response.status_code == 200:
                    reached.add(rule.endpoint)
                response.close()
                assert snapshot(app, MAY_CHANGE_ON_GET, MAY_ADD_ON_GET) == before, (method, rule.rule, url)
    # the real secrets opened their pages: the walk saw what a good link does, not only the 404 of a bad one
    assert reached == set(real), set(real) - reached


def test_every_secret_route_has_a_real_secret_in_the_walk(app):
    """A new token route (``<secret:...>``) cannot be forgotten by the walks: it needs a provider."""
    secret_routes = {rule.endpoint for rule in app.url_map.iter_rules() if secret_arguments(rule)}
    assert secret_routes, "no route declares a secret parameter"
    assert secret_routes == set(TOKEN_URLS), (secret_routes ^ set(TOKEN_URLS))


def test_the_snapshot_sees_a_change(app, make_office):
    before = snapshot(app, MAY_CHANGE_ON_GET, MAY_ADD_ON_GET)
    make_office("Another Office")
    assert snapshot(app, SESSION_TOUCH) != before
