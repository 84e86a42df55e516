"""The inbox, the notification settings, and the JSON endpoints the browser's push code talks to."""
from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.extensions import csrf
from webapp.forms.notifications import inbox_field, preferences_form, push_field
from webapp.security import safe_next
from webapp.services import notifications, push
from webapp.services.notification_kinds import GROUPS, when

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_template_global()
def push_public_key() -> str:
    """The VAPID public key (not secret), for the service worker's re-subscription."""
    return push.public_key()


@bp.app_template_filter("when")
def when_filter(instant) -> str:
    """An instant as "tors 12 mars 2026 10:00" in the page's language."""
    return when(instant)


@bp.get("")
def inbox():
    """The inbox, newest first, a page at a time."""
    page = request.args.get("page", 1, type=int) or 1
    items, more = notifications.inbox(current_user, max(page, 1))
    return render_template("notifications/inbox.html", items=items, page=max(page, 1), more=more,
                           unread=notifications.unread_count(current_user))


@bp.get("/<int:notification_id>", endpoint="open")
def open_message(notification_id: int):
    """Opening a message (from the inbox or a push) marks it read and goes to the page it is about."""
    target = notifications.open_notification(current_user, notification_id)
    if target is None:
        abort(404)
    return redirect(safe_next(target, url_for("main.index")))


@bp.post("/<int:notification_id>/read")
def mark_read(notification_id: int):
    """Mark one message as read and go back to the same page of the inbox; someone else's: 404."""
    marked = notifications.mark_read(current_user, notification_id)
    if marked is None:
        abort(404)
    if marked:
        flash(_("The message is marked as read."), "success")
    return redirect(url_for("notifications.inbox", page=request.form.get("page", 1, type=int)), code=303)


@bp.post("/read-all")
def mark_all_read():
    """Mark every message as read."""
    count = notifications.mark_all_read(current_user)
    if count:
        flash(_("All messages are marked as read."), "success")
    return redirect(url_for("notifications.inbox"), code=303)


def _settings_page(form, status: int = 200):
    groups: dict[str, list] = {}
    for preference in notifications.preferences(current_user):
        groups.setdefault(preference.kind.group, []).append(preference)
    return render_template(
        "notifications/settings.html", form=form, groups=[(GROUPS[name], prefs) for name, prefs in groups.items()],
        push_available=push.is_configured(), devices=push.devices(current_user),
        inbox_field=inbox_field, push_field=push_field,
    ), status


@bp.get("/settings")
def settings():
    """The notification settings: this device, the devices, and each kind on or off."""
    form = preferences_form(notifications.preferences(current_user), push.is_configured())
    return _settings_page(form)


@bp.post("/settings")
def save_settings():
    """Save the choices per kind (push choices only when push is available)."""
    push_available = push.is_configured()
    preferences = notifications.preferences(current_user)
    form = preferences_form(preferences, push_available)
    if not form.validate_on_submit():  # pragma: no cover - checkboxes cannot be wrong; only the CSRF token can
        return _settings_page(form, 422)
    chosen = {}
    for preference in preferences:
        code = preference.kind.code
        inbox = form[inbox_field(code)].data
        pushed = form[push_field(code)].data if push_available else None
        chosen[code] = (inbox, pushed)
    notifications.save_preferences(current_user, chosen)
    flash(_("Your choices are saved."), "success")
    return redirect(url_for("notifications.settings"), code=303)


@bp.post("/devices/<int:subscription_id>/remove")
def remove_device(subscription_id: int):
    """Remove one of the user's devices: it gets no more pushes."""
    if not push.remove_device(current_user, subscription_id):
        abort(404)
    flash(_("The device is removed. It gets no more notifications."), "success")
    return redirect(url_for("notifications.settings"), code=303)


def _json_error(error: push.SubscriptionError):
    return jsonify(error=str(error.message)), error.status


@bp.post("/push/subscriptions")
def subscribe():
    """The settings page's script posts the browser's subscription here (with the CSRF token); the
    page then reloads, listing the device under this confirmation."""
    data = request.get_json(silent=True)
    try:
        row = push.subscribe(current_user, data, request.user_agent.string)
    except push.SubscriptionError as error:
        return _json_error(error)
    flash(_("Notifications are on for this device."), "success")
    return jsonify(id=row.id), 201


@bp.delete("/push/subscriptions")
def unsubscribe():
    """The browser unsubscribed (the settings page's "turn off"): forget the subscription. Only the
    user's own; an endpoint we do not know is already forgotten."""
    data = request.get_json(silent=True) or {}
    push.unsubscribe(current_user, data.get("endpoint"))
    flash(_("Notifications are off for this device."), "success")
    return "", 204


@bp.post("/push/renew")
@csrf.exempt
def renew():
    """The service worker's ``pushsubscriptionchange``. Exempt from the CSRF token, which a worker does
    not have: the change is proven by the old subscription's secret, or made by a logged-in user
    (JSON only, so a form on another site cannot send it, and the session cookie is SameSite=Lax)."""
    if not request.is_json:
        return jsonify(error=_("This browser sent a subscription we cannot read.")), 415
    user = current_user if current_user.is_authenticated else None
    try:
        row = push.renew(request.get_json(silent=True), user)
    except push.SubscriptionError as error:
        return _json_error(error)
    return jsonify(id=row.id), 201
