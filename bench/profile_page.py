"""Profile one authenticated page in-process: ``python bench/profile_page.py [--shape shaped] PATH ...``.

Seeds a data set (``bench/datasets.py``), logs in as staff through the login form, requests each PATH once to
warm up, then 15 times for the CPU time per request (against /health), then once under cProfile (CPU time), and
prints the costliest entries and the SQL statement count. How the
authenticated pages were measured before changing them (bench/README.md).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import re
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.fernet import Fernet  # noqa: E402
from sqlalchemy import event  # noqa: E402

from bench.bench_dates import PASSWORD, prepare  # noqa: E402


def main() -> None:
    with ExitStack() as stack:
        run(stack)


def run(stack: ExitStack) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", default="shaped")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sql", action="store_true", help="print each SQL statement of the request")
    parser.add_argument("--runs", type=int, default=15, help="requests per CPU median (default 15)")
    parser.add_argument("--callers", metavar="PATTERN", help="who calls the functions matching PATTERN (a regex)")
    parser.add_argument("--pg", action="store_true", help="on PostgreSQL (127.0.0.1:5432) instead of SQLite")
    parser.add_argument("--data", choices=("pages", "followups"), default="pages",
                        help="bench_pages' data (400 offices or 10,000 contacts, 50,000 moments) or bench_followups'"
                             " (10,000 contacts, 50,000 moments, 20,000 follow-ups); with --pg, or --data followups")
    parser.add_argument("--restrict", default="", help="only entries whose file:function matches this regex")
    parser.add_argument("--keep", metavar="FILE", help="keep the prepared database; its settings written to FILE")
    parser.add_argument("--reuse", metavar="FILE", help="the database a --keep run prepared (no preparation)")
    parser.add_argument("paths", nargs="*", help="default: a plain page (the frame) and the benchmark's pages")
    args = parser.parse_args()
    from praclox.extensions import db

    env = _environment(stack, args)
    if not args.paths:  # a plain page first: what the frame costs, to subtract from each page's
        args.paths = ["/account/password", *json.loads(env.get("pages", "{}")).values()]
    app, client = logged_in(env)
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    summary: list[tuple[str, int, float, float]] = []
    for path in args.paths:
        assert client.get(path).status_code == 200, path  # noqa: S101
        # the process's CPU time per request (median of 15) moves less with the machine's load than the wall clock;
        # /health in the same process is the unit
        page_cpu, health_cpu = _cpu_ms(client, path, args.runs), _cpu_ms(app.test_client(), "/health", args.runs)
        statements.clear()
        profiler = cProfile.Profile(time.process_time)
        response = profiler.runcall(client.get, path)
        summary.append((path, len(statements), page_cpu[0], health_cpu[0]))
        calls = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
        print(f"== {path}: {response.status_code}, {len(response.data) / 1000:.0f} KB, "
              f"{len(statements)} SQL statements, CPU {page_cpu[0]:.1f} ms per request, least {page_cpu[1]:.1f} ms "
              f"(/health {health_cpu[0]:.2f}, least {health_cpu[1]:.2f} ms), "
              f"{calls} Python calls (load-independent)")
        if args.sql:
            print("\n".join(" ".join(statement.split())[:160] for statement in statements))
        restrict = (args.restrict, args.top) if args.restrict else (args.top,)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(*restrict)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(*restrict)
        if args.callers:
            pstats.Stats(profiler).sort_stats("tottime").print_callers(args.callers)
    frame = summary[0][2]
    print("== summary (CPU ms per request in process, median of --runs; the first path is the unit 'frame'):")
    for path, count, cpu, health in summary:
        print(f"{path[:60]:60} {count:3d} statements {cpu:7.1f} ms  own {cpu - frame:6.1f} ms  "
              f"/health {health:.2f} ms  {cpu / health:5.1f} x /health")


def logged_in(env: dict[str, str]) -> tuple[object, object]:
    """The app on this environment and a test client logged in as the benchmark's staff user."""
    from praclox import create_app

    app = create_app({k.removeprefix("PRACLOX_"): v for k, v in env.items() if k.startswith("PRACLOX_")})
    client = app.test_client()
    form = client.get("/login").data
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', form).group(1).decode()
    response = client.post("/login", data={"email": "bench@praclox.nl", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.status_code  # noqa: S101
    return app, client


def _environment(stack: ExitStack, args: argparse.Namespace) -> dict[str, str]:
    """The instance's settings: a database prepared now (PostgreSQL analysed, as autovacuum would), or reused."""
    if args.reuse:
        return json.loads(Path(args.reuse).read_text())
    tmp = Path(tempfile.mkdtemp(prefix="praclox-profile-"))
    if not args.pg and args.data == "pages":
        return prepare(args.shape, tmp)
    if args.pg:  # a PostgreSQL database of its own, dropped afterwards unless kept
        from bench.pgutil import temporary_database

        url = temporary_database() if not args.keep else _kept_database()
        database = stack.enter_context(url) if not args.keep else url
    else:
        database = f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = {"PRACLOX_INSTANCE_PATH": str(tmp), "PRACLOX_DATABASE_URL": database,
           "PRACLOX_SECRET_KEY": secrets.token_hex(16), "PRACLOX_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
           "PRACLOX_INSECURE_COOKIES": "1", "PRACLOX_LOG_LEVEL": "WARNING"}
    if args.data == "followups":
        from bench.bench_followups import prepare as prepare_followups

        pages = prepare_followups(env)
    else:
        from bench.bench_pages import prepare as prepare_pages

        pages = prepare_pages(env, args.shape)
    env["pages"] = json.dumps(pages)
    if args.pg:
        from bench.server import analyze

        analyze(database)
    if args.keep:
        Path(args.keep).write_text(json.dumps(env))
        print(f"kept: {database} (drop it when done)")
    return env


def _kept_database() -> str:
    """A PostgreSQL database for --keep: made now, left for the next --reuse run."""
    import psycopg

    from bench.pgutil import PG_URL, _admin_url

    name = f"praclox_profile_{secrets.token_hex(3)}"
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL.rsplit("/", 1)[0] + f"/{name}"


def _cpu_ms(client: object, path: str, runs: int = 15) -> tuple[float, float]:
    """The median and the minimum CPU time of ``runs`` requests (the minimum moves least with the load)."""
    spent = []
    for _ in range(runs):
        started = time.process_time()
        client.get(path)  # type: ignore[attr-defined]
        spent.append(time.process_time() - started)
    return statistics.median(spent) * 1000, min(spent) * 1000


if __name__ == "__main__":
    main()
