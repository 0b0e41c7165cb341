"""Benchmark: the office list's filters and sorts at 10,000 offices (``make bench``; not a timed test).

In-process (Flask's test client, one logged-in staff user), on SQLite and on PostgreSQL when 127.0.0.1:5432
answers. Data: 10,000 offices, 50,000 contact moments, 20,000 follow-ups (half open), 30 tags on 25,000
office-tag links. Each list variant is requested ``ROUNDS`` times; the figure is the median in milliseconds and
its ratio to the plain list (sorted by name) measured the same way in the same run, so the shared machine's
load divides out. Target: no filter or sort costs more than three plain lists (``--strict`` exits 1 when one
does); the plain list's own throughput under gunicorn is bench_pages.py's. The bulk assignment of all 10,000
offices (one request, audited per office) is timed once.
"""

from __future__ import annotations

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.fernet import Fernet  # noqa: E402

from bench.pgutil import pg_available, temporary_database  # noqa: E402

ROUNDS = 15
OFFICES, MOMENTS, FOLLOW_UPS, TAGS = 10_000, 50_000, 20_000, 30
PASSWORD = "Kwartel-Vijver-9731-Gras"  # noqa: S105  (a throw-away account in a throw-away database)
#: a filter or sort may cost at most this many plain lists
TARGET = 3.0
PAGES = {
    "name, page 3": "/offices/?page=3",
    "city": "/offices/?sort=city&page=40",
    "last contact": "/offices/?sort=last_contact&page=20",
    "next follow-up": "/offices/?sort=next_follow_up",
    "one tag": "/offices/?tag=3",
    "two tags": "/offices/?tag=3&tag=12",
    "my offices": "/offices/?manager=me&sort=last_contact",
    "no contact for 6 months": "/offices/?stale=1",
    "search": "/offices/?q=kantoor%2012",
}


def populate(db: object, owner_id: int) -> None:
    from sqlalchemy import insert

    from praclox.followups.models import FollowUp
    from praclox.offices.models import Interaction, Office, Tag, office_tags

    rng = random.Random(13)  # noqa: S311  (test data, not secrets)
    moment = datetime.now(UTC) - timedelta(days=900)
    today = date.today()
    session = db.session  # type: ignore[attr-defined]
    session.execute(insert(Office), [
        {"id": i, "kind": "client" if i % 3 else "prospect", "name": f"Kantoor {i}",
         "visit_city": rng.choice(("Utrecht", "Den Haag", "Zwolle", "Groningen", "Delft", "Breda")),
         "account_manager_id": owner_id if i % 7 == 0 else None, "created_at": moment, "updated_at": moment}
        for i in range(1, OFFICES + 1)])
    session.execute(insert(Interaction), [
        {"office_id": rng.randint(1, OFFICES), "occurred_on": today - timedelta(days=rng.randint(0, 1500)),
         "kind": "call", "summary": "Gebeld", "created_at": moment, "updated_at": moment}
        for _ in range(MOMENTS)])
    session.execute(insert(FollowUp), [
        {"office_id": rng.randint(1, OFFICES), "owner_id": owner_id, "title": "Nabellen",
         "due_on": today + timedelta(days=rng.randint(-60, 120)),
         "done_at": moment if n % 2 else None, "created_at": moment, "updated_at": moment}
        for n in range(FOLLOW_UPS)])
    session.execute(insert(Tag), [{"id": t, "name": f"Tag {t}", "tag_group": "sector", "created_at": moment,
                                   "updated_at": moment} for t in range(1, TAGS + 1)])
    links = {(rng.randint(1, OFFICES), rng.randint(1, TAGS)) for _ in range(25_000)}
    session.execute(insert(office_tags), [{"office_id": o, "tag_id": t} for o, t in links])
    session.commit()


def median_ms(client: object, path: str) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)  # noqa: S101
    return statistics.median(times)


def run(database_url: str | None, label: str) -> list[tuple[str, float, float]]:
    from praclox import create_app
    from praclox.auth import services as users
    from praclox.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({
            "INSTANCE_PATH": folder, "DATABASE_URL": database_url or f"sqlite:///{folder}/bench.sqlite3",
            "SECRET_KEY": secrets.token_hex(16), "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "WTF_CSRF_ENABLED": False, "TWO_FACTOR_ROLES": (), "BASE_URL": "http://crm.test",
        })
        with app.app_context():
            db.create_all()
            user, _ = users.create_user("bench@praclox.nl", "Bench", ("staff", "admin"), PASSWORD, actor=None)
            db.session.commit()
            user_id = user.id
            populate(db, user_id)
        client = app.test_client()
        assert client.post("/login", data={"email": "bench@praclox.nl", "password": PASSWORD}).status_code == 302  # noqa: S101
        median_ms(client, PAGES["name, page 3"])  # warm the caches first
        plain = median_ms(client, PAGES["name, page 3"])
        rows = [(name, ms, ms / plain) for name, ms in ((n, median_ms(client, p)) for n, p in PAGES.items())]
        started = time.perf_counter()
        response = client.post("/offices/bulk", data={"action": "manager", "account_manager_id": str(user_id),
                                                      "expected": str(OFFICES)})
        assert response.status_code == 302  # noqa: S101
        rows.append(("bulk assign, all offices", (time.perf_counter() - started) * 1000, 0.0))
        print(f"\n{label}: median of {ROUNDS} requests; x the plain list")
        for name, ms, ratio in rows:
            print(f"  {name:<28} {ms:8.1f} ms" + (f"   x{ratio:.2f}" if ratio else ""))
        with app.app_context():
            db.engine.dispose()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 when a page misses its target")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    results = run(None, "SQLite")
    if not args.sqlite_only and pg_available():
        with ExitStack() as stack:
            results += run(stack.enter_context(temporary_database()), "PostgreSQL")
    else:
        print("PostgreSQL not reachable (or --sqlite-only): SQLite only")
    missed = [name for name, _ms, ratio in results if ratio > TARGET]
    if missed:
        print(f"costlier than {TARGET:.0f} plain lists: {', '.join(missed)}")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
