"""``make bench``: speed and size, measured in one run (see docs/performance.md).

1. A population of LARGE persons (``seed-load``) on PostgreSQL when it answers on 127.0.0.1:5432, else
   SQLite; gunicorn serving; wrk on loopback at 16 connections: the plan page as a logged-in person,
   the home page, the contact map, the professional inbox, and a bare endpoint that touches nothing.
2. The same plan page with SMALL persons, to see whether the cost grows with the data (the median of three
   more runs of the plan page on each population).
3. The SQL queries each page makes, and the bytes each page sends compressed on a first load.
4. The push rate (10,000 due reminders to the local push service).
5. Load without loss: locust, 64 users reading and writing for 2 minutes: errors, lost writes, locks; on
   PostgreSQL with the small population, and on SQLite with BENCH_SQLITE_LOAD persons.

Environment: BENCH_LARGE (100000), BENCH_SMALL (1000), BENCH_SECONDS (10), BENCH_LOAD_SECONDS (120),
BENCH_PUSH (10000), BENCH_SQLITE_LOAD (2000), BENCH_SQLITE=1 to use SQLite even when PostgreSQL answers.
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from tests.bench.common import (
    ROOT, app_env, first_load_bytes, flask, fresh_database, login, postgres_answers, server, warm_up, wrk,
)

LARGE = int(os.environ.get("BENCH_LARGE", "100000"))
SMALL = int(os.environ.get("BENCH_SMALL", "1000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "120"))
PUSH = int(os.environ.get("BENCH_PUSH", "10000"))
SQLITE_LOAD = int(os.environ.get("BENCH_SQLITE_LOAD", "2000"))
USERS = 64
CPU_ROUNDS = 30
PERSON = ("person0@load.example", "load-test-password")
STAFF = ("staff1-0@load.example", "load-test-password")  # the first load municipality's first professional
PAGES = {  # name: (path, who)
    "plan page": ("/sips/SIP-L0000000/plan", PERSON),
    "home page": ("/", PERSON),
    "contact map": ("/contacts", PERSON),
    "professional inbox": ("/work/", STAFF),
    "bare": ("/ping", None),
}
TARGETS = {"ratio": 0.5, "p99_ms": 50.0, "growth": 0.20, "page_kb": 50.0}


def say(message: str) -> None:
    print(message, flush=True)


def populate(env: dict[str, str], persons: int) -> float:
    started = time.monotonic()
    flask(env, "db", "upgrade")
    flask(env, "seed-load", "--persons", str(persons))
    return time.monotonic() - started


def plan_page_rounds(base: str, rounds: int = 3) -> dict[str, float]:
    """The plan page measured ``rounds`` more times: the median of each figure, for comparing two
    populations (one p99 of a few milliseconds moves by a fifth from one run to the next)."""
    path, who = PAGES["plan page"]
    cookie = login(base, *who)
    runs = [wrk(base + path, cookie, seconds=SECONDS) for _ in range(rounds)]
    return {figure: statistics.median(run[figure] for run in runs) for figure in ("rps", "p50", "p99")}


def measure(base: str, names: list[str]) -> dict[str, dict]:
    cookies = {who: login(base, *who) for who in {PAGES[name][1] for name in names} if who}
    results = {}
    for name in names:
        path, who = PAGES[name]
        warm_up(base + path, cookies.get(who))
        wrk(base + path, cookies.get(who), seconds=2)
        results[name] = wrk(base + path, cookies.get(who), seconds=SECONDS)
        say(f"  {name:20} {results[name]['rps']:8.0f} req/s   p50 {results[name]['p50']:6.1f} ms   "
            f"p99 {results[name]['p99']:6.1f} ms   errors {results[name]['errors']}")
    return results


def queries_and_bytes(database_url: str) -> dict[str, dict]:
    """Per page: SQL statements and CPU when rendered (page cache off), CPU when answered from the page
    cache, and the compressed bytes of its HTML, CSS and JavaScript."""
    os.environ.update({"DATABASE_URL": database_url, "SECRET_KEY": "benchmark-only-secret", "COOKIE_SECURE": "0"})
    from webapp import create_app

    results = {}
    for cached in (False, True):
        app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "benchmark-only-secret",
                          "WTF_CSRF_ENABLED": False, "RESPONSE_CACHE": cached})
        engine = app.extensions["minsip_db"]["engine"]
        statements: list[str] = []
        sa.event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        for name, (path, who) in PAGES.items():
            client = app.test_client()
            if who:
                client.post("/login", data={"email": who[0], "password": who[1]})
                client.get("/").close()  # the page after logging in, as a browser follows the redirect
            client.get(path).close()  # the first request warms the caches
            statements.clear()
            client.get(path).close()
            count = len(statements)
            started = time.process_time()  # CPU time of this process: the same on a busy machine as on an idle one
            for _ in range(CPU_ROUNDS):
                client.get(path).close()
            cpu = (time.process_time() - started) / CPU_ROUNDS * 1000
            row = results.setdefault(name, {})
            if cached:
                row.update(cached_queries=count, cached_cpu_ms=cpu)
            else:
                _status, size = first_load_bytes(client, path)
                row.update(queries=count, kb=size / 1024, cpu_ms=cpu)
        engine.dispose()
    for name, row in results.items():
        say(f"  {name:20} {row['queries']:3d} SQL statements, {row['cpu_ms']:5.1f} ms CPU rendered; "
            f"{row['cached_queries']:d} statements, {row['cached_cpu_ms']:5.1f} ms CPU from the page cache; "
            f"{row['kb']:5.1f} KB compressed (HTML + CSS + JS)")
    return results


def load_without_loss(env: dict[str, str], base: str, log: Path) -> dict:
    """64 persons reading and writing at once; every acknowledged write must be stored afterwards."""
    folder = Path(tempfile.mkdtemp())
    acknowledged, cookies = folder / "acknowledged.json", folder / "cookies.json"
    with ThreadPoolExecutor(max_workers=4) as pool:  # logins before the window: argon2id is slow on purpose
        cookies.write_text(json.dumps(list(pool.map(
            lambda number: login(base, f"person{number}@load.example", PERSON[1]), range(USERS)))))
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "tests" / "bench" / "locustfile.py"), "--headless",
               "-u", str(USERS), "-r", str(USERS), "-t", f"{LOAD_SECONDS}s", "--host", base, "--only-summary",
               "--json"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "BENCH_ACKNOWLEDGED": str(acknowledged), "BENCH_COOKIES": str(cookies)})
    stats = json.loads(result.stdout or "[]")
    requests = sum(entry["num_requests"] for entry in stats)
    failures = sum(entry["num_failures"] for entry in stats)
    writes = json.loads(acknowledged.read_text()) if acknowledged.exists() else []
    from sqlalchemy import create_engine

    from webapp.db import normalise_url

    engine = create_engine(normalise_url(env["DATABASE_URL"]))
    with engine.connect() as conn:
        stored = {(email, name) for email, name in conn.execute(sa.text(
            "SELECT users.email, contacts.name FROM contacts JOIN users ON users.id = contacts.owner_id "
            "WHERE contacts.name LIKE 'Load contact %'"))}
    engine.dispose()
    lost = [write for write in writes if (write["person"], write["name"]) not in stored]
    locked = log.read_text(errors="replace").count("database is locked")
    return {"requests": requests, "failures": failures, "reads": requests - len(writes) - failures,
            "writes": len(writes), "persons": len({write["person"] for write in writes}), "lost": len(lost),
            "locked": locked, "seconds": LOAD_SECONDS, "users": USERS}


def main() -> int:
    use_postgres = postgres_answers() and os.environ.get("BENCH_SQLITE") != "1"
    engine_name = "PostgreSQL" if use_postgres else "SQLite"
    instance = Path(tempfile.mkdtemp(prefix="minsip-bench-instance-"))
    say(f"Database: {engine_name}")
    report: dict = {"database": engine_name, "date": date.today().isoformat(), "large": LARGE, "small": SMALL}

    with fresh_database("large", use_postgres) as url:
        env = app_env(url, instance)
        say(f"Filling {LARGE} persons ...")
        report["fill_seconds_large"] = populate(env, LARGE)
        say(f"  {report['fill_seconds_large']:.0f} s")
        say(f"Pages with {LARGE} persons, 16 connections, {SECONDS} s each:")
        with server(env) as base:
            report["large_pages"] = measure(base, list(PAGES))
            report["large_plan_rounds"] = plan_page_rounds(base)
        say("Queries and size (first load), on the large population:")
        report["pages"] = queries_and_bytes(url)
    with fresh_database("small", use_postgres) as url:
        env = app_env(url, instance)
        say(f"Filling {SMALL} persons ...")
        populate(env, SMALL)
        say(f"Pages with {SMALL} persons:")
        log = instance / "load.log"
        with server(env, log=log) as base:
            report["small_pages"] = measure(base, ["plan page", "bare"])
            report["small_plan_rounds"] = plan_page_rounds(base)
            say(f"Load without loss: 64 users reading and writing for {LOAD_SECONDS} s ...")
            report["load"] = load_without_loss(env, base, log)
        say("  {requests} requests, {failures} errors, {writes} writes acknowledged by {persons} persons, "
            "{lost} lost, {locked} 'database is locked'".format(**report["load"]))
    if use_postgres:  # the same load on SQLite, the embedded default, where "database is locked" could happen
        with fresh_database("sqlite-load", False) as url:
            env = app_env(url, instance)
            say(f"Load without loss on SQLite ({SQLITE_LOAD} persons), {LOAD_SECONDS} s ...")
            populate(env, SQLITE_LOAD)
            log = instance / "load-sqlite.log"
            with server(env, log=log) as base:
                report["load_sqlite"] = load_without_loss(env, base, log)
            say("  {requests} requests, {failures} errors, {writes} writes acknowledged by {persons} persons, "
                "{lost} lost, {locked} 'database is locked'".format(**report["load_sqlite"]))
    say(f"Push: {PUSH} due reminders to the local push service ...")
    push = subprocess.run([sys.executable, "-m", "tests.bench.push_rate", "--count", str(PUSH)], cwd=ROOT,
                          capture_output=True, text=True)
    say(push.stdout.strip())
    report["push"] = push.stdout.strip()

    plan, bare = report["large_pages"]["plan page"], report["large_pages"]["bare"]
    ratio = plan["rps"] / bare["rps"]
    growth = report["large_plan_rounds"]["p99"] / report["small_plan_rounds"]["p99"] - 1
    report["ratio"], report["growth"] = ratio, growth
    checks = {
        f"ratio R >= {TARGETS['ratio']}": ratio >= TARGETS["ratio"],
        f"p99 < {TARGETS['p99_ms']:.0f} ms on every page": all(p["p99"] < TARGETS["p99_ms"]
                                                             for p in report["large_pages"].values()),
        f"plan page p99 at {LARGE} within 20 % of {SMALL}": growth <= TARGETS["growth"],
        f"every page under {TARGETS['page_kb']:.0f} KB": all(p["kb"] < TARGETS["page_kb"] for p in report["pages"].values()),
        "writes acknowledged, no errors, no lost writes, no locks": all(
            load["writes"] > 0 and load["failures"] == 0 and load["lost"] == 0 and load["locked"] == 0
            for load in (report["load"], report.get("load_sqlite", report["load"]))),
    }
    report["checks"] = checks
    write_report(report)
    say("")
    for name, passed in checks.items():
        say(f"{'ok  ' if passed else 'MISS'} {name}")
    say(f"plan page: {plan['rps']:.0f} req/s, p99 {plan['p99']:.1f} ms; bare: {bare['rps']:.0f} req/s; "
        f"ratio {ratio:.2f}")
    return 0


def write_report(report: dict) -> None:
    from tests.bench.report import render

    (ROOT / "docs" / "performance.md").write_text(render(report), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
