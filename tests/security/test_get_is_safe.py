"""No state change by GET: every GET endpoint, with real and unknown ids, leaves the database as it was
(ASVS V13.1 / HTTP semantics, and the basis of the CSRF protection, which guards only POST)."""

from __future__ import annotations

from security_walk import ALL_ROLES, SESSION_TOUCH, rules, seed_records, snapshot, url_for_rule

#: columns a GET may change (table: columns, "*" for a whole table); keep this short and say why
MAY_CHANGE_ON_GET: dict[str, set[str]] = {
    **SESSION_TOUCH,  # the session's last-seen time, for the idle timeout
}
#: rows a GET may add: an audit entry that someone viewed a record (ASVS 8.3.5) changes no data
#: and so is the entry that someone downloaded an export (the register, the audit trail as CSV)
MAY_ADD_ON_GET = {"audit_entries": lambda row: row["action"] in ("view", "export")}


def test_every_get_leaves_the_database_unchanged(app, login_as, make_office):
    seed_records(app)
    client = login_as(*ALL_ROLES)
    client.get("/")  # the first request may touch the session's last-seen time
    before = snapshot(app, MAY_CHANGE_ON_GET, MAY_ADD_ON_GET)
    for rule, _method in rules(app, ("GET",)):
        if rule.endpoint in ("static", "bootstrap.static"):
            continue
        for number in ("1", "2", "999999"):
            client.get(url_for_rule(rule, number)).close()
            assert snapshot(app, MAY_CHANGE_ON_GET, MAY_ADD_ON_GET) == before, (rule.rule, number)


def test_the_snapshot_sees_a_change(app, make_office):
    before = snapshot(app, MAY_CHANGE_ON_GET, MAY_ADD_ON_GET)
    make_office("Another Office")
    assert snapshot(app, SESSION_TOUCH) != before
