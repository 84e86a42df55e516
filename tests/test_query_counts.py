"""The number of SQL statements a page makes does not grow with what it shows (issue 9).

Each test counts the statements of a page for a small case, makes the case large through the services
(a plan of 15 interventions, many SIPs, many contacts, a long inbox) and counts again: the two counts are
the same. A loop that loads something per row (an "N+1") makes the second count larger and fails.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import give_consent, make_sip, user
from tests.my_sip_fixtures import anna_sip, at, book
from webapp.extensions import db
from webapp.models import GoalHorizon, InterventionPrincipal, Principal
from webapp.services import contacts, plans
from webapp.services.plans import InterventionFields, VersionFields


@pytest.fixture
def statements(app):
    """Counts the statements sent to the database while ``statements.of(client, url)`` gets a page.

    The rendered-page cache is off: these count what rendering the page costs (a page served from the
    cache reads the generation and the login only; tests/test_response_cache.py)."""
    app.config["RESPONSE_CACHE"] = False
    engine = app.extensions["minsip_db"]["engine"]

    class Statements:
        sent: list[str] = []

        def _listen(self, _conn, _cursor, statement, *_args) -> None:
            self.sent.append(statement)

        def of(self, client, url: str) -> int:
            assert client.get(url).status_code == 200, url  # the first request fills the caches
            self.sent = []
            response = client.get(url)
            assert response.status_code == 200, url
            return len(self.sent)

        def repeated(self) -> str:
            """The statements of the last page sent more than once: where to look for the loop."""
            counts = Counter(" ".join(statement.split())[:160] for statement in self.sent)
            return "\n".join(f"{n} x {statement}" for statement, n in counts.items() if n > 1)

    counter = Statements()
    sa.event.listen(engine, "before_cursor_execute", counter._listen)
    yield counter
    sa.event.remove(engine, "before_cursor_execute", counter._listen)


def approved_plan(sip, size: int) -> None:
    """A plan with ``size`` goals and interventions, documented by Sara, sent and approved by the person."""
    sara = user("sara")
    version = plans.start_draft(sara, sip)
    for number in range(size):
        goal = plans.save_goal(sara, version, GoalHorizon.SHORT, f"Goal {number}")
        plans.save_intervention(sara, version, InterventionFields(
            what=f"Intervention {number}", principal=InterventionPrincipal.MUNICIPALITY,
            organisation_id=sara.organisation_id, responsible_user_id=sara.id, responsible_name="Sara Lind",
            frequency="Every day", goal_key=goal.key))
    plans.update(sara, version, VersionFields(
        current_situation="Help at home.", overall_responsibility=Principal.MUNICIPALITY, coordinator_id=sara.id,
        no_region_interventions=True, no_other_interventions=True, next_follow_up_on=date(2026, 4, 1)))
    plans.send(sara, version)
    plans.approve(sip.person, version)


def new_sip_for_anna(day: int):
    sip = make_sip(user("anna"))
    give_consent(sip)
    book(sip, at(date(2026, 3, 10 + day), 10), with_erik=False)
    approved_plan(sip, 3)
    return sip


def test_the_plan_page_makes_as_many_statements_for_15_interventions_as_for_1(app, demo, clock, client, auth,
                                                                             statements):
    with app.app_context():
        small = anna_sip()
        approved_plan(small, 1)
        large = make_sip(user("anna"))
        give_consent(large)
        approved_plan(large, 15)
        small_ref, large_ref = small.reference, large.reference
    auth.login("anna")
    few = statements.of(client, f"/sips/{small_ref}/plan")
    many = statements.of(client, f"/sips/{large_ref}/plan")
    assert "Intervention 14" in client.get(f"/sips/{large_ref}/plan").get_data(as_text=True)
    assert many == few, statements.repeated()


def test_the_home_page_makes_as_many_statements_for_six_sips_as_for_one(app, demo, clock, client, auth, statements):
    auth.login("anna")
    with app.app_context():
        new_sip_for_anna(0)
    one = statements.of(client, "/")
    with app.app_context():
        references = [new_sip_for_anna(day).reference for day in range(1, 6)]
    six = statements.of(client, "/")
    assert all(reference in client.get("/").get_data(as_text=True) for reference in references)
    assert six == one, statements.repeated()


def test_the_contact_map_makes_as_many_statements_for_40_contacts_as_for_one(app, demo, clock, client, auth,
                                                                           statements):
    auth.login("anna")
    with app.app_context():
        contacts.save_contact(user("anna"), None, {"name": "Contact 0", "sector": "municipal_social",
                                                   "organisation": "Haninge kommun"})
    one = statements.of(client, "/contacts")
    with app.app_context():
        for number in range(1, 40):
            contacts.save_contact(user("anna"), None, {
                "name": f"Contact {number}", "sector": ["municipal_social", "region_health", "other"][number % 3],
                "organisation": ["Haninge kommun", "Brandbergens vårdcentral", "Somewhere else"][number % 3],
                "next_meeting_at": None if number % 2 else clock().replace(tzinfo=None) + timedelta(days=number)})
    forty = statements.of(client, "/contacts")
    assert "Contact 39" in client.get("/contacts").get_data(as_text=True)
    assert forty == one, statements.repeated()


def test_the_professional_inbox_makes_as_many_statements_for_25_more_requests(app, demo, clock, client, auth,
                                                                              statements):
    auth.login("sara")
    before = statements.of(client, "/work/")
    with app.app_context():
        people = [user(name) for name in ("anna", "omar", "erik")]
        references = [make_sip(people[number % 3], purpose=f"Request {number}").reference for number in range(25)]
        db.session.commit()
    after = statements.of(client, "/work/")
    page = client.get("/work/").get_data(as_text=True)
    assert sum(reference in page for reference in references) == 25
    assert after == before, statements.repeated()


def test_the_professional_inbox_makes_as_many_statements_for_more_requests_than_a_page_holds(
        app, demo, clock, client, auth, statements):
    """More requests than a page holds: the same statements for page 1 and page 2 as for the three of the demo
    (the decision on each SIP is made on plain rows, and only the page's SIPs are loaded)."""
    auth.login("sara")
    before = statements.of(client, "/work/")
    with app.app_context():
        people = [user(name) for name in ("anna", "omar", "erik")]
        references = [make_sip(people[number % 3], purpose=f"Request {number}").reference for number in range(80)]
    first = statements.of(client, "/work/")
    second = statements.of(client, "/work/?page=2")
    pages = client.get("/work/").get_data(as_text=True) + client.get("/work/?page=2").get_data(as_text=True)
    assert sum(reference in pages for reference in references) == 80
    assert first == before, statements.repeated()
    assert second == before, statements.repeated()


def test_the_decision_for_a_list_is_the_decision_for_each_sip(app, demo, clock):
    """``access_to_many`` (lists) answers exactly what ``access_to`` answers, SIP by SIP, for everyone."""
    from tests.factories import withdraw_consent
    from webapp.models import Sip, User
    from webapp.services import access

    with app.app_context():
        withdrawn = make_sip(user("omar"), to=("Haninge kommun",))
        give_consent(withdrawn, to=("Haninge kommun",))
        withdraw_consent(withdrawn)
        make_sip(user("anna"), to=("Nynäshamns kommun",))  # no consent yet: only the recipient sees the request
        sips = list(db.session.scalars(sa.select(Sip)))
        fields = ("standing", "can_read_request", "can_read_details", "can_act_for_person", "can_work")
        standings = set()
        rows = db.session.execute(sa.select(Sip.id, *access.light_columns())).all()  # the inbox's plain rows
        for reader in db.session.scalars(sa.select(User)):
            many = access.access_to_many(reader, sips)
            light = access.access_to_rows(reader, rows)
            for sip in sips:
                one = access.access_to(reader, sip)
                for listed in (many, light):
                    assert [getattr(listed[sip.id], f) for f in fields] == [getattr(one, f) for f in fields], (
                        reader.email, sip.reference)
                    assert listed[sip.id].consent.status == one.consent.status
                    assert listed[sip.id].consent.organisation_ids == one.consent.organisation_ids
                    assert listed[sip.id].consent.relative_ids == one.consent.relative_ids
                standings.add(one.standing)
        assert {access.Standing.PERSON, access.Standing.PROFESSIONAL, access.Standing.STUB,
                access.Standing.NONE} <= standings
        assert access.access_to_many(user("sara"), []) == {}
