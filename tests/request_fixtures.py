"""Helpers for the SIP request tests: walking the form as a person would."""
from __future__ import annotations

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Contact, Organisation, Sip, User


def org_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalars(sa.select(Organisation.id).where(Organisation.name == name)).one()


def user_id(app, short: str) -> int:
    with app.app_context():
        return db.session.scalars(sa.select(User.id).where(User.email == f"{short}@example.org")).one()


def contact_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalars(sa.select(Contact.id).where(Contact.name == name)).one()


def sip(app, reference: str) -> Sip:
    with app.app_context():
        found = db.session.scalars(sa.select(Sip).where(Sip.reference == reference)).one()
        # Load what the tests look at while the session is open.
        _ = (found.recipients, found.requested_contacts, found.interpreter_requests)
        for recipient in found.recipients:
            _ = recipient.organisation
        return found


def answers(app, **overrides) -> list[tuple[str, dict]]:
    """Every page's answers for a request for oneself, in order (``overrides`` by page name)."""
    pages = [
        ("for_whom", {"choice": "self"}),
        ("purpose", {"purpose": "Jag vill att alla pratar med varandra."}),
        ("start", {"path": "home", "discharge_date": ""}),
        ("organisations", {"ids": [org_id(app, "Haninge kommun"), org_id(app, "Brandbergens vårdcentral")]}),
        ("contacts", {"ids": [contact_id(app, "Lena Berg")]}),
        ("place", {"place": "home"}),
        ("interpreter", {"needed": "no"}),
        ("accessibility", {"needs": ["hearing_loop", "other"], "other": "Stor text"}),
    ]
    result = []
    for step, data in pages:
        if step in overrides:
            data = overrides[step]
        result.append((step, data))
        if step == "for_whom" and "about_them" in overrides:
            result.append(("about_them", overrides["about_them"]))
        if step == "interpreter" and "interpreter_details" in overrides:
            result.append(("interpreter_details", overrides["interpreter_details"]))
    return result


def fill_in(client, app, **overrides) -> None:
    """Answer every page; each must take the person on (303)."""
    for step, data in answers(app, **overrides):
        response = client.post(f"/ask/{step}", data=data)
        assert response.status_code == 303, (step, response.status_code)


def send(client, app, **overrides) -> str:
    """Fill in the form and send it; returns the new reference."""
    fill_in(client, app, **overrides)
    response = client.post("/ask/check")
    assert response.status_code == 303, response.status_code
    location = response.headers["Location"]
    assert location.endswith("/receipt")
    return location.split("/")[-2]


RECEIVED_REFERENCE = "SIP-RCVD-A1"


def annas_received_request(app) -> str:
    """A copy of Anna's demo request as it stands before any consent: sent on Monday 2 February,
    received by Sara (Haninge kommun) the next morning, the health centre yet to answer.

    The demo SIP itself moves on as features add to the demo (consent, meetings, a plan); tests of the
    request's own page use this copy, whose state does not change under them.
    """
    from datetime import UTC, datetime

    from webapp.models import PlacePreference, RequestedContact, SipRecipient, SipStatus, StartPath
    from webapp.services.demo.requests import ANNA_PURPOSE

    with app.app_context():
        anna = db.session.scalars(sa.select(User).where(User.email == "anna@example.org")).one()
        sara = db.session.scalars(sa.select(User).where(User.email == "sara@example.org")).one()
        sent, acknowledged = datetime(2026, 2, 2, 9, tzinfo=UTC), datetime(2026, 2, 3, 8, tzinfo=UTC)
        lena = db.session.scalars(sa.select(Contact).where(Contact.owner_id == anna.id,
                                                           Contact.name == "Lena Berg")).one()
        db.session.add(Sip(
            reference=RECEIVED_REFERENCE, person_id=anna.id, requested_by_id=anna.id, purpose=ANNA_PURPOSE,
            start_path=StartPath.HOME, place_preference=PlacePreference.HOME, needs_hearing_loop=True,
            status=SipStatus.RECEIVED, created_at=sent, updated_at=acknowledged, acknowledged_at=acknowledged,
            acknowledged_by_id=sara.id,
            recipients=[SipRecipient(organisation_id=org_id(app, "Haninge kommun"), acknowledged_at=acknowledged,
                                     acknowledged_by_id=sara.id),
                        SipRecipient(organisation_id=org_id(app, "Brandbergens vårdcentral"))],
            requested_contacts=[RequestedContact(contact_id=lena.id, name=lena.name, role_title=lena.role_title,
                                                 organisation_name=lena.organisation_label, phone=lena.phone)],
        ))
        db.session.commit()
    return RECEIVED_REFERENCE
