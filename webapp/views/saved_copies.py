"""Copies the phone keeps for reading offline (issue 6): the contact map's copy.

The plan's copy is ``/sips/<reference>/plan?saved=1``; the contact map's is here so that the contact
pages stay as they are. ``static/js/saved.js`` fetches the copy and stores it under the page's own
address in the cache ``minsip-saved-v1``; the service worker serves it when the phone is offline.
A copy carries the moment it was saved, and no form (no CSRF token is ever kept on the device).
"""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from webapp.services import clock, contact_map, contacts
from webapp.views.labels import SECTORS

bp = Blueprint("saved_copies", __name__)


@bp.get("/contacts/saved")
def contacts_copy():
    mine = contacts.contacts_of(current_user)
    groups = contacts.grouped(mine)
    return render_template("offline/contacts.html", contacts=mine, groups=groups, now=clock.now(),
                           picture=contact_map.layout(current_user.name, groups, SECTORS.get))
