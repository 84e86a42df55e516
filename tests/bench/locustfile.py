"""Load without loss: many persons reading their plan and adding contacts at once.

Run by ``tests/bench/run.py`` (headless, 64 users, 2 minutes). Each user logs in as a person of the
load population, then loops: read the plan page, read the contact map, add a contact (a write with
its CSRF token). Every write answered with success is recorded; afterwards the runner checks that
every one of them is in the database.
"""
from __future__ import annotations

import itertools
import json
import os
import re
import uuid

from locust import FastHttpUser, between, events, task

_numbers = itertools.count()
ACKNOWLEDGED: list[str] = []
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Person(FastHttpUser):
    wait_time = between(0, 0.05)

    def on_start(self):
        self.number = next(_numbers)
        page = self.client.get("/login", name="/login").text
        self.client.post("/login", name="/login (POST)", allow_redirects=False, data={
            "csrf_token": TOKEN.search(page).group(1), "email": f"person{self.number}@load.example",
            "password": "load-test-password"})
        self.reference = f"SIP-L{self.number:07d}"

    @task(3)
    def read_plan(self):
        self.client.get(f"/sips/{self.reference}/plan", name="/sips/[ref]/plan")

    @task(1)
    def read_contacts(self):
        self.client.get("/contacts", name="/contacts")

    @task(2)
    def add_contact(self):
        form = self.client.get("/contacts/new", name="/contacts/new").text
        name = f"Load contact {uuid.uuid4().hex[:12]}"
        with self.client.post("/contacts/new", name="/contacts/new (POST)", allow_redirects=False, catch_response=True,
                              data={"csrf_token": TOKEN.search(form).group(1), "name": name,
                                    "sector": "other"}) as response:
            if response.status_code == 303:
                ACKNOWLEDGED.append(name)
                response.success()
            else:
                response.failure(f"status {response.status_code}")


@events.test_stop.add_listener
def _save(environment, **_kwargs):
    path = os.environ.get("BENCH_ACKNOWLEDGED")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(ACKNOWLEDGED, handle)
