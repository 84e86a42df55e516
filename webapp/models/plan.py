"""The plan (the SIP document): versions, goals and interventions.

A version is drafted by staff, sent to the person, and becomes the person's current plan only when
the person approves it: "the plan may not be changed without the person's approval" (seed 003).
"""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base, str_enum, utcnow
from webapp.models.organisation import Organisation
from webapp.models.sip import Principal
from webapp.models.user import User


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"                          # being documented by staff
    PENDING_APPROVAL = "pending_approval"    # sent to the person
    CHANGE_REQUESTED = "change_requested"    # the person asked for a change (with a comment)
    APPROVED = "approved"                    # the person's current plan
    SUPERSEDED = "superseded"                # an earlier approved version


class InterventionPrincipal(enum.StrEnum):
    """Who provides an intervention; the plan groups them like this (legal minimum, seed 004)."""

    MUNICIPALITY = "municipality"
    REGION = "region"
    OTHER = "other"        # school, Försäkringskassan, private providers...
    PERSON = "person"      # the person's own part
    RELATIVE = "relative"  # what relatives do


class GoalHorizon(enum.StrEnum):
    LONG = "long"
    SHORT = "short"


class PlanVersion(Base):
    """One version of a SIP's plan."""

    __tablename__ = "plan_versions"
    __table_args__ = (sa.UniqueConstraint("sip_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sip_id: Mapped[int] = mapped_column(sa.ForeignKey("sips.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    status: Mapped[PlanStatus] = mapped_column(str_enum(PlanStatus), default=PlanStatus.DRAFT, index=True)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meetings.id", ondelete="SET NULL"))
    #: Who documented it; the plan is signed at least by them (seed 002, step 3).
    documented_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    change_comment: Mapped[str] = mapped_column(sa.Text, default="")
    #: The current situation, in the person's words.
    current_situation: Mapped[str] = mapped_column(sa.Text, default="")
    #: Which principal holds the overall responsibility (legal minimum).
    overall_responsibility: Mapped[Principal | None] = mapped_column(str_enum(Principal))
    coordinator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    #: An explicit "none" for each group, which the legal minimum accepts instead of interventions.
    no_municipality_interventions: Mapped[bool] = mapped_column(default=False)
    no_region_interventions: Mapped[bool] = mapped_column(default=False)
    no_other_interventions: Mapped[bool] = mapped_column(default=False)
    next_follow_up_on: Mapped[date | None]
    no_follow_up_reason: Mapped[str] = mapped_column(sa.Text, default="")

    documented_by: Mapped[User] = relationship(foreign_keys=[documented_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    coordinator: Mapped[User | None] = relationship(foreign_keys=[coordinator_id])
    goals: Mapped[list[PlanGoal]] = relationship(back_populates="version", cascade="all, delete-orphan",
                                                 order_by="PlanGoal.position")
    interventions: Mapped[list[Intervention]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Intervention.position")
    attendance: Mapped[list[PlanAttendance]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="PlanAttendance.id")


class PlanGoal(Base):
    """One of the person's goals, long or short term. ``key`` stays the same across versions."""

    __tablename__ = "plan_goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(36))
    horizon: Mapped[GoalHorizon] = mapped_column(str_enum(GoalHorizon))
    text: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)

    version: Mapped[PlanVersion] = relationship(back_populates="goals")


class Intervention(Base):
    """An intervention (insats): what, by whom, when, how often, where, for which goal, how evaluated.

    ``key`` stays the same when a version is copied, so versions can be compared item by item.
    """

    __tablename__ = "interventions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(sa.String(36))
    position: Mapped[int] = mapped_column(default=0)
    what: Mapped[str] = mapped_column(sa.Text)
    principal: Mapped[InterventionPrincipal] = mapped_column(str_enum(InterventionPrincipal))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id"))
    organisation_name: Mapped[str] = mapped_column(sa.String(200), default="")
    responsible_name: Mapped[str] = mapped_column(sa.String(200), default="")
    responsible_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    responsible_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    responsible_email: Mapped[str] = mapped_column(sa.String(254), default="")
    when: Mapped[str] = mapped_column(sa.String(200), default="")
    frequency: Mapped[str] = mapped_column(sa.String(200), default="")
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    #: The ``key`` of the goal it serves, in the same version.
    goal_key: Mapped[str | None] = mapped_column(sa.String(36))
    evaluation: Mapped[str] = mapped_column(sa.Text, default="")

    version: Mapped[PlanVersion] = relationship(back_populates="interventions")
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation else self.organisation_name


class PlanAttendance(Base):
    """Who was invited to the meeting the version was made at, and whether they came."""

    __tablename__ = "plan_attendance"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meeting_participants.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(200))
    organisation_name: Mapped[str] = mapped_column(sa.String(200), default="")
    attended: Mapped[bool]

    version: Mapped[PlanVersion] = relationship(back_populates="attendance")
