"""Benchmark: purging many due applicants (with documents), and the retention report page.

Run by ``make bench``. The purge runs at two sizes (10,000 and 50,000), on SQLite and on PostgreSQL
(when 127.0.0.1:5432 answers, or ``BENCH_PG_URL``), on two data shapes: ``seeded`` (one document and
one status change each) and ``shaped`` (long accented names, three documents, four status changes and
two consents each). Each purge runs in a fresh process, so its peak RSS is the purge's own. Targets:
at least 2,000 applicants/s, and peak RSS flat (within 20 %) from the small to the large size.
A warm-up purge of 3,000 applicants runs first, outside the measurement.
Then the report page's render time with 50,000 tombstones (must stay under 200 ms).
``--strict`` exits non-zero when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pgutil import pg_available, temporary_database  # noqa: E402
from praclox import create_app  # noqa: E402
from praclox.extensions import db  # noqa: E402

SIZES = (int(os.environ.get("BENCH_SMALL", 10_000)), int(os.environ.get("BENCH_LARGE", 50_000)))
TOMBSTONES = int(os.environ.get("BENCH_TOMBSTONES", 50_000))
WARM_UP = int(os.environ.get("BENCH_WARM_UP", 3000))
REPORT_LIMIT_MS = 200
RATE_TARGET = 2000
RSS_GROWTH_LIMIT = 1.2
DECIDED = date(2026, 1, 5)
#: the floor's applicants: due after the warm-up's day, before the measured purge's (so it never sees them)
FLOOR_DECIDED = DECIDED - timedelta(days=10)
#: applicants the floor deletes (at most; the size of the purge when smaller)
FLOOR_SIZE = int(os.environ.get("BENCH_FLOOR", 10_000))
SHAPES = tuple(os.environ.get("BENCH_SHAPES", "seeded,shaped").split(","))


def app_for(instance: str, url: str, keys: str, secret: str, **extra: object):  # type: ignore[no-untyped-def]
    return create_app({
        "INSTANCE_PATH": instance, "DATABASE_URL": url, "SECRET_KEY": secret, "ENCRYPTION_KEYS": keys,
        "TESTING": True, "LOG_LEVEL": "WARNING", "ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 1024, **extra,
    })


def _children(shape: str) -> tuple[int, int, int]:
    """(documents, status changes, consents) per applicant."""
    return (1, 1, 0) if shape == "seeded" else (3, 4, 2)


def seed_applicants(count: int, shape: str, decided_on: date = DECIDED) -> None:
    """Rejected applicants due for purge, with status changes, audit entries, documents (and consents)."""
    from praclox import crypto
    from praclox.applicants.models import Applicant, Consent, Document, StatusChange, Vacancy
    from praclox.audit.models import AuditEntry
    from praclox.files.models import StoredFile

    vacancy = Vacancy(title=f"Bench developer {decided_on}" if shape == "seeded" else
                      f"Senior ontwikkelaar Één-op-één, Zuid-Holland; {decided_on} " + "é" * 120)
    db.session.add(vacancy)
    db.session.flush()
    document = crypto.encrypt(b"%PDF-1.4\n" + b"x" * 2000)
    evidence = "Said yes by phone"
    docs, changes, consents = _children(shape)
    for start in range(0, count, 5000):
        block = range(start, min(start + 5000, count))
        name = "Bench Applicant {}" if shape == "seeded" else "Zoë Ångström-van den Heuvel-Çelik, née Ó Súilleabháin {}"
        db.session.execute(db.insert(Applicant), [
            {"vacancy_id": vacancy.id, "name": name.format(n), "email": f"bench{n}@example.nl",
             "applied_on": DECIDED - timedelta(days=400), "status": "rejected", "decided_on": decided_on,
             "last_activity_on": decided_on, "notes": "Bench notes", "legal_hold": False} for n in block])
        ids = list(db.session.scalars(db.select(Applicant.id).order_by(Applicant.id.desc()).limit(len(block))))
        db.session.execute(db.insert(StatusChange), [
            {"applicant_id": i, "from_status": "new", "to_status": "rejected", "decided_on": decided_on}
            for i in ids for _ in range(changes)])
        db.session.execute(db.insert(AuditEntry), [
            {"action": "create", "record_type": "applicants", "record_id": i} for i in ids])
        if consents:
            given = DECIDED - timedelta(days=380)
            db.session.execute(db.insert(Consent), [
                {"applicant_id": i, "given_on": given, "method": "phone", "evidence": evidence,
                 "expires_on": given + timedelta(days=365), "withdrawn_on": given + timedelta(days=10)}
                for i in ids for _ in range(consents)])
        rows, files = [], []
        for i in ids:
            for _ in range(docs):
                stored = secrets.token_hex(16)
                files.append({"name": stored, "content": document})
                rows.append({"applicant_id": i, "kind": "cv", "original_name": "cv.pdf", "stored_name": stored,
                             "file_type": "pdf", "size": 2009})
        if files:
            db.session.execute(db.insert(StoredFile), files)
        db.session.execute(db.insert(Document), rows)
        db.session.commit()


def floor_delete(decided_on: date, batch_size: int = 500) -> tuple[int, float]:
    """The floor: the same kind of rows deleted by plain bulk DELETEs, a batch of 500 per transaction, nothing
    else (no due rule, no tombstones, no audit entries, no ledger, no savepoint). Returns (applicants, seconds).

    Its rate, measured in the same process next to the purge, makes the purge's figure a ratio the machine's
    load does not move much: both pay the same foreign-key triggers, TOAST and secure_delete zeroing.
    """
    from praclox.applicants.models import Applicant, ConsentLink, Document
    from praclox.applicants.purge_batch import AUDITED_CHILDREN, begin_write
    from praclox.audit.models import AuditEntry
    from praclox.bulk import in_values
    from praclox.files import store

    ids = list(db.session.scalars(db.select(Applicant.id).where(Applicant.decided_on == decided_on)
                                  .order_by(Applicant.id)))
    db.session.rollback()
    started = time.perf_counter()
    for start in range(0, len(ids), batch_size):
        chunk = ids[start:start + batch_size]
        begin_write()
        connection = db.session.connection()
        names: list[str] = []
        for model in (*AUDITED_CHILDREN, ConsentLink):
            table = model.__table__
            statement = db.delete(table).where(in_values(table.c.applicant_id, chunk))
            if model is Document:
                names = list(connection.scalars(statement.returning(table.c.stored_name)))
            else:
                connection.execute(statement)
        store.remove(names)
        applicants, audit = Applicant.__table__, AuditEntry.__table__
        connection.execute(db.delete(applicants).where(in_values(applicants.c.id, chunk)))
        connection.execute(db.delete(audit).where(audit.c.record_type == "applicants",
                                                  in_values(audit.c.record_id, chunk)))
        db.session.commit()
    return len(ids), time.perf_counter() - started


def _cpu_seconds() -> float:
    """CPU seconds of this process and, on PostgreSQL (a local server), of its session's backend."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    seconds = usage.ru_utime + usage.ru_stime
    if db.engine.dialect.name == "postgresql":
        backend = db.session.scalar(db.text("SELECT pg_backend_pid()"))
        db.session.rollback()
        try:
            fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # not a local server: the process's own CPU only
            return seconds
        seconds += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return seconds


def purge_in_child(instance: str, url: str, keys: str, secret: str, profile: str = "") -> None:
    """The purge alone, in a fresh process: prints its time, the floor's, statements, CPU and peak RSS."""
    import resource

    from sqlalchemy import event

    from praclox.applicants.purge import purge_due

    app = app_for(instance, url, keys, secret)
    with app.app_context():
        # warm up first (imports, caches, connections) on applicants decided earlier, outside the measurement
        purge_due(DECIDED - timedelta(days=1))
        floor_cpu = _cpu_seconds()
        floor_count, floor_elapsed = floor_delete(FLOOR_DECIDED)
        floor_cpu = _cpu_seconds() - floor_cpu
        statements = [0]
        timings: dict[str, list[float]] = {}  # statement's head -> [count, seconds] (the profile prints them)

        def count(conn: Any, _cursor: Any, statement: str, *_args: object) -> None:
            statements[0] += 1
            conn.info["bench_started"] = time.perf_counter()

        def timed(conn: Any, _cursor: Any, statement: str, *_args: object) -> None:
            entry = timings.setdefault(" ".join(statement.split())[:90], [0, 0.0])
            entry[0] += 1
            entry[1] += time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())

        event.listen(db.engine, "before_cursor_execute", count)
        event.listen(db.engine, "after_cursor_execute", timed)
        if profile:  # BENCH_PROFILE=file: the purge under cProfile, its top entries written there
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        # BENCH_BATCH: another batch size than the purge's own, to compare
        batch = {"batch_size": int(os.environ["BENCH_BATCH"])} if os.environ.get("BENCH_BATCH") else {}
        load = os.getloadavg()[0]
        cpu = _cpu_seconds()
        started = time.perf_counter()
        counts = purge_due(DECIDED + timedelta(days=28), **batch)
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds() - cpu
        if profile:
            profiler.disable()
            profiler.dump_stats(profile)
        event.remove(db.engine, "before_cursor_execute", count)
        event.remove(db.engine, "after_cursor_execute", timed)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"elapsed": elapsed, "rss": rss, "statements": statements[0], "cpu": cpu, "load": load,
                      "floor_count": floor_count, "floor_elapsed": floor_elapsed, "floor_cpu": floor_cpu,
                      "timings": timings, **counts}))


def bench_purge(count: int, url: str, shape: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        keys, secret = Fernet.generate_key().decode(), secrets.token_hex(16)
        url = url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = app_for(tmp, url, keys, secret)
        with app.app_context():
            db.create_all()
            seed_applicants(WARM_UP, shape, DECIDED - timedelta(days=30))
            if FLOOR_SIZE:
                seed_applicants(min(count, FLOOR_SIZE), shape, FLOOR_DECIDED)
            seed_applicants(count, shape)
            if db.engine.dialect.name == "postgresql":
                # statistics, as autovacuum keeps them in any running database: without them the planner
                # chose sequential scans for `applicant_id = ANY(:ids)` on tables it believed empty
                with db.engine.connect() as conn:
                    conn.execute(db.text("ANALYZE"))
                    conn.commit()
            db.session.remove()
            db.engine.dispose()
        output = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--purge-child", tmp, url, keys, secret, os.environ.get("BENCH_PROFILE", "")],
            check=True, capture_output=True, text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        app = app_for(tmp, url, keys, secret)
        with app.app_context():
            left = db.session.scalar(db.text("SELECT count(*) FROM stored_files"))
            db.session.remove()
            db.engine.dispose()
    if result["purged"] != count or result["failed"] or left:
        raise SystemExit(f"purge incomplete: {result}, {left} files left")
    return result


def bench_report() -> float:
    from praclox.applicants.models import RULES, Tombstone
    from praclox.auth import services as users

    with tempfile.TemporaryDirectory() as tmp:
        # the privacy officer's second factor and CSRF are beside the point of a render time
        app = app_for(tmp, f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", Fernet.generate_key().decode(),
                      secrets.token_hex(16), WTF_CSRF_ENABLED=False, TWO_FACTOR_ROLES=())
        with app.app_context():
            db.create_all()
            users.create_user("fg@praclox.nl", "FG", ("privacy_officer",), "bench password 1234567", actor=None)
            base = date(2026, 6, 1)
            db.session.execute(db.insert(Tombstone), [
                {"public_id": secrets.token_hex(8), "vacancy_title": f"Vacancy {n % 40}",
                 "decided_on": base - timedelta(days=n % 700 + 28), "purged_on": base - timedelta(days=n % 700),
                 "rule": RULES[n % len(RULES)]} for n in range(TOMBSTONES)
            ])
            db.session.commit()
        client = app.test_client()
        response = client.post("/login", data={"email": "fg@praclox.nl", "password": "bench password 1234567"})
        assert response.status_code == 302, response.status_code  # noqa: S101
        timings = []
        for _ in range(7):
            started = time.perf_counter()
            response = client.get("/retention/")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200  # noqa: S101
        with app.app_context():
            db.engine.dispose()
        return statistics.median(timings)


def describe(result: dict[str, float], size: int) -> str:
    """The load-independent figures of one purge: statements per applicant, the floor's rate in the same
    process and the purge's share of it, the rate the process's CPU time alone allows, the load average."""
    text = f"{result['statements'] / size:.3f} statements/applicant, CPU {size / result['cpu']:.0f}/s"
    if result["floor_count"]:
        floor = result["floor_count"] / result["floor_elapsed"]
        floor_cpu = result["floor_count"] / result["floor_cpu"]
        text += (f", floor {floor:.0f}/s (purge = {size / result['elapsed'] / floor:.2f} of the floor; by CPU "
                 f"{floor_cpu:.0f}/s, purge = {size / result['cpu'] / floor_cpu:.2f} of it)")
    return text + f", load {result['load']:.1f}"


def databases() -> list[tuple[str, str | None]]:
    """SQLite, and PostgreSQL when it answers (``BENCH_DATABASES=postgresql`` for one of them)."""
    wanted = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    found: list[tuple[str, str | None]] = [("sqlite", None)] if "sqlite" in wanted else []
    if "postgresql" not in wanted:
        return found
    if pg_available():
        found.append(("postgresql", "pg"))
    else:
        print("PostgreSQL not reachable: the purge runs on SQLite only (a target needs both)")
    return found


def profile(dialect: str, shape: str, size: int) -> None:
    """``--profile postgresql shaped 5000``: one purge under cProfile, its 20 costliest entries printed."""
    import pstats

    out = Path(tempfile.mkdtemp()) / "purge.prof"
    os.environ["BENCH_PROFILE"] = str(out)
    if dialect == "postgresql":
        with temporary_database() as url:
            result = bench_purge(size, url, shape)
    else:
        result = bench_purge(size, "", shape)
    print(f"purge {dialect} {shape} {size}: {result['elapsed']:.2f} s under cProfile, "
          f"{size / result['elapsed']:.0f}/s, {describe(result, size)}")
    print("statements by time (count, seconds, the statement's start):")
    for head, (calls, seconds) in sorted(result["timings"].items(), key=lambda item: -item[1][1])[:15]:
        print(f"{calls:6} {seconds:7.3f} s  {head}")
    pstats.Stats(str(out)).sort_stats("cumulative").print_stats(20)
    pstats.Stats(str(out)).sort_stats("tottime").print_stats(15)


def explain(dialect: str, shape: str, size: int) -> None:
    """``--explain postgresql shaped 2000``: the statements of one batch's purge, then each again under EXPLAIN
    (ANALYZE, BUFFERS) on PostgreSQL (its foreign-key triggers' time and calls included) or EXPLAIN QUERY PLAN
    and a timing on SQLite, in a transaction rolled back."""
    from contextlib import nullcontext

    from sqlalchemy import event

    from praclox.applicants.purge import Policy, iter_candidate_ids
    from praclox.applicants.purge_batch import purge_batch

    with tempfile.TemporaryDirectory() as tmp, (temporary_database() if dialect == "postgresql"
                                                 else nullcontext(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")) as url:
        app = app_for(tmp, url, Fernet.generate_key().decode(), secrets.token_hex(16))
        with app.app_context():
            db.create_all()
            seed_applicants(size, shape)
            if dialect == "postgresql":
                db.session.execute(db.text("ANALYZE"))
                db.session.commit()
            as_of = DECIDED + timedelta(days=28)
            batch = next(iter_candidate_ids(as_of, Policy.current()))
            db.session.rollback()
            captured: list[tuple[str, Any]] = []

            def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: object) -> None:
                if statement.split(None, 1)[0].upper() in ("SELECT", "DELETE", "INSERT", "UPDATE"):
                    captured.append((statement, parameters))

            event.listen(db.engine, "before_cursor_execute", capture)
            purge_batch(batch, as_of, Policy.current())
            event.remove(db.engine, "before_cursor_execute", capture)
            db.session.rollback()
            connection = db.session.connection()
            for statement, parameters in captured:
                print("==", " ".join(statement.split())[:200])
                if dialect == "postgresql":
                    for (line,) in connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters):
                        print("  ", line)
                    continue
                for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters):
                    print("   ", row[-1])
                started = time.perf_counter()
                result = connection.exec_driver_sql(statement, parameters)
                if result.returns_rows:
                    result.fetchall()
                print(f"   {(time.perf_counter() - started) * 1000:.1f} ms")
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--profile", nargs=3, metavar=("DIALECT", "SHAPE", "SIZE"))
    parser.add_argument("--explain", nargs=3, metavar=("DIALECT", "SHAPE", "SIZE"))
    args = parser.parse_args()
    if args.explain:
        explain(args.explain[0], args.explain[1], int(args.explain[2]))
        return 0
    if args.profile:
        profile(args.profile[0], args.profile[1], int(args.profile[2]))
        return 0
    missed = []
    for dialect, pg in databases():
        for shape in SHAPES:
            results = []
            for size in SIZES:
                if pg:
                    with temporary_database() as url:
                        result = bench_purge(size, url, shape)
                else:
                    result = bench_purge(size, "", shape)
                rate = size / result["elapsed"]
                results.append(result)
                print(f"purge {dialect:10} {shape:6} {size:>6}: {result['elapsed']:6.2f} s, {rate:6.0f}/s "
                      f"(target >= {RATE_TARGET}/s: {rate / RATE_TARGET:.2f}x), peak RSS {result['rss']:6.1f} MiB, "
                      f"{describe(result, size)}")
                if rate < RATE_TARGET:
                    missed.append(f"purge rate {dialect} {shape} {size}")
            growth = results[1]["rss"] / results[0]["rss"]
            print(f"purge {dialect:10} {shape:6} peak RSS {SIZES[0]} -> {SIZES[1]}: x{growth:.2f} "
                  f"(target <= {RSS_GROWTH_LIMIT})")
            if growth > RSS_GROWTH_LIMIT:
                missed.append(f"purge memory {dialect} {shape}")
    report_ms = bench_report()
    print(f"retention report page with {TOMBSTONES} tombstones: {report_ms:.1f} ms (median of 7; limit "
          f"{REPORT_LIMIT_MS} ms)")
    if report_ms > REPORT_LIMIT_MS:
        missed.append("report page")
    print("targets met" if not missed else "TARGETS MISSED: " + ", ".join(missed))
    return 1 if missed and args.strict else 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--purge-child"]:
        purge_in_child(*sys.argv[2:7])
    else:
        raise SystemExit(main())
