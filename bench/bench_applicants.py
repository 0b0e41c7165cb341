"""Benchmark: purging many due applicants (with small documents), and the retention report page.

Run by ``make bench``. Prints the time and the peak memory of the purge at two sizes, each purge in a
fresh process: the peak traced Python memory (tracemalloc) and the process's peak RSS. Memory must stay
flat as the count grows (the purge works in batches). A warm-up purge of 3,000 applicants runs
first, outside the measurement. The traced peak can still show a one-time step of about 2 MB: the
interpreter's table of interned strings is reallocated once enough strings came and went, and
tracemalloc counts the new table but never counted the old one. The flatness verdict is therefore the
peak RSS (within 20 %), with the traced peak allowed a fixed 4 MiB margin, never a per-applicant growth.
Then the report page's render time with 50,000 tombstones (must stay under 200 ms).
Exits non-zero when a limit is broken.
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from praclox import create_app  # noqa: E402
from praclox.extensions import db  # noqa: E402

SIZES = (int(os.environ.get("BENCH_SMALL", 10_000)), int(os.environ.get("BENCH_LARGE", 50_000)))
TOMBSTONES = int(os.environ.get("BENCH_TOMBSTONES", 50_000))
REPORT_LIMIT_MS = 200
DECIDED = date(2026, 1, 5)


def make_app(instance: Path):  # type: ignore[no-untyped-def]
    return create_app({
        "INSTANCE_PATH": str(instance), "DATABASE_URL": f"sqlite:///{instance / 'bench.sqlite3'}",
        "SECRET_KEY": secrets.token_hex(16), "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "WTF_CSRF_ENABLED": False, "TESTING": True, "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024,
    })


WARM_UP = int(os.environ.get("BENCH_WARM_UP", 3000))


def seed_applicants(count: int, decided_on: date = DECIDED) -> None:
    """Rejected applicants due for purge, each with a history entry, an audit entry and a small document."""
    from praclox import crypto
    from praclox.applicants.documents import storage_dir
    from praclox.applicants.models import Applicant, Document, StatusChange, Vacancy
    from praclox.audit.models import AuditEntry

    vacancy = Vacancy(title=f"Bench developer {decided_on}")
    db.session.add(vacancy)
    db.session.flush()
    folder = storage_dir()
    document = crypto.encrypt(b"%PDF-1.4\n" + b"x" * 2000)
    for start in range(0, count, 5000):
        block = range(start, min(start + 5000, count))
        applicants = [
            {"vacancy_id": vacancy.id, "name": f"Bench Applicant {n}", "email": f"bench{n}@example.nl",
             "applied_on": DECIDED - timedelta(days=20), "status": "rejected", "decided_on": decided_on,
             "last_activity_on": decided_on, "notes": "Bench notes", "legal_hold": False}
            for n in block
        ]
        db.session.execute(db.insert(Applicant), applicants)
        ids = list(db.session.scalars(db.select(Applicant.id).order_by(Applicant.id.desc()).limit(len(block))))
        db.session.execute(db.insert(StatusChange), [
            {"applicant_id": i, "from_status": "new", "to_status": "rejected", "decided_on": decided_on} for i in ids])
        db.session.execute(db.insert(AuditEntry), [
            {"action": "create", "record_type": "applicants", "record_id": i} for i in ids])
        rows = []
        for i in ids:
            name = secrets.token_hex(16)
            (folder / name).write_bytes(document)
            rows.append({"applicant_id": i, "kind": "cv", "original_name": "cv.pdf", "stored_name": name,
                         "file_type": "pdf", "size": 2009})
        db.session.execute(db.insert(Document), rows)
        db.session.commit()


def purge_in_child(instance: str, keys: str, secret: str) -> None:
    """The purge alone, in a fresh process: prints time, tracemalloc peak and the process's peak RSS."""
    import resource

    from praclox.applicants.purge import purge_due

    app = create_app({
        "INSTANCE_PATH": instance, "DATABASE_URL": f"sqlite:///{Path(instance) / 'bench.sqlite3'}",
        "SECRET_KEY": secret, "ENCRYPTION_KEYS": keys, "TESTING": True,
    })
    with app.app_context():
        # warm up first (imports, caches, the interpreter's string table): a few applicants decided
        # earlier go in a run of their own, outside the measurement
        purge_due(DECIDED - timedelta(days=1))
        tracemalloc.start()
        started = time.perf_counter()
        counts = purge_due(DECIDED + timedelta(days=28))
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"elapsed": elapsed, "peak": peak / 1024 / 1024, "rss": rss, **counts}))


def bench_purge(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        keys, secret = Fernet.generate_key().decode(), secrets.token_hex(16)
        app = create_app({
            "INSTANCE_PATH": tmp, "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            "SECRET_KEY": secret, "ENCRYPTION_KEYS": keys, "TESTING": True,
        })
        with app.app_context():
            db.create_all()
            seed_applicants(WARM_UP, DECIDED - timedelta(days=30))
            seed_applicants(count)
            db.session.remove()
            db.engine.dispose()
        # a fresh process, so its peak memory is the purge's alone, not the seeding's
        output = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--purge-child", tmp, keys, secret],
            check=True, capture_output=True, text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        left = len(list((Path(tmp) / "documents").iterdir()))
    if result["purged"] != count or result["failed"] or left:
        raise SystemExit(f"purge incomplete: {result}, {left} files left")
    return result


def bench_report() -> float:
    from praclox.applicants.models import RULES, Tombstone
    from praclox.auth import services as users

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(Path(tmp))
        with app.app_context():
            db.create_all()
            user, _ = users.create_user("fg@praclox.nl", "FG", ("privacy_officer",), "bench password 1234567")
            base = date(2026, 6, 1)
            db.session.execute(db.insert(Tombstone), [
                {"public_id": secrets.token_hex(8), "vacancy_title": f"Vacancy {n % 40}",
                 "decided_on": base - timedelta(days=n % 700 + 28), "purged_on": base - timedelta(days=n % 700),
                 "rule": RULES[n % len(RULES)]} for n in range(TOMBSTONES)
            ])
            db.session.commit()
        client = app.test_client()
        response = client.post("/login", data={"email": "fg@praclox.nl", "password": "bench password 1234567"})
        assert response.status_code == 302, response.status_code
        timings = []
        for _ in range(7):
            started = time.perf_counter()
            response = client.get("/retention/")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        with app.app_context():
            db.engine.dispose()
        return statistics.median(timings)


def main() -> None:
    results = []
    for size in SIZES:
        result = bench_purge(size)
        results.append(result)
        print(f"purge {size:>6} applicants (with documents): {result['elapsed']:7.1f} s, "
              f"{size / result['elapsed']:6.0f}/s (under tracemalloc), peak traced Python memory "
              f"{result['peak']:5.2f} MiB, peak RSS of the purging process {result['rss']:6.1f} MiB")
    growth = results[1]["rss"] / results[0]["rss"]
    print(f"peak RSS from {SIZES[0]} to {SIZES[1]} applicants: x{growth:.2f} (flat means close to 1)")
    report_ms = bench_report()
    print(f"retention report page with {TOMBSTONES} tombstones: {report_ms:.1f} ms (median of 7; limit "
          f"{REPORT_LIMIT_MS} ms)")
    # RSS is the verdict; the traced peak may carry one ~2 MB reallocation of the interpreter's string
    # table (see the module docstring), so it only has to stay within a fixed margin, not a ratio
    if growth > 1.2 or results[1]["peak"] > results[0]["peak"] + 4:
        raise SystemExit("purge memory grows with the number of applicants")
    if report_ms > REPORT_LIMIT_MS:
        raise SystemExit("the report page is too slow")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--purge-child"]:
        purge_in_child(*sys.argv[2:5])
    else:
        main()
