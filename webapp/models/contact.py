"""The person's contact map (kontaktkarta): everyone who helps them, grouped by sector."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.db import Base, str_enum, utcnow
from webapp.models.organisation import Organisation


class Sector(enum.StrEnum):
    """Where a contact works; the contact map groups contacts by these."""

    REGION_HEALTH = "region_health"            # health care in the region
    MUNICIPAL_SOCIAL = "municipal_social"      # social services in the municipality
    HOME_CARE = "home_care"                    # home help and home health care
    SCHOOL = "school"
    EMPLOYMENT = "employment"                  # employment service (Arbetsförmedlingen)
    SOCIAL_INSURANCE = "social_insurance"      # Försäkringskassan
    HOUSING_SUPPORT = "housing_support"
    PRIVATE_PROVIDER = "private_provider"
    RELATIVE = "relative"                      # relative or friend
    OTHER = "other"


class Contact(Base):
    """One contact on a person's map. Only the person may see or change it."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    role_title: Mapped[str] = mapped_column(sa.String(200), default="")
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"))
    #: Free text when the organisation is not in the directory.
    organisation_name: Mapped[str] = mapped_column(sa.String(200), default="")
    sector: Mapped[Sector] = mapped_column(str_enum(Sector))
    #: E.164, validated with phonenumbers.
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    helps_with: Mapped[str] = mapped_column(sa.Text, default="")
    meeting_frequency: Mapped[str] = mapped_column(sa.String(200), default="")
    meeting_place: Mapped[str] = mapped_column(sa.String(200), default="")
    next_meeting_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation else self.organisation_name
