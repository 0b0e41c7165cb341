"""``make loadtest``: a bounded, loopback-only mixed load on a real gunicorn (-w 4) and one scheduler process.

PostgreSQL when 127.0.0.1:5432 answers (a database of its own, dropped afterwards; ``BENCH_PG_URL``), else SQLite.
Demo data of 400 offices (``LOADTEST_OFFICES``), eight staff users, 500 calendar feeds, eight API keys.
``LOADTEST_USERS`` (8) threads run for ``LOADTEST_SECONDS`` (60), each a person picking, by weight: the office
list, an office, a contact search by last name, the dashboard, logging a contact moment, a calendar client
revalidating one of the 500 feeds (If-None-Match), or the website posting a registration through the API
(paced and spread over the keys, under any per-key limit). A person waits for each answer, then thinks for a
random time (exponential, mean ``LOADTEST_THINK`` = 1 s, a busier user than any at a desk) before the next
click; ``LOADTEST_THINK=0`` hammers without pause (a saturation test, not eight people).

The generator is lean (one thread per person, ``http.client``, no framework) and says what it cost: its own CPU
share is printed, and each page's p50/p99 as the client saw it is printed next to the server's own time for
the same requests (gunicorn's access log, ``%(M)s``), so a gap between the two is queueing in front of the
workers or the generator itself, not the app. The ten slowest requests are listed with both times.

Reports requests per second, p50/p99 per page, every non-2xx/3xx answer, and the writes the server acknowledged
against the rows in the database afterwards (lost or duplicated writes). Targets: no 5xx, no lost or duplicated
write, p99 (as the client saw it) under 250 ms on every page. Exits 1 when a target is missed.
"""

from __future__ import annotations

import os
import random
import re
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.fernet import Fernet  # noqa: E402

from bench.pgutil import pg_available, temporary_database  # noqa: E402
from bench.server import ROOT, Client, gunicorn  # noqa: E402

SECONDS = float(os.environ.get("LOADTEST_SECONDS", 60))
USERS = int(os.environ.get("LOADTEST_USERS", 8))
#: mean think time between a person's clicks, seconds (exponential; 0: no pause)
THINK = float(os.environ.get("LOADTEST_THINK", 1.0))
OFFICES = int(os.environ.get("LOADTEST_OFFICES", 400))
FEEDS = 500
KEYS = 8
#: registrations per second over all keys together
REGISTRATION_RATE = 2.0
P99_TARGET_MS = 250.0
PASSWORD = "Kwartel-Vijver-9731-Gras"  # noqa: S105  (throw-away accounts in a throw-away database)
WEIGHTS = {"office list": 20, "office": 20, "search": 15, "dashboard": 10, "log contact moment": 10,
           "feed revalidation": 20, "registration": 5}
_ID = re.compile(rb'href="/offices/(\d+)"')
#: each timed request names its page in this header; the access log records it with the server's time (ms)
PAGE_HEADER = "X-Load-Page"
ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(M)s %({x-load-page}i)s"


def prepare(env: dict[str, str]) -> dict[str, Any]:
    """Schema, demo data, users, feeds and API keys, written before the server starts."""
    from praclox import create_app
    from praclox.auth import services as users
    from praclox.dates import feeds
    from praclox.extensions import db
    from praclox.offices.models import Contact, Office
    from praclox.registrations.services import create_api_key

    app = create_app({k.removeprefix("PRACLOX_"): v for k, v in env.items()})
    with app.app_context():
        db.create_all()
        result = app.test_cli_runner().invoke(args=["demo-data", "--offices", str(OFFICES), "--seed", "16"])
        if result.exit_code:
            raise SystemExit(result.output)
        staff = [users.create_user(f"staff{n}@praclox.nl", f"Staff {n}", ("staff",), PASSWORD, actor=None)[0]
                 for n in range(USERS)]
        admin = users.create_user("loadadmin@praclox.nl", "Load Admin", ("admin",), PASSWORD, actor=None)[0]
        db.session.commit()
        tokens = [feeds.create_feed(staff[n % len(staff)], f"feed {n}", actor=None)[1] for n in range(FEEDS)]
        keys = [create_api_key(f"load {n}", actor=admin)[1] for n in range(KEYS)]
        db.session.commit()
        office_ids = list(db.session.scalars(db.select(Office.id)))
        last_names = sorted(set(db.session.scalars(db.select(Contact.last_name))))
        db.session.remove()
        db.engine.dispose()
    return {"tokens": tokens, "keys": keys, "office_ids": office_ids, "last_names": last_names, "etags": {}}


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.slowest: list[tuple[float, str, str]] = []
        self.statuses: dict[str, Counter[int]] = defaultdict(Counter)
        self.acked: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()

    def add(self, page: str, started: float, status: int, path: str = "") -> None:
        took = (time.perf_counter() - started) * 1000
        if path.startswith("/feeds/"):
            path = "/feeds/<token>.ics"
        with self.lock:
            self.times[page].append(took)
            self.statuses[page][status] += 1
            self.slowest = sorted([*self.slowest, (took, page, path)], reverse=True)[:10]


class Person(threading.Thread):
    def __init__(self, n: int, port: int, data: dict[str, Any], stats: Stats, deadline: float,
                 registrations: threading.Semaphore) -> None:
        super().__init__(daemon=True)
        self.n, self.port, self.data, self.stats, self.deadline = n, port, data, stats, deadline
        self.rng = random.Random(n)  # noqa: S311  (load mix, not secrets)
        self.registrations = registrations
        #: one calendar client per feed, whichever thread plays it: the ETags are shared
        self.etags: dict[str, str] = data["etags"]

    def prepare(self) -> None:
        """Before the clock starts: log in (a deliberately slow password hash), visit each page once, and be the
        calendar client of every USERS-th feed once, so each subscriber revalidates with its ETag."""
        self.client = Client(self.port)
        self.feeds = Client(self.port)  # a calendar client: no cookies
        self.client.login(f"staff{self.n}@praclox.nl", PASSWORD)
        for path in ("/", "/offices/", f"/offices/{self.data['office_ids'][0]}", "/offices/?q=de"):
            self.client.get(path)
        for token in self.data["tokens"][self.n::USERS]:
            status, headers, _ = self.feeds.get(f"/feeds/{token}.ics", **{"Accept-Encoding": "gzip"})
            if status == 200:
                self.etags[token] = headers["etag"]

    def run(self) -> None:
        pages, weights = zip(*WEIGHTS.items(), strict=True)
        while time.monotonic() < self.deadline:
            page = self.rng.choices(pages, weights)[0]
            try:
                getattr(self, "do_" + page.replace(" ", "_"))(page)
            except Exception as exc:  # noqa: BLE001  (counted and reported; the run goes on)
                with self.stats.lock:
                    self.stats.errors[f"{page}: {type(exc).__name__}"] += 1
            if THINK:  # the person reads the answer before the next click
                time.sleep(min(self.rng.expovariate(1 / THINK), 10 * THINK,
                               max(0.0, self.deadline - time.monotonic())))
        self.client.close()
        self.feeds.close()

    def timed_get(self, page: str, path: str, client: Client | None = None, **headers: str) -> tuple[int, bytes]:
        started = time.perf_counter()
        status, response_headers, body = (client or self.client).get(path, **headers, **{PAGE_HEADER: page})
        self.stats.add(page, started, status, path)
        self.last_headers = response_headers
        return status, body

    def do_office_list(self, page: str) -> None:
        self.timed_get(page, f"/offices/?page={self.rng.randint(1, max(1, OFFICES // 25))}")

    def do_office(self, page: str) -> None:
        self.timed_get(page, f"/offices/{self.rng.choice(self.data['office_ids'])}")

    def do_search(self, page: str) -> None:
        name = self.rng.choice(self.data["last_names"]).split()[-1]
        self.timed_get(page, f"/offices/?q={quote(name)}")

    def do_dashboard(self, page: str) -> None:
        self.timed_get(page, "/")

    def do_log_contact_moment(self, page: str) -> None:
        office_id = self.rng.choice(self.data["office_ids"])
        marker = f"loadtest {secrets.token_hex(8)}"
        token = self.client.csrf(f"/offices/{office_id}")
        started = time.perf_counter()
        status, _, _ = self.client.request(
            "POST", f"/offices/{office_id}/interactions",
            body=(f"kind=call&occurred_on={time.strftime('%Y-%m-%d')}&contact_id=0&summary="
                  f"{marker.replace(' ', '+')}&csrf_token={token}").encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded", PAGE_HEADER: page})
        self.stats.add(page, started, status, f"/offices/{office_id}/interactions")
        if status == 302:
            with self.stats.lock:
                self.stats.acked["interactions"] += 1

    def do_feed_revalidation(self, page: str) -> None:
        token = self.rng.choice(self.data["tokens"])
        headers = {"Accept-Encoding": "gzip"}
        if token in self.etags:
            headers["If-None-Match"] = self.etags[token]
        status, _ = self.timed_get(page, f"/feeds/{token}.ics", client=self.feeds, **headers)
        if status == 200:
            self.etags[token] = self.last_headers["etag"]

    def do_registration(self, page: str) -> None:
        if not self.registrations.acquire(blocking=False):
            return  # over the pace: this person does something else
        n = f"{self.n}-{secrets.token_hex(6)}"
        key = self.data["keys"][hash(n) % len(self.data["keys"])]
        body = f'{{"name": "Load {n}", "email": "load-{n}@example.nl", "newsletter": true}}'.encode()
        started = time.perf_counter()
        status, _, _ = self.feeds.request("POST", "/api/registrations", body=body, headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {key}", PAGE_HEADER: page})
        self.stats.add(page, started, status, "/api/registrations")
        if status == 202:
            with self.stats.lock:
                self.stats.acked["registrations"] += 1


def pace(registrations: threading.Semaphore, deadline: float) -> None:
    while time.monotonic() < deadline:
        registrations.release()
        time.sleep(1 / REGISTRATION_RATE)


def stored(env: dict[str, str]) -> dict[str, tuple[int, int]]:
    """(rows, distinct) of what the load test wrote, read from the database afterwards."""
    from sqlalchemy import func, select

    from praclox import create_app
    from praclox.extensions import db
    from praclox.offices.models import Interaction
    from praclox.registrations.models import Registration

    app = create_app({k.removeprefix("PRACLOX_"): v for k, v in env.items()})
    with app.app_context():
        summaries = [s for s in db.session.scalars(select(Interaction.summary)) if s and s.startswith("loadtest ")]
        emails = db.session.scalars(select(Registration.email)).all()
        emails = [e for e in emails if e and e.startswith("load-")]
        ran = db.session.scalar(select(func.count()).select_from(Interaction))
        db.engine.dispose()
    del ran
    return {"interactions": (len(summaries), len(set(summaries))), "registrations": (len(emails), len(set(emails)))}


def server_times(log_path: Path) -> dict[str, list[float]]:
    """Per page, the server's own time (ms) for each timed request, from gunicorn's access log."""
    found: dict[str, list[float]] = defaultdict(list)
    for line in log_path.read_text(errors="replace").splitlines():
        parts = line.split(" ", 4)
        if len(parts) == 5 and parts[3].isdigit() and parts[4] in WEIGHTS:
            found[parts[4]].append(float(parts[3]))
    return found


def _p50_p99(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def report(stats: Stats, elapsed: float, writes: dict[str, tuple[int, int]], database: str,
           server: dict[str, list[float]], generator_cpu: float) -> list[str]:
    total = sum(len(t) for t in stats.times.values())
    missed = [] if total else ["no request answered"]
    print(f"{database}, gunicorn -w 4 + 1 scheduler, {USERS} users thinking {THINK:g} s on average, "
          f"{elapsed:.0f} s: {total} requests, {total / elapsed:.1f} req/s (load {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs; the generator used {generator_cpu / elapsed:.0%} of one CPU)")
    print(f"  {'page':22} {'count':>6} {'p50 ms':>8} {'p99 ms':>8} {'server p50':>11} {'p99':>6}  answers")
    for page in WEIGHTS:
        times = stats.times.get(page, [])
        if not times:
            continue
        p50, p99 = _p50_p99(times)
        s50, s99 = _p50_p99(server[page]) if server.get(page) else (float("nan"), float("nan"))
        answers = ", ".join(f"{s}: {c}" for s, c in sorted(stats.statuses[page].items()))
        print(f"  {page:22} {len(times):6} {p50:8.1f} {p99:8.1f} {s50:11.1f} {s99:6.1f}  {answers}")
        if p99 >= P99_TARGET_MS:
            missed.append(f"p99 {page}")
        if any(s >= 500 for s in stats.statuses[page]):
            missed.append(f"5xx {page}")
        if any(s >= 400 and s != 429 for s in stats.statuses[page]):
            missed.append(f"4xx {page}")
    for name, (rows, distinct) in writes.items():
        acked = stats.acked[name]
        print(f"  writes {name:15} acknowledged {acked}, stored {rows} ({distinct} distinct): "
              f"lost {acked - distinct}, duplicated {rows - distinct}")
        if acked != distinct or rows != distinct:
            missed.append(f"writes {name}")
    print("  slowest (client ms, page, path): " + "; ".join(
        f"{took:.0f} {page} {path}" for took, page, path in stats.slowest))
    for error, count in stats.errors.items():
        print(f"  client error {error}: {count}")
        missed.append(error)
    return missed


def main() -> int:
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="praclox-load-")))
        database = "PostgreSQL" if pg_available() else "SQLite"
        url = stack.enter_context(temporary_database()) if database == "PostgreSQL" else \
            f"sqlite:///{tmp / 'load.sqlite3'}"
        env = {"PRACLOX_INSTANCE_PATH": str(tmp), "PRACLOX_DATABASE_URL": url,
               "PRACLOX_SECRET_KEY": secrets.token_hex(16), "PRACLOX_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
               "PRACLOX_BASE_URL": "http://127.0.0.1", "PRACLOX_INSECURE_COOKIES": "1", "PRACLOX_LOG_LEVEL": "WARNING"}
        print(f"preparing {OFFICES} demo offices on {database} ...", flush=True)
        data = prepare(env)
        import subprocess

        scheduler = subprocess.Popen(  # noqa: S603
            [str(Path(sys.executable).parent / "praclox"), "scheduler"], cwd=ROOT, env={**os.environ, **env},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stack.callback(scheduler.wait, 20)
        stack.callback(scheduler.terminate)
        port = stack.enter_context(gunicorn(env, workers=4, access_format=ACCESS_FORMAT))
        stats = Stats()
        registrations = threading.Semaphore(0)
        people = [Person(n, port, data, stats, 0.0, registrations) for n in range(USERS)]
        print("logging in, priming 500 calendar clients ...", flush=True)
        primers = [threading.Thread(target=person.prepare) for person in people]
        for primer in primers:
            primer.start()
        for primer in primers:
            primer.join()
        started, cpu = time.monotonic(), time.process_time()
        deadline = started + SECONDS
        for person in people:
            person.deadline = deadline
        threading.Thread(target=pace, args=(registrations, deadline), daemon=True).start()
        for person in people:
            person.start()
        for person in people:
            person.join(SECONDS + 120)
        elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
        writes = stored(env)
        missed = report(stats, elapsed, writes, database, server_times(tmp / "gunicorn.log"), cpu)
    print("targets met" if not missed else "TARGETS MISSED: " + ", ".join(sorted(set(missed))))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
