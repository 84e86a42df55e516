"""The demo data of consent and relatives: Anna's story, and that seeding twice changes nothing."""
from __future__ import annotations

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import (
    AccessLogEntry,
    ConsentAction,
    ConsentMethod,
    ConsentRecord,
    RelativeGrant,
    RelativeLink,
    Sip,
    SipRecipient,
    SipStatus,
    User,
)
from webapp.services import demo as demo_service
from webapp.services.consent import latest_end
from webapp.services.consent_state import ConsentStatus, state_of


def _counts():
    return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Sip, SipRecipient, ConsentRecord, RelativeLink, RelativeGrant, AccessLogEntry)}


def test_anna_has_given_consent_for_one_year_with_erik_and_an_earlier_one_withdrawn(app, clock, demo):
    with app.app_context():
        sip = db.session.scalars(sa.select(Sip).where(Sip.reference == "SIP-7KQ4-M2")).one()
        assert sip.person_id == demo["anna"].id and sip.status == SipStatus.CONSENT_CONFIRMED
        assert sorted(r.organisation.name for r in sip.recipients) == ["Brandbergens vårdcentral", "Haninge kommun"]
        state = state_of(sip)
        assert state.status == ConsentStatus.LIVE
        record = state.record
        assert sorted(o.name for o in record.organisations) == ["Brandbergens vårdcentral", "Haninge kommun"]
        assert [u.name for u in record.relatives] == ["Erik Andersson"]
        assert record.valid_until == latest_end(record.valid_from)            # one year
        history = db.session.scalars(sa.select(ConsentRecord).where(ConsentRecord.sip_id == sip.id)
                                     .order_by(ConsentRecord.id)).all()
        assert [(r.action, r.method) for r in history] == [
            (ConsentAction.GIVE, ConsentMethod.ORAL), (ConsentAction.WITHDRAW, ConsentMethod.APP),
            (ConsentAction.GIVE, ConsentMethod.APP)]
        assert history[0].recorded_by.name == "Sara Lind"
        assert history[0].created_at < history[1].created_at < history[2].created_at < clock.current


def test_erik_follows_anna_and_may_act_for_her_in_her_sip(app, clock, demo):
    with app.app_context():
        link = db.session.scalars(sa.select(RelativeLink)).one()
        assert (link.person_id, link.relative_id, link.can_request, link.removed_at) == (
            demo["anna"].id, demo["erik"].id, True, None)
        annas_sip = db.session.scalars(sa.select(Sip.id).where(Sip.reference == "SIP-7KQ4-M2")).one()
        [grant] = [grant for grant in link.grants if grant.sip_id == annas_sip]
        assert grant.can_act is True


def test_annas_log_shows_reads_by_sara_and_lena_and_omar_has_no_consent(app, clock, demo):
    with app.app_context():
        readers = db.session.scalars(sa.select(AccessLogEntry.actor_name).where(
            AccessLogEntry.person_id == demo["anna"].id)).all()
        assert set(readers) == {"Sara Lind", "Lena Berg"}
        assert all(entry.at < clock.current for entry in db.session.scalars(sa.select(AccessLogEntry)))
        omars = db.session.scalars(sa.select(Sip.id).where(Sip.person_id == demo["omar"].id)).all()
        assert db.session.scalar(sa.select(sa.func.count(ConsentRecord.id)).where(
            ConsentRecord.sip_id.in_(omars))) == 0


def test_seeding_again_adds_nothing(app, clock, demo):
    with app.app_context():
        before = _counts()
        demo_service.seed()
        assert _counts() == before


def test_what_another_demo_made_first_is_used_not_duplicated(app, clock):
    """The requests demo (issue 3) may create Anna's SIP and her link to Erik before this one."""
    from webapp.services.demo import base

    with app.app_context():
        db.begin_write()
        world = base.seed_people()
        anna, erik = world.user("anna"), world.user("erik")
        sip = Sip(reference="SIP-7KQ4-M2", person_id=anna.id, requested_by_id=erik.id, on_behalf=True,
                  purpose="Made by the requests demo", status=SipStatus.RECEIVED,
                  created_at=clock.current.replace(month=2, day=20), updated_at=clock.current)
        sip.recipients.append(SipRecipient(organisation_id=world.organisations["Haninge kommun"].id))
        db.session.add(sip)
        db.session.add(RelativeLink(person_id=anna.id, relative_id=erik.id, can_request=True, created_at=clock.current))
        db.session.commit()
        demo_service.seed()
        annas = db.session.scalars(sa.select(Sip).where(Sip.reference == "SIP-7KQ4-M2")).one()
        assert annas.purpose == "Made by the requests demo"
        assert db.session.scalar(sa.select(sa.func.count(RelativeLink.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(RelativeGrant.id)).where(RelativeGrant.sip_id == annas.id)) == 1
        assert state_of(annas).live
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 7
