"""Shared parts of the benchmarks: databases, the server, logging in, wrk."""
from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            pass
    except OSError:
        return False
    return shutil.which("pg_isready") is None or subprocess.run(
        ["pg_isready", "-q", "-h", "127.0.0.1"], check=False).returncode == 0


@contextmanager
def fresh_database(name: str, use_postgres: bool):
    """A new, empty database (PostgreSQL when it answers, else a SQLite file), dropped afterwards."""
    if use_postgres:
        import psycopg

        database = f"minsip_bench_{name}"
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
            conn.execute(f'CREATE DATABASE "{database}"')
        try:
            yield f"{PG_SERVER}/{database}"
        finally:
            with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    else:
        folder = Path(tempfile.mkdtemp(prefix=f"minsip-bench-{name}-"))
        try:
            yield f"sqlite:///{folder / 'bench.sqlite3'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def app_env(database_url: str, instance: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "benchmark-only-secret",
            "INSTANCE_PATH": str(instance), "COOKIE_SECURE": "0", "FLASK_APP": "webapp"}


def flask(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "flask", *args], env=env, cwd=ROOT, check=True,
                            capture_output=True, text=True)
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(env: dict[str, str], workers: int = 2, log: Path | None = None):
    """gunicorn serving the app on loopback; yields its base URL."""
    port = free_port()
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--error-logfile", "-", "webapp:create_app()"], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        if log:
            out.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def login(base: str, email: str, password: str) -> str:
    """Log in as a browser would; returns the session cookie for wrk's ``Cookie`` header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(base + "/login", timeout=120) as response:
        page = response.read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password}).encode()
    try:
        opener.open(base + "/login", data=body, timeout=120)
    except urllib.error.HTTPError as answer:
        if answer.code != 303:
            raise RuntimeError(f"login as {email} failed: {answer.code}") from None
    # The browser follows the redirect to the home page and keeps the cookie it answers with (the first
    # page after logging in adds the session's CSRF token); wrk then sends that cookie on every request.
    with opener.open(base + "/", timeout=120) as response:
        response.read()
    cookie = next(c for c in jar if c.name == "minsip")
    return f"minsip={cookie.value}"


def warm_up(url: str, cookie: str | None, requests: int = 12) -> None:
    """One request at a time, until every worker has compiled the page's templates and filled its caches:
    the first answers of a fresh worker take a second or more and must not land in wrk's window."""
    for _ in range(requests):
        request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()


ASSETS = re.compile(r'(?:href|src)="(/static/[^"]+\.(?:css|js)[^"]*)"')


def first_load_bytes(client, path: str) -> tuple[int, int]:
    """(status, bytes sent) for a first load of ``path`` with a Flask test client: the page and the CSS and
    JavaScript it links, each compressed as the app serves it to a browser that accepts gzip."""
    import gzip

    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    body = response.get_data()
    response.close()
    if response.status_code != 200 or response.mimetype != "text/html":
        return response.status_code, len(body)
    html = gzip.decompress(body).decode() if response.headers.get("Content-Encoding") == "gzip" else body.decode()
    size = len(body)
    for asset in sorted(set(ASSETS.findall(html))):
        with client.get(asset, headers={"Accept-Encoding": "gzip"}) as reply:
            size += len(reply.get_data())
    return response.status_code, size


def wrk(url: str, cookie: str | None, connections: int = 16, seconds: int = 10) -> dict[str, float]:
    """req/s, p50 and p99 (ms) from a wrk run on loopback."""
    # A 30 s timeout: wrk's own 2 s would drop the slowest answers from the percentiles as "timeouts".
    command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout

    def latency(label: str) -> float:
        value, unit = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": latency("50"), "p99": latency("99"),
            "errors": (int(errors.group(1)) if errors else 0) + (sum(map(int, socket.groups())) if socket else 0)}
