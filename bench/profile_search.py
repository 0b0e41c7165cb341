"""Profile the searches in process: ``python bench/profile_search.py [--pg] [--shape seeded] [--keep F] [PATH ...]``.

The page benchmark's data (``bench_pages.prepare``: the demo's 400 offices or the shaped 10,000 contacts, each
with 50,000 contact moments reached through the keyed blind index), kept between runs with ``--keep FILE``
(a JSON file naming the database and its keys; made when missing). Logs in as staff, then per PATH (default:
the benchmark's "search a word", "search a name", the office list's search and two very common words):
statements per request, the process's CPU time per request (median of 15, ``time.process_time``) against
``/health``'s in the same process, the time spent in the database (the statements' own elapsed time), the
page's cProfile top entries with ``--top``, and on PostgreSQL with ``--explain`` each statement's
EXPLAIN (ANALYZE, BUFFERS) summary: shared buffers hit and read, and the plan's nodes.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.fernet import Fernet  # noqa: E402
from sqlalchemy import event, text  # noqa: E402

from bench.profile_page import _cpu_ms, logged_in  # noqa: E402

#: two words in most summaries of the data sets (the slow query of issue 14 was such a pair)
COMMON = "/search/?q=offerte+jaarrekening"


def _prepared(args: argparse.Namespace) -> tuple[dict[str, str], dict[str, str]]:
    if args.keep and Path(args.keep).exists():
        kept = json.loads(Path(args.keep).read_text())
        args.shape = kept.get("shape", f"the data kept in {args.keep}")
        return kept["env"], kept["pages"]
    from bench.bench_pages import prepare

    tmp = Path(tempfile.mkdtemp(prefix="praclox-search-"))
    if args.pg:
        import psycopg

        from bench.pgutil import PG_URL, _admin_url

        name = f"praclox_search_{os.getpid()}_{secrets.token_hex(3)}"
        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    env = {"PRACLOX_INSTANCE_PATH": str(tmp), "PRACLOX_DATABASE_URL": url, "PRACLOX_SECRET_KEY": secrets.token_hex(16),
           "PRACLOX_ENCRYPTION_KEYS": Fernet.generate_key().decode(), "PRACLOX_INSECURE_COOKIES": "1",
           "PRACLOX_LOG_LEVEL": "WARNING"}
    pages = prepare(env, args.shape)
    if args.keep:
        Path(args.keep).write_text(json.dumps({"env": env, "pages": pages, "shape": args.shape}))
    return env, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", default="seeded", choices=("seeded", "shaped"))
    parser.add_argument("--pg", action="store_true", help="on PostgreSQL (127.0.0.1:5432) instead of SQLite")
    parser.add_argument("--keep", help="keep the data in (and reuse it from) this JSON file's database")
    parser.add_argument("--top", type=int, default=0, help="print this many cProfile entries per page")
    parser.add_argument("--sql", action="store_true", help="print each SQL statement of the request")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) each statement (PostgreSQL)")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    env, pages = _prepared(args)
    from praclox.extensions import db

    app, client = logged_in(env)
    statements: list[tuple[str, object, float]] = []
    started: list[float] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: started.append(time.perf_counter()))
        event.listen(db.engine, "after_cursor_execute", lambda _c, _cur, sql, params, *_: statements.append(
            (sql, params, time.perf_counter() - started.pop())))
    paths = args.paths or [pages["search a word"], pages["search a name"], pages["search"], COMMON]
    print(f"load average {os.getloadavg()[0]:.1f}; {'PostgreSQL' if args.pg else 'SQLite'} {args.shape}")
    for path in paths:
        assert client.get(path).status_code == 200, path  # noqa: S101
        page_cpu, page_least = _cpu_ms(client, path)
        health_cpu, health_least = _cpu_ms(app.test_client(), "/health")
        statements.clear()
        profiler = cProfile.Profile(time.process_time)
        response = profiler.runcall(client.get, path)
        in_db = sum(s[2] for s in statements) * 1000
        print(f"== {path}: {response.status_code}, {len(response.data) / 1000:.0f} KB, {len(statements)} statements"
              f" ({in_db:.1f} ms in them), CPU {page_cpu:.1f} ms per request (/health {health_cpu:.2f} ms,"
              f" ratio 1/{page_cpu / health_cpu:.1f}; least {page_least:.1f} ms against {health_least:.2f} ms)")
        if args.sql:
            for sql, _params, spent in statements:
                print(f"  {spent * 1000:7.2f} ms  {' '.join(sql.split())[:200]}")
        if args.explain and args.pg:
            _explain(app, statements)
        if args.top:
            pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


def _explain(app: object, statements: list[tuple[str, object, float]]) -> None:
    from praclox.extensions import db

    with app.app_context(), db.engine.connect() as conn:  # type: ignore[attr-defined]
        raw = conn.connection.dbapi_connection
        for sql, params, _spent in statements:
            if not sql.lstrip().upper().startswith(("SELECT", "WITH", "(")):
                continue
            with raw.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
                plan = cursor.fetchone()[0][0]
            top = plan["Plan"]
            print(f"  {plan['Execution Time']:7.2f} ms, buffers hit {top.get('Shared Hit Blocks', 0)}"
                  f" read {top.get('Shared Read Blocks', 0)}: {' '.join(sql.split())[:120]}")
            for line in _nodes(top):
                print("     " + line)
        conn.execute(text("SELECT 1"))


def _nodes(node: dict, depth: int = 0) -> list[str]:
    found = [f"{'  ' * depth}{node['Node Type']}{' on ' + node['Relation Name'] if 'Relation Name' in node else ''}"
             f"{' using ' + node['Index Name'] if 'Index Name' in node else ''} rows={node.get('Actual Rows')}"
             f" loops={node.get('Actual Loops')} hit={node.get('Shared Hit Blocks', 0)}"]
    for child in node.get("Plans", []):
        found += _nodes(child, depth + 1)
    return found


if __name__ == "__main__":
    main()
