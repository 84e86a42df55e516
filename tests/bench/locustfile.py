"""Load without loss: many persons reading their plan and adding contacts at once.

Run by ``tests/bench/run.py`` (headless, 64 users, 2 minutes). Each user is a different person of the
load population. The runner logs them in before the run (argon2id makes a login cost about a second of
CPU on purpose, and 64 of them would fill the measured window) and passes their session cookies in
``BENCH_COOKIES``; without that file a user logs in itself. Then each user loops: read the plan page,
read the contact map, add a contact (a real form post with its CSRF token). Every write answered with
success (303) is recorded in ``BENCH_ACKNOWLEDGED``; afterwards the runner checks that every one of them
is in the database.
"""
from __future__ import annotations

import itertools
import json
import os
import re
import uuid

from locust import FastHttpUser, between, events, task

_numbers = itertools.count()
ACKNOWLEDGED: list[dict] = []
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
SESSION_COOKIE = re.compile(r"minsip=[^;]+")


def _cookies() -> list[str]:
    path = os.environ.get("BENCH_COOKIES")
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


COOKIES = _cookies()


class Person(FastHttpUser):
    wait_time = between(0, 0.05)
    network_timeout = 120.0
    connection_timeout = 120.0

    def on_start(self):
        self.number = next(_numbers)
        self.reference = f"SIP-L{self.number:07d}"
        if self.number < len(COOKIES):
            self.headers = {"Cookie": COOKIES[self.number]}
            return
        self.headers = {}
        page = self.client.get("/login", name="/login")
        self._remember(page)
        self._remember(self.client.post("/login", name="/login (POST)", allow_redirects=False, headers=self.headers,
                                        data={"csrf_token": TOKEN.search(page.text).group(1),
                                              "email": f"person{self.number}@load.example",
                                              "password": "load-test-password"}))

    def _remember(self, response) -> None:
        # The session cookie changes (the CSRF secret, the idle clock): send the newest one, as a browser does.
        cookie = SESSION_COOKIE.search(response.headers.get("Set-Cookie") or "")
        if cookie:
            self.headers = {"Cookie": cookie.group(0)}

    def _get(self, path: str, name: str, expect: str):
        with self.client.get(path, name=name, headers=self.headers, allow_redirects=False,
                             catch_response=True) as response:
            self._remember(response)
            if response.status_code != 200 or expect not in (response.text or ""):
                response.failure(f"status {response.status_code}, or the page is not the expected one")
            return response

    @task(3)
    def read_plan(self):
        self._get(f"/sips/{self.reference}/plan", "/sips/[ref]/plan", "<h1")

    @task(1)
    def read_contacts(self):
        self._get("/contacts", "/contacts", "/contacts/new")

    @task(2)
    def add_contact(self):
        form = self._get("/contacts/new", "/contacts/new", "csrf_token")
        token = TOKEN.search(form.text or "")
        if token is None:
            return
        name = f"Load contact {uuid.uuid4().hex[:12]}"
        with self.client.post("/contacts/new", name="/contacts/new (POST)", allow_redirects=False, catch_response=True,
                              headers=self.headers,
                              data={"csrf_token": token.group(1), "name": name, "sector": "other"}) as response:
            self._remember(response)
            if response.status_code == 303:
                ACKNOWLEDGED.append({"person": f"person{self.number}@load.example", "name": name})
                response.success()
            else:
                response.failure(f"status {response.status_code}")


@events.test_stop.add_listener
def _save(environment, **_kwargs):
    path = os.environ.get("BENCH_ACKNOWLEDGED")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(ACKNOWLEDGED, handle)
