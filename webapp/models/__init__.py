"""Every model, imported here so that the metadata and Alembic see them all."""
from webapp.models.audit import AccessLogEntry, Event, Resource
from webapp.models.consent import ConsentAction, ConsentMethod, ConsentRecord
from webapp.models.contact import Contact, Sector
from webapp.models.generation import DataGeneration
from webapp.models.meeting import (
    DEFAULT_DURATION,
    MAX_DURATION,
    FollowUpOutcome,
    Meeting,
    MeetingChange,
    MeetingFeedback,
    MeetingKind,
    MeetingParticipant,
    MeetingStatus,
    MissedKind,
    MissedMeetingReport,
    ParticipantKind,
    PlaceKind,
    ReportStatus,
    Response,
)
from webapp.models.notification import (
    CalendarFeed,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    PushDelivery,
    PushSubscription,
)
from webapp.models.organisation import Organisation, OrganisationKind
from webapp.models.plan import GoalHorizon, Intervention, InterventionPrincipal, PlanAttendance, PlanGoal, PlanStatus, PlanVersion
from webapp.models.relative import RelativeGrant, RelativeInvitation, RelativeLink
from webapp.models.sip import (
    InterpreterMode,
    InterpreterRequest,
    InterpreterStatus,
    PlacePreference,
    Principal,
    RequestDraft,
    RequestedContact,
    Sip,
    SipRecipient,
    SipStatus,
    StartPath,
)
from webapp.models.user import AccountInvitation, LoginAttempt, Role, User, UserSession

__all__ = [name for name in dir() if not name.startswith("_") and name[0].isupper()]
