"""A SIP's own page for the person (and a relative with a grant): where it stands, the next meeting,
who to call, what is waiting, and the way to its plan, meetings, consent and request."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from webapp.models import Resource, Sip
from webapp.services import access, overview
from webapp.services.consent_scope import find_sip
from webapp.services.response_cache import cacheable

bp = Blueprint("sips", __name__, url_prefix="/sips")


def sip_or_404(reference: str) -> Sip:
    """The SIP with this reference, or 404 (the access service decides the rest)."""
    return find_sip(reference) or abort(404)


@bp.get("/<reference>")
@cacheable
def show(reference: str):
    sip = sip_or_404(reference)
    seen = access.require_details(current_user, sip, Resource.SIP)
    return render_template("sips/show.html", summary=overview.for_sip(current_user, sip, seen), sip=sip)
