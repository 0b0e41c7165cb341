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
        assert client.get(path).status_code == 200
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
    assert sum("FROM settings" in s for s in statements) <= 1


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
