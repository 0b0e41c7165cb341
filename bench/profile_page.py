"""Profile one authenticated page in-process: ``python bench/profile_page.py [--shape shaped] PATH ...``.

Seeds a data set (``bench/datasets.py``), logs in as staff through the login form, requests each PATH once to
warm up, then 15 times for the CPU time per request (against /health), then once under cProfile (CPU time), and
prints the costliest entries and the SQL statement count. How the
authenticated pages were measured before changing them (bench/README.md).
"""

from __future__ import annotations

import argparse
import cProfile
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
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    from praclox import create_app
    from praclox.extensions import db

    tmp = Path(tempfile.mkdtemp(prefix="praclox-profile-"))
    if args.pg:  # the page benchmark's data (with its 50,000 contact moments) in a PostgreSQL database of its own
        from bench.bench_pages import prepare as prepare_pages
        from bench.pgutil import temporary_database

        env = {"PRACLOX_INSTANCE_PATH": str(tmp), "PRACLOX_DATABASE_URL": stack.enter_context(temporary_database()),
               "PRACLOX_SECRET_KEY": secrets.token_hex(16), "PRACLOX_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
               "PRACLOX_INSECURE_COOKIES": "1", "PRACLOX_LOG_LEVEL": "WARNING"}
        prepare_pages(env, args.shape)
    else:
        env = prepare(args.shape, tmp)
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
        # the process's CPU time per request (median of 15) moves less with the machine's load than the wall clock;
        # /health in the same process is the unit
        page_cpu, health_cpu = _cpu_ms(client, path, args.runs), _cpu_ms(app.test_client(), "/health", args.runs)
        statements.clear()
        profiler = cProfile.Profile(time.process_time)
        response = profiler.runcall(client.get, path)
        calls = pstats.Stats(profiler).total_calls  # type: ignore[attr-defined]
        print(f"== {path}: {response.status_code}, {len(response.data) / 1000:.0f} KB, "
              f"{len(statements)} SQL statements, CPU {page_cpu[0]:.1f} ms per request, least {page_cpu[1]:.1f} ms "
              f"(/health {health_cpu[0]:.2f}, least {health_cpu[1]:.2f} ms), "
              f"{calls} Python calls (load-independent)")
        if args.sql:
            print("\n".join(" ".join(statement.split())[:160] for statement in statements))
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
        if args.callers:
            pstats.Stats(profiler).sort_stats("tottime").print_callers(args.callers)


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
