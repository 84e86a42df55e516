"""The demo's case history (issue 5): Anna's held meeting, approved plan and booked follow-up; Omar's
request waiting; Britt's declined request. Seeded through the services, idempotently."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.helpers import text
from webapp.extensions import db
from webapp.models import (
    Event,
    InterventionPrincipal,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PlanStatus,
    PlanVersion,
    Principal,
    Sip,
    SipStatus,
)
from webapp.services import clock as app_clock

ANNA, OMAR, BRITT = "SIP-7KQ4-M2", "SIP-H3RA-9P", "SIP-B7NL-4D"


def _sip(reference: str) -> Sip:
    return db.session.scalars(sa.select(Sip).where(Sip.reference == reference)).one()


def _counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (Sip, Meeting, PlanVersion, Event))


def test_sara_coordinates_annas_sip(app, clock, full_demo):
    with app.app_context():
        sip = _sip(ANNA)
        assert sip.status == SipStatus.FOLLOW_UP
        assert sip.coordinator.name == "Sara Lind" and sip.owner.name == "Sara Lind"
        first, follow_up = db.session.scalars(sa.select(Meeting).where(Meeting.sip_id == sip.id)
                                              .order_by(Meeting.starts_at)).all()
        assert first.kind == MeetingKind.FIRST and first.status == MeetingStatus.HELD
        assert first.starts_at < app_clock.now() and first.created_at < first.starts_at
        assert {p.name for p in first.participants} == {"Anna Andersson", "Sara Lind", "Lena Berg", "Erik Andersson"}
        assert all(p.attended for p in first.participants)
        assert follow_up.kind == MeetingKind.FOLLOW_UP and follow_up.status == MeetingStatus.PLANNED
        assert timedelta(days=20) <= follow_up.starts_at - app_clock.now() <= timedelta(days=24)
        assert {p.name for p in follow_up.participants} >= {"Lena Berg", "Erik Andersson"}
        [version] = db.session.scalars(sa.select(PlanVersion).where(PlanVersion.sip_id == sip.id)).all()
        assert version.status == PlanStatus.APPROVED and version.decided_by.name == "Anna Andersson"
        assert version.overall_responsibility == Principal.MUNICIPALITY and version.coordinator_id == sip.coordinator_id
        by_principal = {i.principal: i for i in version.interventions}
        assert by_principal[InterventionPrincipal.MUNICIPALITY].organisation_name == "Haninge kommun"
        assert by_principal[InterventionPrincipal.REGION].organisation_name == "Brandbergens vårdcentral"
        assert InterventionPrincipal.PERSON in by_principal and len(version.goals) == 2
        assert version.next_follow_up_on == app_clock.local(follow_up.starts_at).date()
        assert len(version.attendance) == 4
        assert first.created_at < version.sent_at < version.decided_at < app_clock.now()


def test_omar_waits_and_britts_request_was_declined_with_a_reason(app, clock, full_demo):
    with app.app_context():
        omar = _sip(OMAR)
        assert omar.status == SipStatus.SENT and omar.acknowledged_at is None
        britt = _sip(BRITT)
        assert britt.status == SipStatus.DECLINED and britt.declined_by.name == "Nils Ek"
        assert "Haninge kommun" in britt.decline_reason and britt.person.name == "Britt Nilsson"


def test_the_demo_is_idempotent(app, clock, full_demo):
    from webapp.services import demo as demo_service

    with app.app_context():
        before = _counts()
        demo_service.seed()
        assert _counts() == before


def test_the_pages_show_the_demo(app, client, auth, clock, full_demo):
    auth.login("anna")
    page = text(client.get(f"/sips/{ANNA}/plan"))
    assert "Hemtjänst" in page and "Hembesök av distriktssköterskan" in page and "Gå en kort promenad" in page
    assert "Haninge kommun" in page
    page = text(client.get("/meetings"))
    assert "Follow-up meeting" in page and "SIP meeting" in page and "Storvägen 3" in page
    auth.logout()
    auth.login("sara")
    page = text(client.get("/work/?show=new"))
    assert OMAR in page and ANNA not in page
    assert ANNA in text(client.get("/work/?show=follow_up_due"))
    assert "Coordinator Sara Lind" in text(client.get(f"/work/sips/{ANNA}"))
    auth.logout()
    auth.login("nils")
    assert BRITT in text(client.get("/work/?show=closed"))
    auth.logout()
    auth.login("britt")
    page = text(client.get(f"/requests/{BRITT}"))
    assert "The request was declined" in page and "Ansök om en SIP hos Haninge kommun" in page
