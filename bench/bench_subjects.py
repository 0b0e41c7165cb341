"""Benchmark of the privacy officer's person search into free text (run by ``make bench``; not a timed test).

Generates 2,500 offices with notes, 10,000 contacts, 50,000 history entries (summaries encrypted at rest)
and 2,500 wishes in a fresh SQLite database, then reports:

- floor: reading and decrypting every summary once (the search cannot do less: it must read them all);
- search by e-mail: the whole subject search, widened from the contact to their name and phone, every free
  text of every domain read and matched.

No target is set by the issue; the figure says what a privacy officer waits for at this size.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.fernet import Fernet  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

OFFICES, CONTACTS, INTERACTIONS, WISHES = 2_500, 10_000, 50_000, 2_500


def timed(func, runs: int) -> float:
    walls = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        walls.append((time.perf_counter() - start) * 1000)
    return statistics.median(walls)


def populate(db, rng: random.Random) -> None:
    from praclox.offices.models import Contact, Interaction, Office
    from praclox.wishes.models import Wish

    moment = datetime.now(UTC)
    first = ("Anna", "Bram", "Carlijn", "Daan", "Eva", "Femke", "Gijs", "Iris", "Jeroen", "Karin", "Lars")
    last = ("de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder")
    db.session.execute(insert(Office), [
        {"id": i, "kind": "client", "name": f"Kantoor {i}", "notes": f"Klant sinds {2000 + i % 25}, via "
         f"{rng.choice(first)} {rng.choice(last)}", "created_at": moment, "updated_at": moment}
        for i in range(1, OFFICES + 1)])
    db.session.execute(insert(Contact), [
        {"id": i, "office_id": (i - 1) // 4 + 1, "first_name": rng.choice(first), "last_name": rng.choice(last),
         "email": f"c{i}@voorbeeld.nl", "phone": f"06-{10_000_000 + i}", "active": True, "needs_review": False,
         "created_at": moment, "updated_at": moment} for i in range(1, CONTACTS + 1)])
    db.session.execute(insert(Interaction), [
        {"office_id": i % OFFICES + 1, "occurred_on": date(2025, 1 + i % 12, 1 + i % 28), "kind": "call",
         "summary": f"Gesproken met {rng.choice(first)} over de offerte; terugbellen op 06-{10_000_000 + i % 9_999}",
         "created_at": moment, "updated_at": moment} for i in range(INTERACTIONS)])
    db.session.execute(insert(Wish), [
        {"office_id": i % OFFICES + 1, "title": f"Koppeling {i}", "description": "Export naar het pakket",
         "status": "new", "priority": "normal", "requested_on": date(2025, 6, 1), "created_at": moment,
         "updated_at": moment} for i in range(WISHES)])
    db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from praclox import create_app
    from praclox.extensions import db
    from praclox.offices.models import Interaction
    from praclox.privacy import subjects
    from praclox.privacy.registry import SubjectQuery

    tmp = Path(tempfile.mkdtemp(prefix="praclox-bench-"))
    app = create_app({
        "INSTANCE_PATH": str(tmp), "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "SECRET_KEY": "bench", "ENCRYPTION_KEYS": Fernet.generate_key().decode(), "LOG_LEVEL": "WARNING",
    })
    with app.test_request_context():
        db.create_all()
        populate(db, random.Random(5))  # noqa: S311

        def floor() -> int:
            return sum(len(s) for s in db.session.scalars(select(Interaction.summary)))

        def search() -> int:
            return sum(len(p.hits) for p in subjects.search(SubjectQuery(email="c1234@voorbeeld.nl")))

        floor_ms, search_ms = timed(floor, args.runs), timed(search, args.runs)
        hits = search()
    print(f"{INTERACTIONS} summaries, {OFFICES} offices, {CONTACTS} contacts, {WISHES} wishes")
    print(f"floor (read and decrypt every summary): {floor_ms:8.0f} ms")
    print(f"subject search by e-mail, widened:      {search_ms:8.0f} ms  ({hits} hits)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
