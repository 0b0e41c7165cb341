"""Benchmark of possible duplicates and exports at 10,000 offices (not a timed test; run by hand).

Generates 10,000 offices with 40,000 contacts in a fresh SQLite database (``--pg`` for PostgreSQL when
127.0.0.1:5432 answers). One office in twenty has a twin: the same e-mail address, the phone number spelled
another way, the website with ``https://www.``, or nearly the same name. Reports the median of ``--runs``:

- all office pairs (the "possible duplicates" page's work), all contact pairs;
- one office's twins (the office page's warning and the check before creating an office);
- the export of every office with its contacts as CSV and as XLSX, and as vCards.

Targets (``--strict`` exits 1 on a miss): one office's twins within 50 ms (it runs on every office page and
before every new office); all office pairs within 3 s (the duplicates page); the CSV export within 5 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.fernet import Fernet  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

OFFICES, CONTACTS_PER_OFFICE = 10_000, 4
TRADES = ("Accountants", "Advocaten", "Bouw", "Zorggroep", "Logistiek", "Makelaardij", "Techniek", "Notariaat")
FAMILIES = ("de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
            "de Groot", "Bos", "Vos", "Peters", "Hendriks", "Dekker", "Brouwer", "Dijkstra", "Kok", "Postma")


def timed(func, runs: int) -> tuple[float, object]:
    walls, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = func()
        walls.append((time.perf_counter() - start) * 1000)
    return statistics.median(walls), result


def _office(i: int, rng: random.Random, moment: datetime) -> dict:
    family, trade = rng.choice(FAMILIES), rng.choice(TRADES)
    slug = f"{family.replace(' ', '').lower()}{trade.lower()}{i}"
    row = {"id": i, "kind": "client", "name": f"{family.split()[-1].capitalize()} {trade} {i}",
           "email": f"info@{slug}.nl", "phone": f"0{rng.randint(10, 79)}-{rng.randint(1_000_000, 9_999_999)}",
           "website": f"www.{slug}.nl", "kvk_number": f"{10_000_000 + i}", "visit_city": "Utrecht",
           "created_at": moment, "updated_at": moment}
    return row


def _twin(row: dict, i: int, how: int) -> dict:
    twin = {**row, "id": i, "kvk_number": None, "email": None, "website": None, "phone": None}
    twin["name"] = row["name"] + " B.V." if how == 3 else f"Kantoor {i}"
    if how == 0:
        twin["email"] = row["email"].upper()
    elif how == 1:
        twin["phone"] = "+31 (0)" + row["phone"][1:].replace("-", " ")
    elif how == 2:
        twin["website"] = "https://" + row["website"] + "/"
    return twin


def populate(db, rng: random.Random) -> None:
    from praclox.offices.models import Contact, Office

    moment = datetime.now(UTC)
    rows = []
    for i in range(1, OFFICES + 1):
        rows.append(_twin(rows[i - 2], i, i % 4) if i % 20 == 0 else _office(i, rng, moment))
    db.session.execute(insert(Office), rows)
    first = ("Anna", "Bram", "Carlijn", "Daan", "Eva", "Femke", "Gijs", "Iris", "Jeroen", "Karin", "Lars")
    db.session.execute(insert(Contact), [
        {"id": c, "office_id": (c - 1) // CONTACTS_PER_OFFICE + 1, "first_name": rng.choice(first),
         "last_name": rng.choice(FAMILIES), "email": f"c{c}@voorbeeld.nl", "mobile": f"06-{10_000_000 + c}",
         "active": True, "needs_review": False, "created_at": moment, "updated_at": moment}
        for c in range(1, OFFICES * CONTACTS_PER_OFFICE + 1)])
    db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL at 127.0.0.1:5432 instead of SQLite")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    from praclox import create_app
    from praclox.dataio import export
    from praclox.extensions import db
    from praclox.offices import twins
    from praclox.offices.columns import COLUMNS, office_rows
    from praclox.offices.models import Office
    from praclox.offices.services import OFFICE_FIELDS

    with ExitStack() as stack:
        tmp = Path(tempfile.mkdtemp(prefix="praclox-bench-"))
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        if args.pg:
            from bench.pgutil import temporary_database

            url = stack.enter_context(temporary_database())
        app = create_app({"INSTANCE_PATH": str(tmp), "DATABASE_URL": url, "SECRET_KEY": "bench",
                          "ENCRYPTION_KEYS": Fernet.generate_key().decode(), "LOG_LEVEL": "WARNING"})
        with app.test_request_context():
            db.create_all()
            populate(db, random.Random(5))  # noqa: S311
            sample = db.session.scalars(select(Office).where(Office.id % 97 == 0)).all()

            def one_office() -> int:
                return sum(len(twins.office_twins({f: getattr(o, f) for f in OFFICE_FIELDS}, exclude_id=o.id))
                           for o in sample)

            def offices() -> list:
                from sqlalchemy.orm import selectinload

                return db.session.scalars(select(Office).options(selectinload(Office.contacts))).all()

            pairs_ms, pairs = timed(twins.office_pairs, args.runs)
            contacts_ms, contact_pairs = timed(twins.contact_pairs, args.runs)
            one_ms, found = timed(one_office, args.runs)
            everything = offices()
            csv_ms, body = timed(lambda: export.csv_bytes(COLUMNS, office_rows(everything), "nl"), args.runs)
            xlsx_ms, book = timed(lambda: export.xlsx_bytes(COLUMNS, office_rows(everything), "offices"), args.runs)
            cards = [c for o in everything for c in o.contacts]
            vcf_ms, _ = timed(lambda: export.vcard_bytes(cards), args.runs)
            database = db.engine.dialect.name
            db.session.remove()
            db.engine.dispose()
    print(f"{OFFICES} offices, {OFFICES * CONTACTS_PER_OFFICE} contacts on {database}; median of {args.runs}")
    print(f"all office pairs:          {pairs_ms:8.0f} ms  ({len(pairs)} pairs; {OFFICES // 20} twins planted)")
    print(f"all contact pairs:         {contacts_ms:8.0f} ms  ({len(contact_pairs)} pairs)")
    print(f"one office's twins:        {one_ms / len(sample):8.1f} ms  (mean of {len(sample)} offices, {found} found)")
    print(f"export CSV (every office): {csv_ms:8.0f} ms  ({len(body) // 1024} KiB)")
    print(f"export XLSX:               {xlsx_ms:8.0f} ms  ({len(book) // 1024} KiB)")
    print(f"export vCard:              {vcf_ms:8.0f} ms  ({len(cards)} cards)")
    missed = [name for name, figure, target in (("one office's twins", one_ms / len(sample), 50),
                                                 ("all office pairs", pairs_ms, 3000), ("export CSV", csv_ms, 5000))
              if figure > target]
    if missed:
        print("missed: " + ", ".join(missed))
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
