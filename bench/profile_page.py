"""Profile one authenticated page in-process: ``python bench/profile_page.py [--shape shaped] PATH ...``.

Seeds a data set (``bench/datasets.py``), logs in as staff through the login form, requests each PATH once to
warm up, then once under cProfile, and prints the costliest entries and the SQL statement count. How the
authenticated pages were measured before changing them (bench/README.md).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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
    parser.add_argument("--pg", action="store_true", help="on PostgreSQL (127.0.0.1:5432) instead of SQLite")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    from praclox import create_app
    from praclox.extensions import db

    env = prepare(args.shape, Path(tempfile.mkdtemp(prefix="praclox-profile-")))
    if args.pg:  # the same data copied nowhere: seeded again into a PostgreSQL database of its own
        from bench.bench_pages import prepare as prepare_pages
        from bench.pgutil import temporary_database

        url = stack.enter_context(temporary_database())
        env["PRACLOX_DATABASE_URL"] = url
        prepare_pages(env, args.shape)
    app = create_app({k.removeprefix("PRACLOX_"): v for k, v in env.items() if k.startswith("PRACLOX_")})
    client = app.test_client()
    form = client.get("/login").data
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', form).group(1).decode()
    response = client.post("/login", data={"email": "bench@praclox.nl", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.status_code  # noqa: S101
    statements: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for path in args.paths:
        assert client.get(path).status_code == 200, path  # noqa: S101
        statements.clear()
        profiler = cProfile.Profile()
        response = profiler.runcall(client.get, path)
        print(f"== {path}: {response.status_code}, {len(response.data) / 1000:.0f} KB, "
              f"{len(statements)} SQL statements")
        if args.sql:
            print("\n".join(" ".join(statement.split())[:160] for statement in statements))
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
