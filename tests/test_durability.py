"""Durability: kill the server (SIGKILL) in the middle of a stream of writes, 20 times.

Every write that was answered with success must be there afterwards, and SQLite's integrity check must
say ok. The writes are registrations (each creates an account), made by a client thread against
gunicorn in a process group of its own, killed at a random moment. The servers are forked from one
process that imported the app once (``tests/durability_servers.py``).
"""
from __future__ import annotations

import http.client
import http.cookiejar
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PG_URL

ROUNDS = 20
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _register(base: str, email: str) -> bool:
    """One registration, as a browser makes it: the form, then the POST. True if it was accepted."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(f"{base}/register", timeout=5) as response:
        page = response.read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "name": "Durable Person", "email": email,
                                   "password": "granite lanterns at dawn", "language": "sv"}).encode()
    try:
        with opener.open(f"{base}/register", data=body, timeout=5):
            return False
    except urllib.error.HTTPError as response:
        response.close()
        return response.code == 303


def _writer(base: str, prefix: str, acknowledged: list[str], stop: threading.Event) -> None:
    number = 0
    while not stop.is_set():
        email = f"{prefix}-{number}@durable.example"
        number += 1
        try:
            if _register(base, email):
                acknowledged.append(email)
        except (OSError, urllib.error.URLError, http.client.HTTPException, AttributeError):
            continue  # the server is gone (or going): that write was not acknowledged


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_until_up(base: str, pid: int, log: Path) -> None:
    deadline = time.monotonic() + 90  # generous: the CI machine may be busy
    while time.monotonic() < deadline:
        if not _alive(pid):
            raise RuntimeError("gunicorn exited: " + log.read_text()[-2000:])
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def _kill(pid: int) -> None:
    """SIGKILL to the whole group, master and workers, mid-write; then wait until the master is gone."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.mark.slow
@pytest.mark.skipif(bool(PG_URL), reason="SQLite's durability; PostgreSQL's is the server's own")
def test_no_acknowledged_write_is_lost_when_the_server_is_killed(tmp_path):
    database = tmp_path / "durable.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "SECRET_KEY": "durability-test",
           "INSTANCE_PATH": str(tmp_path), "COOKIE_SECURE": "0", "ARGON2_TIME_COST": "1",
           "ARGON2_MEMORY_COST": "1024", "ARGON2_PARALLELISM": "1", "FLASK_APP": "webapp"}
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    rng = random.Random(20)
    all_acknowledged: list[str] = []
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as log_file:
        servers = subprocess.Popen([sys.executable, "-m", "tests.durability_servers"], env=env, cwd=ROOT,
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log_file, text=True)
    try:
        for round_number in range(ROUNDS):
            port = _free_port()
            base = f"http://127.0.0.1:{port}"
            servers.stdin.write(f"{port}\n")
            servers.stdin.flush()
            line = servers.stdout.readline()
            if not line:
                raise RuntimeError("the server starter exited: " + log.read_text()[-2000:])
            pid = int(line)
            try:
                _wait_until_up(base, pid, log)
                acknowledged: list[str] = []
                stop = threading.Event()
                writers = [threading.Thread(target=_writer, args=(base, f"r{round_number}w{w}", acknowledged, stop))
                           for w in range(3)]
                for thread in writers:
                    thread.start()
                # Kill in the middle of the stream: once writes are flowing, at a random moment.
                flowing_by = time.monotonic() + 30
                while not acknowledged and time.monotonic() < flowing_by:
                    time.sleep(0.05)
                time.sleep(rng.uniform(0.1, 0.8))
                _kill(pid)
                stop.set()
                for thread in writers:
                    thread.join(timeout=10)
            finally:
                _kill(pid)
            all_acknowledged.extend(acknowledged)
            with sqlite3.connect(database) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                stored = {row[0] for row in conn.execute("SELECT email FROM users")}
            missing = [email for email in all_acknowledged if email not in stored]
            assert missing == [], f"round {round_number}: acknowledged but lost: {missing}"
    finally:
        servers.stdin.close()
        servers.wait(timeout=10)
        servers.stdout.close()
    assert len(all_acknowledged) >= ROUNDS  # the stream really wrote, in every round
