"""The rules of consent, in the service: one year at most, give, change, renew, withdraw, recorded by
staff, reminders and expiry; and the history that can never be changed."""
from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.consent_fixtures import add_meeting, link_relative, make_citizen, make_sip, organisation, user
from webapp.extensions import db
from webapp.models import (
    AccessLogEntry,
    ConsentAction,
    ConsentMethod,
    ConsentRecord,
    Event,
    Meeting,
    MeetingStatus,
    RelativeGrant,
    Sip,
    SipStatus,
)
from webapp.services import consent, events
from webapp.services.consent import ConsentError, ConsentTerms, check_period, latest_end
from webapp.services.consent_scope import timeline
from webapp.services.consent_state import ConsentStatus, state_of

TODAY = date(2026, 3, 2)  # the clock fixture's Monday


@pytest.fixture
def case(app, clock, demo):
    """Karin, with a SIP sent to Haninge kommun and Brandbergens vårdcentral, and Bo, her relative."""
    karin = make_citizen(app, "Karin Persson", "karin@example.org")
    bo = make_citizen(app, "Bo Persson", "bo@example.org")
    sip = make_sip(app, karin, "SIP-KARN-01")
    link_relative(app, karin, bo)
    return {"karin": karin, "bo": bo, "sip": sip}


def _terms(org_names=("Haninge kommun",), relative_ids=(), until=None, purpose="Help at home", not_agreed=""):
    return ConsentTerms(purpose=purpose, organisation_ids=[organisation(n).id for n in org_names],
                        not_agreed=not_agreed, relative_ids=list(relative_ids),
                        valid_until=until or latest_end(TODAY))


def _load(case):
    return db.session.get(Sip, case["sip"]), user("karin@example.org")


# -- One year at most, tested at the boundaries ----------------------------------------------------

@pytest.mark.parametrize("start, last", [
    (date(2026, 3, 2), date(2027, 3, 1)),
    (date(2026, 12, 31), date(2027, 12, 30)),
    (date(2027, 3, 1), date(2028, 2, 29)),      # the year that follows has 29 February
    (date(2028, 2, 29), date(2029, 2, 28)),     # a leap day start
    (date(2026, 1, 1), date(2026, 12, 31)),
])
def test_a_consent_lasts_one_year_at_most(start, last):
    assert latest_end(start) == last
    assert (latest_end(start) - start).days in (364, 365)


def test_the_end_date_is_checked_at_both_boundaries(app, clock):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        check_period(TODAY, TODAY, latest_end(TODAY))                 # today: fine
        check_period(TODAY, date(2027, 3, 1), latest_end(TODAY))      # exactly one year: fine
        with pytest.raises(ConsentError) as too_late:
            check_period(TODAY, date(2027, 3, 2), latest_end(TODAY))  # one day more: refused
        assert too_late.value.field == "valid_until"
        assert too_late.value.message == "Consent lasts at most one year. Choose March 1, 2027 or earlier."
        with pytest.raises(ConsentError) as too_early:
            check_period(TODAY, date(2026, 3, 1), latest_end(TODAY))
        assert too_early.value.message == "The end date cannot be before March 2, 2026."
        with pytest.raises(ConsentError, match="Enter the date the consent ends."):
            check_period(TODAY, None, latest_end(TODAY))


# -- Giving, changing, renewing --------------------------------------------------------------------

def test_the_person_gives_consent_and_it_is_recorded_with_who_when_how_and_what(app, case, clock):
    with app.test_request_context():
        sip, karin = _load(case)
        record = consent.give(karin, sip, _terms(("Haninge kommun", "Brandbergens vårdcentral"), [case["bo"]],
                                                  not_agreed="My finances"))
        assert (record.action, record.method, record.recorded_by_id) == (ConsentAction.GIVE, ConsentMethod.APP, karin.id)
        assert record.created_at == clock.current
        assert (record.valid_from, record.valid_until) == (TODAY, date(2027, 3, 1))
        assert [o.name for o in record.organisations] == ["Brandbergens vårdcentral", "Haninge kommun"]
        assert [u.id for u in record.relatives] == [case["bo"]]
        assert record.not_agreed == "My finances"
        state = state_of(sip)
        assert state.live and state.organisation_ids == {organisation("Haninge kommun").id,
                                                         organisation("Brandbergens vårdcentral").id}
        assert sip.status == SipStatus.CONSENT_CONFIRMED
        event = db.session.scalars(sa.select(Event).where(Event.kind == events.CONSENT_GIVEN)).one()
        assert event.data == {"record_id": record.id, "method": "app"} and event.person_id == karin.id
        # Bo takes part, so he may see the plan and meetings (without acting for Karin).
        grant = db.session.scalars(sa.select(RelativeGrant).where(RelativeGrant.sip_id == sip.id)).one()
        assert grant.can_act is False


def test_giving_refuses_what_the_rules_do_not_allow(app, case, clock):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        sip, karin = _load(case)
        cases = [
            (_terms(until=date(2027, 3, 2)), "valid_until", "Consent lasts at most one year"),
            (_terms(org_names=()), "organisation_ids", "Choose at least one organisation."),
            (_terms(org_names=("Nynäshamns kommun",)), "organisation_ids", "Choose organisations from the list."),
            (_terms(relative_ids=[user("erik").id]), "relative_ids", "Choose relatives from the list."),
            (_terms(purpose="  "), "purpose", "Write what the consent is for."),
            (_terms(purpose="x" * 2001), "purpose", "Use at most 2000 characters."),
        ]
        for terms, field, message in cases:
            with pytest.raises(ConsentError) as refused:
                consent.give(karin, sip, terms)
            assert (refused.value.field, message in refused.value.message) == (field, True), message
        assert db.session.scalar(sa.select(sa.func.count(ConsentRecord.id))) == 3  # only the demo's


def test_organisations_on_the_contact_map_may_be_chosen(app, case, clock):
    from webapp.models import Contact, Sector

    with app.test_request_context():
        sip, karin = _load(case)
        db.begin_write()
        db.session.add(Contact(owner_id=karin.id, name="Rudans Rehab", organisation_id=organisation("Rudans Rehab").id,
                               sector=Sector.PRIVATE_PROVIDER))
        db.session.commit()
        record = consent.give(karin, sip, _terms(("Rudans Rehab",)))
        assert [o.name for o in record.organisations] == ["Rudans Rehab"]


@pytest.mark.parametrize("status, words", [
    (SipStatus.CLOSED, "This SIP is closed. A new question needs a new SIP, with a new consent"),
    (SipStatus.WITHDRAWN, "This request was withdrawn."),
    (SipStatus.DECLINED, "This request was declined."),
])
def test_a_closed_sip_takes_no_new_consent(app, case, clock, status, words):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        sip, karin = _load(case)
        db.begin_write()
        sip.status = status
        db.session.commit()
        with pytest.raises(ConsentError, match=re.escape(words)):
            consent.give(karin, sip, _terms())
        assert state_of(sip).status == ConsentStatus.NONE


def test_only_the_person_gives_or_withdraws(app, case, clock):
    with app.test_request_context():
        sip, karin = _load(case)
        link_relative(app, case["karin"], user("erik").id, {sip.id: True})  # even a relative who may act
        for other in (user("bo@example.org"), user("erik"), user("sara"), user("omar")):
            with pytest.raises(PermissionError):
                consent.give(other, sip, _terms())
        consent.give(karin, sip, _terms())
        for other in (user("erik"), user("sara")):
            with pytest.raises(PermissionError):
                consent.withdraw(other, sip)
        assert state_of(sip).live


def test_a_change_is_a_new_record_and_cannot_make_it_last_longer(app, case, clock):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        sip, karin = _load(case)
        with pytest.raises(ConsentError, match="no consent in force to change"):
            consent.change(karin, sip, _terms())
        first = consent.give(karin, sip, _terms(until=date(2026, 9, 30)))
        with pytest.raises(ConsentError, match="already in force"):
            consent.give(karin, sip, _terms())
        clock.advance(days=10)
        with pytest.raises(ConsentError, match="A change cannot make the consent last longer"):
            consent.change(karin, sip, _terms(until=date(2026, 10, 1)))
        changed = consent.change(karin, sip, _terms(("Haninge kommun", "Brandbergens vårdcentral"),
                                                    until=date(2026, 9, 1)))
        assert changed.action == ConsentAction.CHANGE and changed.id != first.id
        assert (changed.valid_from, changed.valid_until) == (TODAY, date(2026, 9, 1))
        assert len(changed.organisations) == 2 and len(first.organisations) == 1  # the first is unchanged
        assert db.session.scalars(sa.select(Event.kind).order_by(Event.id.desc())).first() == events.CONSENT_CHANGED


def test_renewing_opens_30_days_before_the_end_and_gives_up_to_one_more_year(app, case, clock):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        sip, karin = _load(case)
        consent.give(karin, sip, _terms(until=date(2026, 6, 30)))
        clock.set(clock.current.replace(month=5, day=30))        # 31 days before the end
        assert not consent.renewal_open(state_of(sip))
        with pytest.raises(ConsentError, match="renewed from 30 days before it ends"):
            consent.renew(karin, sip, _terms(until=date(2027, 5, 30)))
        clock.set(clock.current.replace(month=5, day=31))        # 30 days before
        assert consent.renewal_open(state_of(sip))
        assert [s.reference for s, _ in consent.ending_soon_for(karin)] == ["SIP-KARN-01"]
        with pytest.raises(ConsentError, match="Choose May 30, 2027 or earlier"):
            consent.renew(karin, sip, _terms(until=date(2027, 5, 31)))
        renewed = consent.renew(karin, sip, _terms(until=date(2027, 5, 30)))
        assert (renewed.action, renewed.valid_from, renewed.valid_until) == (
            ConsentAction.RENEW, date(2026, 5, 31), date(2027, 5, 30))
        assert not consent.renewal_open(state_of(sip)) and consent.ending_soon_for(karin) == []


def test_preview_checks_everything_and_records_nothing(app, case, clock):
    with app.test_request_context():
        sip, karin = _load(case)
        preview = consent.preview(karin, sip, ConsentAction.GIVE, _terms(relative_ids=[case["bo"]]))
        assert [o.name for o in preview.organisations] == ["Haninge kommun"]
        assert [u.name for u in preview.relatives] == ["Bo Persson"] and preview.valid_from == TODAY
        assert db.session.scalar(sa.select(sa.func.count(ConsentRecord.id)).where(ConsentRecord.sip_id == sip.id)) == 0


# -- Withdrawing -----------------------------------------------------------------------------------

def test_withdrawing_takes_effect_at_once_and_cancels_the_planned_meetings_ahead(app, case, clock):
    ahead = add_meeting(app, case["sip"], timedelta(days=10))
    past = add_meeting(app, case["sip"], timedelta(days=-3))
    held = add_meeting(app, case["sip"], timedelta(days=-30), status=MeetingStatus.HELD)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        sip, karin = _load(case)
        with pytest.raises(ConsentError, match="no consent in force to withdraw"):
            consent.withdraw(karin, sip)
        given = consent.give(karin, sip, _terms(("Haninge kommun", "Brandbergens vårdcentral")))
        clock.advance(hours=2)
        record = consent.withdraw(karin, sip)
        assert (record.action, record.recorded_by_id, record.created_at) == (ConsentAction.WITHDRAW, karin.id, clock.current)
        assert [o.name for o in record.organisations] == [o.name for o in given.organisations]
        assert state_of(sip).status == ConsentStatus.WITHDRAWN
        assert sip.status == SipStatus.RECEIVED
        statuses = {m.id: (m.status, m.cancelled_for_consent) for m in db.session.scalars(sa.select(Meeting))}
        assert statuses == {ahead: (MeetingStatus.CANCELLED, True), past: (MeetingStatus.PLANNED, False),
                            held: (MeetingStatus.HELD, False)}
        event = db.session.scalars(sa.select(Event).where(Event.kind == events.CONSENT_WITHDRAWN)).one()
        assert event.data == {"record_id": record.id, "meetings_cancelled": 1} and event.sip_id == sip.id
        # Giving again later is a new record; the history keeps all three.
        consent.give(karin, sip, _terms())
        assert [r.action for r in timeline(sip)] == [ConsentAction.GIVE, ConsentAction.WITHDRAW, ConsentAction.GIVE]


# -- Recorded by a professional (the page comes with issue 5) ---------------------------------------

def test_a_professional_in_the_request_records_an_oral_consent(app, case, clock):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        sip, karin = _load(case)
        sara = user("sara")
        record = consent.record_by_professional(
            sara, sip, method=ConsentMethod.ORAL, terms=_terms(until=date(2027, 2, 28)),
            given_on=date(2026, 3, 1), note="Given on the phone; Karin's daughter was there.")
        assert (record.action, record.method, record.recorded_by_id) == (ConsentAction.GIVE, ConsentMethod.ORAL, sara.id)
        assert (record.valid_from, record.valid_until, record.note) == (
            date(2026, 3, 1), date(2027, 2, 28), "Given on the phone; Karin's daughter was there.")
        with pytest.raises(ConsentError, match="Choose February 28, 2027 or earlier"):
            consent.record_by_professional(sara, sip, method=ConsentMethod.PAPER, action=ConsentAction.CHANGE,
                                           terms=_terms(until=date(2027, 3, 1)))
        changed = consent.record_by_professional(user("lena"), sip, method=ConsentMethod.PAPER,
                                                 terms=_terms(("Haninge kommun", "Brandbergens vårdcentral"),
                                                              until=date(2027, 2, 28)))
        assert (changed.action, changed.method, changed.valid_from) == (
            ConsentAction.CHANGE, ConsentMethod.PAPER, date(2026, 3, 1))
        # The person sees it and can withdraw it.
        consent.withdraw(karin, sip)
        assert state_of(sip).status == ConsentStatus.WITHDRAWN


def test_recording_by_staff_is_refused_outside_the_rules(app, case, clock):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        sip, _karin = _load(case)
        with pytest.raises(PermissionError):   # Nynäshamns kommun is not in the request
            consent.record_by_professional(user("nils"), sip, method=ConsentMethod.ORAL, terms=_terms())
        with pytest.raises(PermissionError):   # citizens give consent themselves, in the app
            consent.record_by_professional(user("erik"), sip, method=ConsentMethod.ORAL, terms=_terms())
        with pytest.raises(ValueError):
            consent.record_by_professional(user("sara"), sip, method=ConsentMethod.APP, terms=_terms())
        with pytest.raises(ConsentError, match="cannot be in the future"):
            consent.record_by_professional(user("sara"), sip, method=ConsentMethod.ORAL, terms=_terms(),
                                           given_on=date(2026, 3, 3))
        with pytest.raises(ConsentError, match="renewed from 30 days"):
            consent.record_by_professional(user("sara"), sip, method=ConsentMethod.ORAL, terms=_terms(),
                                           action=ConsentAction.RENEW)
        with pytest.raises(ValueError):
            consent.record_by_professional(user("sara"), sip, method=ConsentMethod.ORAL, terms=_terms(),
                                           action=ConsentAction.WITHDRAW)
        db.begin_write()
        sip.status = SipStatus.CLOSED
        db.session.commit()
        with pytest.raises(ConsentError, match="This SIP is closed"):
            consent.record_by_professional(user("sara"), sip, method=ConsentMethod.ORAL, terms=_terms())
        assert state_of(sip).status == ConsentStatus.NONE


# -- Reminders and expiry --------------------------------------------------------------------------

def test_consents_ending_between_finds_the_live_ones_for_the_reminder_job(app, case, clock):
    other = make_sip(app, case["karin"], "SIP-KARN-02")
    with app.test_request_context():
        sip, karin = _load(case)
        ending = consent.give(karin, sip, _terms(until=date(2026, 4, 1)))
        withdrawn = consent.give(karin, db.session.get(Sip, other), _terms(until=date(2026, 4, 1)))
        consent.withdraw(karin, db.session.get(Sip, other))
        found = consent.consents_ending_between(date(2026, 4, 1), date(2026, 4, 1))
        assert [r.id for r in found] == [ending.id] and withdrawn.id not in [r.id for r in found]
        assert consent.consents_ending_between(date(2026, 4, 2), date(2026, 5, 1)) == []
        assert consent.reminder_due_on(ending) == date(2026, 3, 2)
        anna = [r for r in consent.consents_ending_between(date(2026, 1, 1), date(2028, 1, 1))
                if r.sip_id != sip.id]
        assert len(anna) == 1  # the demo's: Anna's consent for SIP-7KQ4-M2


def test_after_the_end_date_it_behaves_as_withdrawn_and_people_are_told_once(app, case, clock):
    ahead = add_meeting(app, case["sip"], timedelta(days=40))
    with app.test_request_context():
        sip, karin = _load(case)
        consent.give(karin, sip, _terms(until=date(2026, 3, 31)))
        clock.set(clock.current.replace(day=31))
        assert state_of(sip).live and consent.expire_lapsed() == 0
        clock.advance(days=1)                                  # 1 April: the consent has ended
        assert state_of(sip).status == ConsentStatus.EXPIRED and state_of(sip).lost
        assert consent.expire_lapsed() == 1
        assert consent.expire_lapsed() == 0                     # never twice
        meeting = db.session.get(Meeting, ahead)
        assert (meeting.status, meeting.cancelled_for_consent) == (MeetingStatus.CANCELLED, True)
        kinds = db.session.scalars(sa.select(Event.kind).where(Event.sip_id == sip.id)).all()
        assert kinds.count(events.CONSENT_EXPIRED) == 1


# -- The history is immutable ----------------------------------------------------------------------

def test_consent_records_and_access_log_entries_can_never_be_changed_or_deleted(app, clock, demo):
    with app.app_context():
        record = db.session.scalars(sa.select(ConsentRecord)).first()
        entry = db.session.scalars(sa.select(AccessLogEntry)).first()
        for row, attribute in ((record, "purpose"), (entry, "actor_name")):
            db.begin_write()
            setattr(row, attribute, "rewritten")
            with pytest.raises(PermissionError):
                db.session.commit()
            db.session.rollback()
            db.session.delete(row)
            with pytest.raises(PermissionError):
                db.session.commit()
            db.session.rollback()
        for model in (ConsentRecord, AccessLogEntry):
            for statement in (sa.delete(model), sa.update(model).values(id=model.id),
                              sa.delete(model.__table__), sa.update(model.__table__).values(id=model.id)):
                with pytest.raises(PermissionError):
                    db.session.execute(statement)
                db.session.rollback()
        with pytest.raises(PermissionError):
            db.session.query(AccessLogEntry).delete()
        db.session.rollback()
        assert db.session.scalar(sa.select(sa.func.count(ConsentRecord.id))) == 3
        assert db.session.scalar(sa.select(sa.func.count(AccessLogEntry.id))) == 5


def test_no_code_writes_to_the_append_only_tables_behind_the_orm():
    """The guard covers the session; this proves no raw SQL goes around it."""
    root = Path(__file__).resolve().parent.parent / "webapp"
    pattern = re.compile(r"(update|delete\s+from|truncate)\s+(table\s+)?\"?(access_log|consent_records|consent_organisations|consent_relatives)\b",
                         re.IGNORECASE)
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if "migrations" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_relatives_follow_what_the_consent_names(app, case, clock):
    """Named: they may see the SIP. No longer named in a change: they stop seeing it."""
    with app.test_request_context():
        sip, karin = _load(case)
        consent.give(karin, sip, _terms(relative_ids=[case["bo"]]))

        def grants():
            return db.session.scalars(sa.select(RelativeGrant).where(RelativeGrant.sip_id == sip.id)).all()

        assert len(grants()) == 1
        preview = consent.preview(karin, sip, ConsentAction.CHANGE, _terms())
        assert [u.name for u in preview.relatives_leaving] == ["Bo Persson"]
        consent.change(karin, sip, _terms())
        assert grants() == []
        consent.change(karin, sip, _terms(relative_ids=[case["bo"]]))
        assert [g.can_act for g in grants()] == [False]
