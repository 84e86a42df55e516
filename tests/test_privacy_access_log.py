"""Who has seen my information: every read by someone else, in plain language, newest first,
filterable by who, for the person alone."""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from tests.consent_fixtures import log_count
from tests.helpers import text
from webapp.extensions import db
from webapp.models import AccessLogEntry, Resource

ANNA_CONSENT = "/sips/SIP-7KQ4-M2/consent"


def _reader(app, auth, who):
    reader = app.test_client()
    type(auth)(reader).login(who)
    return reader


def test_anna_sees_each_read_in_plain_language_newest_first(app, client, auth, clock, demo):
    clock.set(datetime(2026, 3, 3, 13, 2, tzinfo=UTC))        # 14:02 in Stockholm
    assert _reader(app, auth, "sara").get(ANNA_CONSENT).status_code == 200
    auth.login("anna")
    page = text(client.get("/privacy/access-log"))
    assert "March 3, 2:02 PM Sara Lind, Haninge kommun, read your consent (SIP-7KQ4-M2)" in page
    # The demo's reads by Sara and Lena follow, older ones after newer ones.
    lines = [page.index(f"{who}, read your") for who in ("Sara Lind, Haninge kommun", "Lena Berg, Brandbergens vårdcentral")]
    assert lines[0] < lines[1]
    assert page.count("read your") == 6


def test_times_are_swedish_time_in_the_readers_language(app, client, auth, clock, demo):
    clock.set(datetime(2026, 3, 3, 13, 2, tzinfo=UTC))
    _reader(app, auth, "lena").get(ANNA_CONSENT)
    auth.login("anna", english=False)
    assert "3 mars 14:02" in text(client.get("/privacy/access-log"))
    client.post("/language", data={"lang-language": "ar", "next": "/"})
    assert "3 مارس، 2:02 م" in text(client.get("/privacy/access-log"))


def test_a_relatives_read_says_relative(app, client, auth, clock, demo):
    _reader(app, auth, "erik").get(ANNA_CONSENT)
    auth.login("anna")
    assert "Erik Andersson (relative), read your consent (SIP-7KQ4-M2)" in text(client.get("/privacy/access-log"))


def test_the_log_filters_by_who(app, client, auth, clock, demo):
    auth.login("anna")
    everyone = client.get("/privacy/access-log")
    assert f'<option value="{demo["sara"].id}">Sara Lind, Haninge kommun</option>' in everyone.get_data(as_text=True)
    saras = text(client.get(f"/privacy/access-log?who={demo['sara'].id}"))
    assert "Reads by Sara Lind, Haninge kommun, newest first" in saras
    assert saras.count("Sara Lind, Haninge kommun, read your") == 3
    assert saras.count("Lena Berg, Brandbergens vårdcentral, read your") == 0
    assert "Show all reads, newest first" in saras
    for nonsense in ("999999", "abc", ""):
        assert text(client.get(f"/privacy/access-log?who={nonsense}")).count("read your") == 5


def test_a_long_log_comes_in_pages(app, client, auth, clock, demo):
    with app.app_context():
        db.begin_write()
        sara = demo["sara"]
        for minute in range(60):
            db.session.add(AccessLogEntry(person_id=demo["anna"].id, actor_id=sara.id, actor_name=sara.name,
                                          actor_role="professional", actor_organisation="Haninge kommun",
                                          resource=Resource.PLAN, at=datetime(2026, 3, 2, 8, minute, tzinfo=UTC)))
        db.session.commit()
    auth.login("anna")
    first = client.get("/privacy/access-log")
    assert text(first).count("read your") == 50
    assert "Show older reads" in text(first)
    older_url = [part for part in first.get_data(as_text=True).split('"') if part.startswith("/privacy/access-log?before=")][0]
    second = text(client.get(older_url.replace("&amp;", "&")))
    assert second.count("read your") == 15  # 10 more of Sara's, then the demo's 5
    assert "Show older reads" not in second


def test_only_the_person_sees_their_own_log(app, client, auth, clock, demo):
    auth.login("erik")                      # a relative with a grant: his own (empty) log, never Anna's
    page = text(client.get("/privacy/access-log"))
    assert "Nobody else has read your information yet." in page and "Sara Lind" not in page
    auth.login("omar")
    assert "Nobody else has read your information yet." in text(client.get("/privacy/access-log"))
    for professional in ("sara", "nils"):
        assert _reader(app, auth, professional).get("/privacy/access-log").status_code == 403
    assert app.test_client().get("/privacy/access-log").status_code == 302


def test_exactly_one_record_per_read_and_none_for_the_person(app, client, auth, clock, demo):
    before = log_count(app)
    auth.login("anna")
    for _ in range(3):
        client.get(ANNA_CONSENT)
    assert log_count(app) == before
    erik = _reader(app, auth, "erik")
    erik.get(ANNA_CONSENT)
    erik.get(ANNA_CONSENT)
    assert log_count(app, actor_id=demo["erik"].id) == 2
    with app.app_context():
        entry = db.session.scalars(sa.select(AccessLogEntry).order_by(AccessLogEntry.id.desc())).first()
        assert (entry.person_id, entry.actor_role, entry.resource, entry.actor_organisation) == (
            demo["anna"].id, "citizen", Resource.CONSENT, "")
    # A denied read leaves no record.
    _reader(app, auth, "nils").get(ANNA_CONSENT)
    assert log_count(app) == before + 2
