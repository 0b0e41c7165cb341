"""Benchmark: authenticated pages against ``/health`` under gunicorn -w 4 (``make bench``; not a timed test).

PostgreSQL when 127.0.0.1:5432 answers (else SQLite, said so). Two data sets: the demo data of 400 offices
(``seeded``) and ``shaped`` at 10,000 contacts (``bench/datasets.py``), each with 50,000 contact moments
(``BENCH_MOMENTS``) whose encrypted summaries the search reaches through its index. For each page,
``CLIENTS`` keep-alive clients, each logged in as staff, request it for ``BENCH_PAGE_SECONDS``; the figure is
its requests per second as a fraction of ``/health``'s in the same run. Targets: office list, office detail
and the searches (the office list's, and the search page for a word of the summaries, for two such words and
for a contact's name) at least 1/5 of /health, and so the contacts list (paged, by name, by a phone number written
another way); the dashboard at least 1/10. ``--strict`` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.datasets import add_interactions, populate  # noqa: E402
from bench.pgutil import pg_available  # noqa: E402
from bench.server import PASSWORD, measure, served  # noqa: E402

#: page -> the least fraction of /health's requests per second
TARGETS = {"office list": 1 / 5, "office detail": 1 / 5, "search": 1 / 5, "search a word": 1 / 5,
           "search a name": 1 / 5, "search two words": 1 / 5, "dashboard": 1 / 10, "contact list": 1 / 5,
           "contact search": 1 / 5, "contact phone": 1 / 5}
#: contact moments (encrypted summaries) added to both data sets for the search pages (issue 14)
MOMENTS = int(os.environ.get("BENCH_MOMENTS", 50_000))


def prepare(env: dict[str, str], shape: str) -> dict[str, str]:
    from praclox import create_app
    from praclox.auth import services as users
    from praclox.extensions import db
    from praclox.offices.models import Contact, Office
    from praclox.search.index import rebuild

    app = create_app({k.removeprefix("PRACLOX_"): v for k, v in env.items()})
    with app.app_context():
        db.create_all()
        if shape == "seeded":
            result = app.test_cli_runner().invoke(args=["demo-data", "--offices", "400", "--seed", "16"])
            assert result.exit_code == 0, result.output  # noqa: S101
        else:
            populate(db, "shaped", contacts=10_000, dates=25_000)
        add_interactions(db, shape, count=MOMENTS)
        rebuild(batch_size=2000)
        users.create_user("bench@praclox.nl", "Bench", ("staff",), PASSWORD, actor=None)
        db.session.commit()
        office = db.session.scalars(db.select(Office.id).order_by(Office.id).offset(7)).first()
        last = db.session.scalars(db.select(Contact.last_name).order_by(Contact.id).offset(9)).first()
        phone = db.session.scalars(db.select(Contact.phone).where(Contact.phone.is_not(None))
                                   .order_by(Contact.id.desc())).first() or "06-12345678"
        db.engine.dispose()
    return {"office list": "/offices/?page=3", "office detail": f"/offices/{office}",
            "search": f"/offices/?q={quote(last.split()[-1])}", "search a word": "/search/?q=jaarrekening",
            "search a name": f"/search/?q={quote(last.split()[-1])}", "dashboard": "/",
            "search two words": "/search/?q=offerte+jaarrekening",  # two words in about a fifth of the summaries each
            "contact list": "/contacts/?page=40&sort=office", "contact search": f"/contacts/?q={quote(last)}",
            "contact phone": f"/contacts/?q={quote('+31 ' + phone.lstrip('0'))}"}


def run(shape: str, database: str) -> list[str]:
    with served(database, lambda env: prepare(env, shape), "praclox-pages-") as (port, pages):
        return [f"{page} {shape}" for page in measure(port, f"[{shape}] {database}", pages, TARGETS)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--shape", choices=("seeded", "shaped"), help="only this data set (default: both)")
    args = parser.parse_args()
    database = "PostgreSQL" if pg_available() else "SQLite"
    missed = []
    for shape in [args.shape] if args.shape else ["seeded", "shaped"]:
        missed += run(shape, database)
    print("targets met" if not missed else "TARGETS MISSED: " + ", ".join(missed))
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    raise SystemExit(main())
