"""Feedback on a meeting (five questions, 1 to 5, once per person, after the start) and the home page:
what is waiting first, each SIP with its step, next meeting and who to call; a relative's section."""
from __future__ import annotations

import sqlalchemy as sa

from tests.consent_fixtures import log_count
from tests.factories import user
from tests.helpers import text
from tests.my_sip_fixtures import ANNA, anna_world  # noqa: F401 - fixture
from webapp.extensions import db
from webapp.models import MeetingFeedback, Resource
from webapp.services import overview

ANSWERS = {"listened_to": "5", "knows_who_is_responsible": "4", "knows_what_happens_next": "3",
           "understood_everything": "5", "overall": "4"}


def test_feedback_is_five_questions_on_a_scale_given_once(app, client, auth, anna_world):
    auth.login("anna")
    url = f"/meetings/{anna_world.first_meeting_id}/feedback"
    form = client.get(url)
    html = form.get_data(as_text=True)
    assert html.count('<fieldset id="') == 5 and html.count('type="radio"') == 25
    assert "I was listened to 1 = not at all, 5 = completely 1 not at all 2 3 4 5 completely" in text(form)
    partial = client.post(url, data={"listened_to": "5", "comment": "Good coffee"})
    assert partial.status_code == 422
    assert text(partial).count("Choose a number from 1 to 5.") == 8  # four in the summary, four by the fields
    assert "Good coffee" in partial.get_data(as_text=True)
    assert client.post(url, data={**ANSWERS, "overall": "9"}).status_code == 422
    done = client.post(url, data={**ANSWERS, "comment": "Good coffee"})
    assert done.status_code == 303
    with app.app_context():
        saved = db.session.scalars(sa.select(MeetingFeedback)).one()
        assert (saved.listened_to, saved.knows_what_happens_next, saved.overall, saved.comment) == (5, 3, 4, "Good coffee")
    assert "You have given feedback on this meeting. Thank you!" in text(client.get(done.headers["Location"]))
    assert "You have already answered for this meeting." in text(client.get(url))
    assert client.post(url, data=ANSWERS).status_code == 409
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(MeetingFeedback.id))) == 1


def test_feedback_waits_for_the_meeting(client, auth, anna_world):
    auth.login("anna")
    page = client.get(f"/meetings/{anna_world.follow_up_id}/feedback")
    assert "You can give feedback once the meeting has started." in text(page)
    assert client.post(f"/meetings/{anna_world.follow_up_id}/feedback", data=ANSWERS).status_code == 409


def test_the_home_puts_what_is_waiting_first(client, auth, anna_world):
    auth.login("anna")
    page = text(client.get("/"))
    waiting = page.index("Waiting for you")
    assert waiting < page.index("A new version of your plan is waiting for your approval.") \
        < page.index("Answer the invitation to the meeting on Monday, March 16, 2026 at 1:00 PM.") \
        < page.index("How was the meeting on Wednesday, March 4, 2026 at 10:00 AM?") < page.index("More")
    assert f"Your SIP {ANNA} Step 6 of 7 Follow-up. A follow-up of the plan is booked." in page
    assert "Next meeting Monday, March 16, 2026 at 1:00 PM At home: Storvägen 3, Haninge" in page
    assert "Coordinator Sara Lind" in page and "Call 08-606 71 20" in page
    html = client.get("/").get_data(as_text=True)
    assert 'href="tel:+4686067120"' in html and 'href="mailto:sara@example.org"' in html
    assert page.index("Waiting for you") < page.index("My requests")  # the rest comes after, as links


def test_done_things_leave_the_home(client, auth, anna_world):
    auth.login("anna")
    client.post(f"/sips/{ANNA}/plan/waiting/approve", data={"version": "2"})
    client.post(f"/meetings/{anna_world.follow_up_id}/answer", data={"answer": "accept"})
    client.post(f"/meetings/{anna_world.first_meeting_id}/feedback", data=ANSWERS)
    page = text(client.get("/"))
    assert "waiting for your approval" not in page and "Answer the invitation" not in page
    assert "How was the meeting" not in page


def test_a_relative_sees_whom_they_follow_and_acts_only_as_allowed(app, client, auth, anna_world):
    auth.login("erik")
    page = text(client.get("/"))
    assert "You follow Anna Andersson" in page and f"SIP {ANNA} of Anna Andersson" in page
    assert "A new version of the plan of Anna Andersson is waiting for their approval." in page
    assert "See the changes and approve" not in page
    assert "Answer for Anna Andersson: the meeting on Monday, March 16, 2026 at 1:00 PM." in page
    with app.app_context():
        erik = user("erik").id
    reads = log_count(app, actor_id=erik, resource=Resource.MEETINGS)
    client.get("/")
    assert log_count(app, actor_id=erik, resource=Resource.MEETINGS) == reads  # once a day per SIP


def test_a_sip_page_has_the_same_and_the_way_to_each_part(client, auth, anna_world):
    auth.login("anna")
    page = client.get(f"/sips/{ANNA}")
    words = text(page)
    assert f"Your SIP {ANNA}" in words and "Step 6 of 7" in words and "Who to call" in words
    html = page.get_data(as_text=True)
    for target in (f"/sips/{ANNA}/plan", f"/sips/{ANNA}/meetings", f"/sips/{ANNA}/consent", f"/requests/{ANNA}"):
        assert f'href="{target}"' in html


def test_the_home_is_gathered_in_a_few_queries(app, anna_world):
    from sqlalchemy import event

    statements = []
    with app.test_request_context():
        engine = db.session.get_bind()
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            home = overview.for_user(user("anna"))
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    assert len(home.mine) == 2
    assert len(statements) <= 20, statements
