"""The person's calendar feed: a secret address their calendar app subscribes to, which can be
renewed (the old address stops working at once) or turned off."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.services import calendar

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


@bp.get("")
def index():
    token = calendar.address(current_user)
    feed_url = url_for("calendar.feed", token=token, _external=True) if token else None
    webcal_url = "webcal://" + feed_url.split("://", 1)[1] if feed_url else None
    return render_template("calendar/index.html", feed_url=feed_url, webcal_url=webcal_url,
                           followed=bool(calendar.contents(current_user).followed_sips))


@bp.post("/create")
def create():
    calendar.create(current_user)
    flash(_("Your calendar address is ready. Add it to your calendar app."), "success")
    return redirect(url_for("calendar.index"), code=303)


@bp.post("/renew")
def renew():
    calendar.renew(current_user)
    flash(_("Your calendar has a new address. The old one no longer works: add the new one to your calendar app."),
          "success")
    return redirect(url_for("calendar.index"), code=303)


@bp.post("/stop")
def stop():
    calendar.stop(current_user)
    flash(_("Your calendar address is turned off. Calendars that used it get no more meetings."), "success")
    return redirect(url_for("calendar.index"), code=303)


@bp.get("/<token>.ics")
def feed(token: str):
    """Public: the secret token is the only key. A wrong or renewed token is a plain 404."""
    owner = calendar.user_for_token(token)
    if owner is None:
        abort(404)
    response = Response(calendar.feed_ics(owner, request.host_url.rstrip("/")), mimetype="text/calendar")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
