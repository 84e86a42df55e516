"""Translated names for the values of the domain's enumerations, written once."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.models import (
    ConsentAction,
    ConsentMethod,
    InterpreterMode,
    InterpreterStatus,
    MeetingKind,
    MeetingStatus,
    MissedKind,
    OrganisationKind,
    PlacePreference,
    PlanStatus,
    ReportStatus,
    Resource,
    Response,
    Role,
    Sector,
    SipStatus,
    StartPath,
)
from webapp.services import events
from webapp.services.consent_state import ConsentStatus

ORGANISATION_KINDS = {
    OrganisationKind.MUNICIPALITY: _l("Municipality"),
    OrganisationKind.REGION: _l("Region"),
    OrganisationKind.SCHOOL: _l("School"),
    OrganisationKind.SOCIAL_INSURANCE: _l("Social insurance"),
    OrganisationKind.EMPLOYMENT_SERVICE: _l("Employment service"),
    OrganisationKind.PRIVATE_PROVIDER: _l("Private provider"),
    OrganisationKind.OTHER: _l("Other"),
}

ROLES = {
    Role.CITIZEN: _l("Citizen"),
    Role.PROFESSIONAL: _l("Professional"),
    Role.ADMIN: _l("Administrator"),
}


# -- Consent, relatives and the access log (issue 4) ---------------------------------------------

CONSENT_ACTIONS = {
    ConsentAction.GIVE: _l("Consent given"),
    ConsentAction.RENEW: _l("Consent renewed"),
    ConsentAction.CHANGE: _l("Consent changed"),
    ConsentAction.WITHDRAW: _l("Consent withdrawn"),
}

CONSENT_METHODS = {
    ConsentMethod.APP: _l("In the app"),
    ConsentMethod.ORAL: _l("Orally"),
    ConsentMethod.PAPER: _l("On paper"),
}

CONSENT_STATUSES = {
    ConsentStatus.NONE: _l("Not given yet"),
    ConsentStatus.LIVE: _l("In force"),
    ConsentStatus.WITHDRAWN: _l("Withdrawn"),
    ConsentStatus.EXPIRED: _l("Ended"),
}

#: "Who has seen my information": what a reader did ("Sara Lind, Haninge kommun, read your plan").
RESOURCE_READS = {
    Resource.REQUEST: _l("read your request"),
    Resource.SIP: _l("opened your SIP"),
    Resource.PLAN: _l("read your plan"),
    Resource.MEETINGS: _l("read your meetings"),
    Resource.CONTACTS: _l("read your contact map"),
    Resource.CONSENT: _l("read your consent"),
    Resource.DOCUMENTS: _l("read your documents"),
}

#: The contact map's sectors (issue 3).
SECTORS = {
    Sector.REGION_HEALTH: _l("Health care in the region"),
    Sector.MUNICIPAL_SOCIAL: _l("Social services in the municipality"),
    Sector.HOME_CARE: _l("Home help and home health care"),
    Sector.SCHOOL: _l("School"),
    Sector.EMPLOYMENT: _l("Employment service"),
    Sector.SOCIAL_INSURANCE: _l("Social insurance"),
    Sector.HOUSING_SUPPORT: _l("Housing support"),
    Sector.PRIVATE_PROVIDER: _l("Private provider"),
    Sector.RELATIVE: _l("Relative or friend"),
    Sector.OTHER: _l("Other"),
}

#: Where a SIP stands, as a short status.
SIP_STATUSES = {
    SipStatus.SENT: _l("Sent"),
    SipStatus.RECEIVED: _l("Received by staff"),
    SipStatus.CONSENT_CONFIRMED: _l("Consent confirmed"),
    SipStatus.MEETING_BOOKED: _l("Meeting booked"),
    SipStatus.PLAN_AGREED: _l("Plan agreed"),
    SipStatus.FOLLOW_UP: _l("Follow-up"),
    SipStatus.CLOSED: _l("Closed"),
    SipStatus.DECLINED: _l("Declined"),
    SipStatus.WITHDRAWN: _l("Withdrawn"),
}

#: What each step of the timeline means for the person.
SIP_STATUS_HINTS = {
    SipStatus.SENT: _l("Your request has reached the organisations you chose."),
    SipStatus.RECEIVED: _l("Someone has taken your request and will contact you."),
    SipStatus.CONSENT_CONFIRMED: _l("You have agreed to who may share information about you."),
    SipStatus.MEETING_BOOKED: _l("You are invited to a SIP meeting."),
    SipStatus.PLAN_AGREED: _l("You have approved your plan: who does what."),
    SipStatus.FOLLOW_UP: _l("A follow-up of the plan is booked."),
    SipStatus.CLOSED: _l("The SIP is closed."),
    SipStatus.DECLINED: _l("The request was declined."),
    SipStatus.WITHDRAWN: _l("The request was withdrawn."),
}

START_PATHS = {
    StartPath.HOME: _l("The need was seen at home"),
    StartPath.DISCHARGE: _l("Leaving hospital soon"),
}

PLACE_PREFERENCES = {
    PlacePreference.HOME: _l("At home"),
    PlacePreference.CLINIC: _l("At a clinic or office"),
    PlacePreference.REMOTE: _l("Remotely, by video or phone"),
    PlacePreference.NONE: _l("No preference"),
}

INTERPRETER_MODES = {
    InterpreterMode.ON_SITE: _l("On site"),
    InterpreterMode.PHONE: _l("By phone"),
    InterpreterMode.VIDEO: _l("By video"),
}

INTERPRETER_STATUSES = {
    InterpreterStatus.REQUESTED: _l("Requested"),
    InterpreterStatus.BOOKED: _l("Booked"),
    InterpreterStatus.CANCELLED: _l("Cancelled"),
}


MEETING_STATUSES = {
    MeetingStatus.PLANNED: _l("Planned"),
    MeetingStatus.HELD: _l("Held"),
    MeetingStatus.CANCELLED: _l("Cancelled"),
    MeetingStatus.SKIPPED: _l("Did not take place"),
}

PLAN_STATUSES = {
    PlanStatus.DRAFT: _l("Draft"),
    PlanStatus.PENDING_APPROVAL: _l("Waiting for your approval"),
    PlanStatus.CHANGE_REQUESTED: _l("You asked for a change"),
    PlanStatus.APPROVED: _l("Approved"),
    PlanStatus.SUPERSEDED: _l("Replaced by a newer version"),
}

#: Notifications in the "My data" document, by the event they come from.
NOTIFICATION_KINDS = {
    events.REQUEST_RECEIVED: _l("Request received"),
    events.REQUEST_ACKNOWLEDGED: _l("Request acknowledged"),
    events.REQUEST_DECLINED: _l("Request declined"),
    events.REQUEST_WITHDRAWN: _l("Request withdrawn"),
    events.CONSENT_GIVEN: _l("Consent given"),
    events.CONSENT_RENEWED: _l("Consent renewed"),
    events.CONSENT_CHANGED: _l("Consent changed"),
    events.CONSENT_WITHDRAWN: _l("Consent withdrawn"),
    events.CONSENT_EXPIRED: _l("Consent ended"),
    events.RELATIVE_INVITED: _l("Relative invited"),
    events.RELATIVE_ACCEPTED: _l("Relative accepted"),
    events.RELATIVE_REMOVED: _l("Relative removed"),
    events.MEETING_BOOKED: _l("Meeting booked"),
    events.MEETING_MOVED: _l("Meeting moved"),
    events.MEETING_CANCELLED: _l("Meeting cancelled"),
    events.INVITATION_ANSWERED: _l("Invitation answered"),
    events.INTERPRETER_CONFIRMED: _l("Interpreter booked"),
    events.PLAN_AWAITING_APPROVAL: _l("Plan waiting for approval"),
    events.PLAN_APPROVED: _l("Plan approved"),
    events.PLAN_CHANGE_REQUESTED: _l("Change to the plan asked for"),
    events.MISSED_MEETING_REPORTED: _l("Missed meeting reported"),
    events.MISSED_MEETING_ANSWERED: _l("Missed meeting answered"),
    events.SIP_CLOSED: _l("SIP closed"),
}


# -- My plan, my meetings, missed meetings (issue 6) -----------------------------------------------

MEETING_KINDS = {
    MeetingKind.FIRST: _l("SIP meeting"),
    MeetingKind.FOLLOW_UP: _l("Follow-up meeting"),
}

#: An invitation's answer, in words ("not only colour").
RESPONSES = {
    Response.PENDING: _l("Has not answered yet"),
    Response.ACCEPTED: _l("Coming"),
    Response.DECLINED: _l("Cannot come"),
    Response.SUBSTITUTE: _l("Sends someone else"),
}

#: What happened, as the person reports it.
MISSED_KINDS = {
    MissedKind.NOBODY_CAME: _l("Nobody came"),
    MissedKind.SOME_ABSENT: _l("Some of those invited did not come"),
    MissedKind.CANCELLED_SHORT_NOTICE: _l("It was cancelled at short notice"),
    MissedKind.MOVED_WITHOUT_ASKING: _l("It was moved without asking me"),
    MissedKind.OTHER: _l("Something else"),
}

#: Where a missed-meeting report stands, for the person.
REPORT_STATUSES = {
    ReportStatus.SENT: _l("Sent"),
    ReportStatus.READ: _l("Read"),
    ReportStatus.ANSWERED: _l("Answered"),
}


# -- Issue 5, part A: the inbox's filters ------------------------------------------------------
from webapp.services.work import Stage  # noqa: E402

INBOX_STAGES = {
    Stage.NEW: _l("New"),
    Stage.ACKNOWLEDGED: _l("Acknowledged"),
    Stage.WAITING_FOR_CONSENT: _l("Waiting for consent"),
    Stage.MEETING_BOOKED: _l("Meeting booked"),
    Stage.PLAN_ACTIVE: _l("Plan active"),
    Stage.FOLLOW_UP_DUE: _l("Follow-up due"),
    Stage.CLOSED: _l("Closed"),
}


def _label(table: dict, default=None):
    return lambda value: table.get(value, default if default is not None else value)


def init_app(app) -> None:
    """Make the label tables available to templates."""
    app.jinja_env.globals["organisation_kind_label"] = ORGANISATION_KINDS.get
    app.jinja_env.globals["role_label"] = ROLES.get
    app.jinja_env.globals["sector_label"] = SECTORS.get
    app.jinja_env.globals["sip_status_label"] = SIP_STATUSES.get
    app.jinja_env.globals["sip_status_hint"] = SIP_STATUS_HINTS.get
    app.jinja_env.globals["start_path_label"] = START_PATHS.get
    app.jinja_env.globals["place_label"] = PLACE_PREFERENCES.get
    app.jinja_env.globals["interpreter_mode_label"] = INTERPRETER_MODES.get
    app.jinja_env.globals["interpreter_status_label"] = INTERPRETER_STATUSES.get
    app.jinja_env.globals.update(
        consent_action_label=CONSENT_ACTIONS.get,
        consent_method_label=CONSENT_METHODS.get,
        consent_status_label=CONSENT_STATUSES.get,
        meeting_status_label=_label(MEETING_STATUSES),
        plan_status_label=_label(PLAN_STATUSES),
        notification_kind_label=_label(NOTIFICATION_KINDS, _l("Notification")),
        meeting_kind_label=_label(MEETING_KINDS),
        response_label=_label(RESPONSES),
        missed_kind_label=_label(MISSED_KINDS),
        report_status_label=_label(REPORT_STATUSES),
        inbox_stage_label=_label(INBOX_STAGES),
    )
