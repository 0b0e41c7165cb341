"""Benchmark: the follow-up list, the activity timeline and the dashboard at issue 13's sizes (``make bench``).

10,000 contacts, 50,000 contact moments, 20,000 follow-ups (half done), 3,000 congratulations, under gunicorn
(``bench/server.py``: the same clients and ``/health`` ratio as ``bench_pages.py``); PostgreSQL when
127.0.0.1:5432 answers, else SQLite. Targets: each list at least 1/5 of ``/health``'s requests per second, the
dashboard at least 1/10; the office list and the contacts list are measured in the same run as a reference.
``--strict`` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from bench.datasets import populate  # noqa: E402
from bench.pgutil import pg_available  # noqa: E402
from bench.server import PASSWORD, measure, served  # noqa: E402

CONTACTS, MOMENTS, FOLLOW_UPS, CONGRATULATIONS, USERS = 10_000, 50_000, 20_000, 3_000, 20
#: page -> the least fraction of /health's requests per second
TARGETS = {"office list (ref.)": 1 / 5, "contact list (ref.)": 1 / 5, "mine": 1 / 5, "everyone open": 1 / 5,
           "everyone done": 1 / 5, "by office name": 1 / 5,
           "overdue": 1 / 5, "timeline": 1 / 5, "timeline p.40": 1 / 5, "timeline user": 1 / 5,
           "timeline done": 1 / 5, "timeline period": 1 / 5, "dashboard": 1 / 10}


def _history(db: object, users: list[int], offices: int, contacts: int, rng: random.Random) -> None:
    from praclox.dates.models import Congratulation, PersonalDate
    from praclox.followups.models import FollowUp
    from praclox.offices.models import Interaction

    moment, day = datetime.now(UTC), date.today()
    db.session.execute(insert(Interaction), [  # type: ignore[attr-defined]
        {"office_id": 1 + i % offices, "contact_id": 1 + i % contacts, "kind": "call",
         "occurred_on": day - timedelta(days=rng.randint(0, 1500)), "summary": f"Gesprek {i} over de jaarrekening",
         "logged_by_id": rng.choice(users), "created_at": moment, "updated_at": moment} for i in range(MOMENTS)])
    rows = []
    for i in range(FOLLOW_UPS):
        done = i % 2 == 0
        rows.append({"title": f"Nabellen {i}", "due_on": day + timedelta(days=rng.randint(-200, 200)),
                     "owner_id": rng.choice(users), "office_id": 1 + i % offices,
                     "done_at": moment - timedelta(minutes=rng.randint(0, 10**6)) if done else None,
                     "done_by_id": rng.choice(users) if done else None, "created_at": moment, "updated_at": moment})
    db.session.execute(insert(FollowUp), rows)  # type: ignore[attr-defined]
    date_ids = list(db.session.scalars(select(PersonalDate.id).limit(CONGRATULATIONS)))  # type: ignore[attr-defined]
    db.session.execute(insert(Congratulation), [  # type: ignore[attr-defined]
        {"personal_date_id": d, "occurrence_year": 2026, "half": False, "how": "card", "by_id": rng.choice(users),
         "created_at": moment - timedelta(minutes=rng.randint(0, 10**6))} for d in date_ids])


def prepare(env: dict[str, str]) -> dict[str, str]:
    from praclox import create_app
    from praclox.auth import services as users
    from praclox.extensions import db

    app = create_app({k.removeprefix("PRACLOX_"): v for k, v in env.items()})
    with app.app_context():
        db.create_all()
        populate(db, "seeded", contacts=CONTACTS, dates=CONGRATULATIONS * 2)
        me, _password = users.create_user("bench@praclox.nl", "Bench", ("staff",), PASSWORD, actor=None)
        others = [users.create_user(f"collega{n}@praclox.nl", f"Collega {n}", ("staff",),
                                    actor=None)[0].id for n in range(USERS)]
        db.session.flush()
        _history(db, [me.id, *others], CONTACTS // 4, CONTACTS, random.Random(13))  # noqa: S311
        db.session.commit()
    deep, done = _timeline_after(app, 40), _timeline_after(app, 5, kind="follow_up_done")
    with app.app_context():
        db.engine.dispose()
    start = (date.today() - timedelta(days=90)).isoformat()
    return {"office list (ref.)": "/offices/?page=3", "contact list (ref.)": "/contacts/?page=40&sort=office",
            "mine": "/follow-ups/",
            "everyone open": "/follow-ups/?owner=all&page=20",
            "everyone done": "/follow-ups/?owner=all&status=done&page=20",
            "by office name": "/follow-ups/?owner=all&office=kantoor+12",
            "overdue": "/follow-ups/?owner=all&period=overdue", "timeline": "/timeline/",
            "timeline p.40": f"/timeline/?after={quote(deep)}", "timeline user": f"/timeline/?user={others[3]}",
            "timeline done": f"/timeline/?kind=follow_up_done&after={quote(done)}",
            "timeline period": f"/timeline/?from={start}",
            "dashboard": "/"}


def _timeline_after(app: object, page: int, kind: str = "") -> str:
    """The timeline's link to page ``page`` (it pages by keyset: the cursor of the page before's last entry)."""
    from praclox.timeline import services

    with app.test_request_context():  # type: ignore[attr-defined]
        cursor = None
        for _ in range(page - 1):
            size = app.config["PAGE_SIZE"]  # type: ignore[attr-defined]
            rows = services.page_rows(services.Filters(kind=kind), size, cursor).rows
            cursor = services.cursor_of(services.entries(rows)[-1], older=True)
        return cursor.token if cursor else ""


def run(database: str) -> list[str]:
    with served(database, prepare, "praclox-followups-") as (port, pages):
        return measure(port, database, pages, TARGETS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--sqlite", action="store_true", help="SQLite even when PostgreSQL answers")
    args = parser.parse_args()
    database = "PostgreSQL" if pg_available() and not args.sqlite else "SQLite"
    missed = run(database)
    print("targets met" if not missed else "TARGETS MISSED: " + ", ".join(missed))
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    raise SystemExit(main())
