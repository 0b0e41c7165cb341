"""What every authenticated request costs the database: the user and the settings read once, no commit when
nothing changed (a commit expired every loaded object and the page read them all again)."""

from __future__ import annotations

from sqlalchemy import event

from praclox.extensions import db


def _statements_of(app, client, path: str) -> tuple[list[str], int]:
    statements: list[str] = []
    commits: list[int] = []

    def on_execute(conn, cursor, statement, *args) -> None:
        statements.append(" ".join(statement.split()))

    def on_commit(conn) -> None:
        commits.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    try:
        response = client.get(path)
        response.close()  # a static file's answer holds the file open until then
        assert response.status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)
    return statements, len(commits)


def test_an_office_page_reads_the_user_and_the_settings_once_and_commits_nothing(app, staff_client, make_office):
    office_id = make_office("Jansen Accountants")
    staff_client.get(f"/offices/{office_id}")  # the session's first touch may write
    statements, commits = _statements_of(app, staff_client, f"/offices/{office_id}")
    assert commits == 0
    assert sum(s.startswith("SELECT users.") for s in statements) == 1
    assert not any(s.startswith("SELECT user_roles.") for s in statements)  # the roles come with the user
    assert sum("FROM settings" in s for s in statements) <= 1


def _log(client, office_id: int, n: int) -> None:
    from praclox.offices.models import Contact

    with client.application.app_context():
        contact_id = db.session.scalar(db.select(Contact.id).where(Contact.office_id == office_id))
    response = client.post(f"/offices/{office_id}/interactions", data={
        "kind": "visit", "occurred_on": "2026-01-05", "contact_id": str(contact_id), "summary": f"Bezoek {n}"})
    assert response.status_code == 302


def test_an_office_page_costs_the_same_statements_with_a_long_history(app, staff_client, make_office):
    """One page of the history is read, whatever its length; each moment's contact and kind need no statement."""
    app.config["PAGE_SIZE"] = 5
    office_id = make_office("Jansen Accountants", contacts=({"first_name": "Ann", "last_name": "Aa"},))
    _log(staff_client, office_id, 0)
    staff_client.get(f"/offices/{office_id}")
    short, _ = _statements_of(app, staff_client, f"/offices/{office_id}")
    for n in range(1, 12):
        _log(staff_client, office_id, n)
    staff_client.get(f"/offices/{office_id}")
    long, _ = _statements_of(app, staff_client, f"/offices/{office_id}")
    assert len(long) == len(short) <= 20, long


def test_the_dashboard_costs_the_same_statements_however_many_offices_its_latest_moments_name(
        app, staff_client, make_office):
    """The latest contact moments come with their offices and contacts in one statement each, not one per line."""
    first = make_office("Kantoor 0", contacts=({"first_name": "Ann", "last_name": "Aa"},))
    _log(staff_client, first, 0)
    staff_client.get("/")
    one, _ = _statements_of(app, staff_client, "/")
    for n in range(1, 8):
        _log(staff_client, make_office(f"Kantoor {n}", contacts=({"first_name": "Bo", "last_name": f"B{n}"},)), n)
    staff_client.get("/")
    eight, _ = _statements_of(app, staff_client, "/")
    page = staff_client.get("/").get_data(as_text=True)
    assert all(f"Kantoor {n}" in page for n in range(8)) and "Bo B7" in page
    assert len(eight) == len(one) <= 16, eight


def _follow_ups(app, owner_id: int, office_id: int, contact_id: int | None, per_day: int) -> None:
    from datetime import timedelta

    from praclox.clock import today
    from praclox.followups.models import FollowUp

    with app.app_context():
        for offset in (-3, -1, 0, 2, 6, 7):  # overdue twice, today, this week twice, and one after the week
            for n in range(per_day):
                db.session.add(FollowUp(office_id=office_id, contact_id=contact_id if n % 2 else None,
                                        owner_id=owner_id, title=f"Taak {offset}/{n}",
                                        due_on=today() + timedelta(days=offset)))
        db.session.commit()


def test_the_dashboard_costs_the_same_statements_with_no_follow_ups_or_many(app, staff_client, make_office):
    """The follow-ups panel is one statement whatever it shows: three groups, each ranked and counted in SQL,
    with the offices' and contacts' names joined in (it was a count and a page per group and a look-up for the
    names: 3 statements with nothing to show, 15 with something in each group)."""
    from praclox.offices.models import Contact

    office_id = make_office("Kantoor Taken", contacts=({"first_name": "Cor", "last_name": "Taak"},))
    with app.app_context():
        contact_id = db.session.scalar(db.select(Contact.id).where(Contact.office_id == office_id))
    staff_client.get("/")
    none, _ = _statements_of(app, staff_client, "/")
    _follow_ups(app, staff_client.user.id, office_id, contact_id, per_day=7)
    staff_client.get("/")
    many, _ = _statements_of(app, staff_client, "/")
    # the same number of reads (a write may come with any request: the use counts are flushed now and then)
    assert len([s for s in many if s.startswith("SELECT")]) == len([s for s in none if s.startswith("SELECT")]), many
    assert sum("FROM follow_ups" in s for s in many) == 1, many
    page = staff_client.get("/").get_data(as_text=True)
    groups = {css: page.split(f'follow-ups-{css}">', 1)[1].split("</ul>", 1)[0] for css in ("overdue", "today", "week")}
    # ten of the fourteen overdue (earliest first) and of the fourteen this week; the seven of today
    assert [groups[css].count('action="/follow-ups/') for css in groups] == [10, 7, 10]
    assert "Taak -3/0" in groups["overdue"] and "Taak -1/2" in groups["overdue"] and "Taak -1/3" not in page
    assert "Taak 6/2" in groups["week"] and "Taak 6/3" not in page and "Taak 7/" not in page  # after the week
    assert "Cor Taak" in groups["today"] and "Kantoor Taken" in groups["week"]
    assert '<a href="/follow-ups/?period=overdue">en nog 4</a>' in groups["overdue"]
    assert '<a href="/follow-ups/?period=week">en nog 4</a>' in groups["week"]
    assert "?period=today" not in groups["today"]


def test_a_setting_changed_in_a_request_is_read_back_changed(app):
    from praclox.settings import services

    with app.test_request_context():
        key = next(iter(services.specs()))
        spec = services.specs()[key]
        before = services.get(key)
        new = (not before) if spec.type is bool else (before + 1 if spec.type is int else before + "x")
        if spec.type is int and spec.maximum is not None and new > spec.maximum:
            new = before - 1
        services.set_value(key, new, actor=None)
        assert services.get(key) == new
        db.session.rollback()


def test_a_logged_in_browsers_health_checks_and_static_files_touch_no_database(app, staff_client):
    for path in ("/health", "/static/css/praclox.css"):
        statements, commits = _statements_of(app, staff_client, path)
        assert (statements, commits) == ([], 0), path
