"""docs/performance.md, written by ``make bench`` from its own measurements."""
from __future__ import annotations


def _pages(rows: dict) -> str:
    lines = ["| page | req/s | p50 ms | p99 ms | errors |", "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} |" for name, r in rows.items()]
    return "\n".join(lines)


def _size_note(report: dict) -> str:
    if report["large"] >= 100_000:
        return ""
    return (f"\nThis run used {report['large']:,} persons for the large population (`BENCH_LARGE`), not the "
            "100,000 of `make bench`'s default.\n")


def _load(load: dict, database: str) -> str:
    return (f"On {database}, {load.get('users', 64)} locust users, each a different person of the population "
            f"(logged in before the window), reading their plan and contact map and adding contacts through the "
            f"real form (with its CSRF token) for {load.get('seconds', 120)} seconds: {load['requests']:,} requests, "
            f"{load['failures']} errors, {load['writes']:,} writes acknowledged (303) by {load.get('persons', 0)} "
            f"persons, and afterwards every acknowledged contact looked up in the database by its owner and name: "
            f"{load['lost']} lost; {load['locked']} \"database is locked\" in the server's log.")


def render(report: dict) -> str:
    plan, bare = report["large_pages"]["plan page"], report["large_pages"]["bare"]
    small, large = report["small_plan_rounds"], report["large_plan_rounds"]
    sizes = ["| page | SQL statements, rendered | ms CPU, rendered | SQL statements, page cache | ms CPU, page cache "
             "| KB compressed (HTML + CSS + JS, first load) |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    sizes += [f"| {name} | {p['queries']} | {p['cpu_ms']:.1f} | {p['cached_queries']} | {p['cached_cpu_ms']:.1f} "
              f"| {p['kb']:.1f} |" for name, p in report["pages"].items()]
    loads = _load(report["load"], report["database"])
    if "load_sqlite" in report:
        loads += "\n\nThe same on SQLite (WAL, `synchronous=FULL`, `BEGIN IMMEDIATE` for writes), 2 gunicorn " \
                 "workers: " + _load(report["load_sqlite"], "SQLite")[len("On SQLite, "):]
    checks = "\n".join(f"- {'met' if passed else '**not met**'}: {name}" for name, passed in report["checks"].items())
    return f"""# Performance

Measured by `make bench` on {report['date']}, on {report['database']}, on this project's 2-core build
machine; wrk (and locust) share the two cores with gunicorn (2 sync workers), so read the figures as
ratios between pages of one run, not as absolute capacity. `make bench` rewrites this page.
{_size_note(report)}

## Pages with {report['large']:,} persons

16 connections, each page measured for the same time, one after the other in one run. "bare" is
`GET /ping` of the same app: it goes through the same middleware (sessions, security headers) and
touches no database, the framework's floor.

{_pages(report['large_pages'])}

**plan page: {plan['rps']:.0f} req/s, p99 {plan['p99']:.1f} ms; bare: {bare['rps']:.0f} req/s; ratio {report['ratio']:.2f}**

## Does the cost grow with the data?

The plan page, three more runs of wrk on each population, the median of each figure: with
{report['small']:,} persons {small['rps']:.0f} req/s, p50 {small['p50']:.1f} ms, p99 {small['p99']:.1f} ms; with
{report['large']:,} persons {large['rps']:.0f} req/s, p50 {large['p50']:.1f} ms, p99 {large['p99']:.1f} ms
(p99 {report['growth'] * 100:+.0f} %). Filling {report['large']:,} persons took {report['fill_seconds_large']:.0f} s (`seed-load`, with COPY on PostgreSQL). The statement count (constant, tested) and
the CPU per rendered request are the other evidence that the cost does not grow with the data.

## Queries and size

{chr(10).join(sizes)}

"Rendered" is what a page costs when it is made from the data (the page cache off): the number of
statements does not depend on the size of the plan or of the database (`tests/test_query_counts.py`
keeps it so). "Page cache" is what the same page costs when the process has it in memory: no statement
at all between two asks of the data generation (every 0.1 s), the login session and the generation in
one statement when it asks. The CPU columns are the time one request costs the app, measured with the
Flask test client on the large population (process time, so it does not depend on how busy the machine
is). Every page stays under 50 KB (`tests/test_page_weight.py`).

## How the pages come near the floor

- **The page cache** (`webapp/services/response_cache.py`, docs/operations.md). A person opens the
  same plan, home page and contact map many times between two changes, and a professional reloads the
  inbox all day; rendering those pages through Jinja and the ORM is what they cost. Each process keeps
  them, per login session, for the *data generation*: a number every committed write moves on in its
  own transaction. A write anywhere empties the cache; the browser that wrote carries the number of its
  write and never gets an older page; other processes learn it within 0.1 s. A read that must be logged
  (a relative or a professional opening a person's plan) is a write, so it is rendered and logged every
  time; the inbox logs its rows once per reader and day and is kept after that. Flashed messages, a
  changed session, an answer other than 200 HTML: never kept. `tests/test_response_cache.py` proves each.
- **A GET writes nothing** otherwise: the statements of a rendered page are SELECTs; a person reading
  their own data is not logged; the idle-timeout clock lives in the signed session cookie and moves at
  most once a minute (`tests/test_security_suite.py` checks that no GET changes the database, except
  the access log and read receipts).
- **Lists load what they show** together and a page at a time: the inbox shows 50 SIPs a page and
  counts the stages over light rows; `access.access_to_many` and `consent_state.states_of` decide for
  a whole list in a fixed number of statements. The inbox is still the costliest page to render: it
  decides access and the stage for every SIP of the organisation (2,500 each in the large population),
  about 30 µs a SIP. That order is remembered per professional, data generation and day, so another
  page, a filter or the next minute only loads and renders the 50 SIPs shown; the first render after
  a write pays the whole of it.
- A fresh worker's first requests compile the page's templates (0.1 to 0.25 s of CPU each). The
  benchmark warms every worker one request at a time before measuring, and logs in as a browser does
  (following the redirect, keeping the cookie the first page answers with).
- wrk, gunicorn (2 sync workers) and PostgreSQL share the 2 cores, so a page's throughput is at most
  2 cores / (its CPU + the server's and the client's share), and at 16 connections each request waits
  behind about eight others.

## Load without loss

{loads}

## Push

{report['push']}

## Targets

{checks}

## Reproduce

```sh
make bench                                  # 100,000 persons; PostgreSQL when it answers on 127.0.0.1:5432
BENCH_LARGE=10000 make bench                # a smaller large population
BENCH_LARGE=2000 BENCH_SMALL=200 BENCH_SECONDS=3 BENCH_LOAD_SECONDS=20 BENCH_PUSH=200 make bench  # a quick look
BENCH_SQLITE=1 make bench                   # SQLite even when PostgreSQL answers
```
"""
