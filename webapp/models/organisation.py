"""Organisations: the municipalities, regions and other bodies that take part in SIPs."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.db import Base, str_enum, utcnow


class OrganisationKind(enum.StrEnum):
    """What kind of body an organisation is. Only municipalities and regions are principals."""

    MUNICIPALITY = "municipality"
    REGION = "region"
    SCHOOL = "school"
    SOCIAL_INSURANCE = "social_insurance"
    EMPLOYMENT_SERVICE = "employment_service"
    PRIVATE_PROVIDER = "private_provider"
    OTHER = "other"

    @property
    def is_principal(self) -> bool:
        """A municipality or a region: the two principals (huvudmän) of a SIP."""
        return self in (OrganisationKind.MUNICIPALITY, OrganisationKind.REGION)


class Organisation(Base):
    """A municipality, a region (or one of its units, such as a health centre) or another body."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(str_enum(OrganisationKind))
    #: The principal the unit belongs to, e.g. "Region Stockholm" for a health centre.
    part_of: Mapped[str] = mapped_column(sa.String(200), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    website: Mapped[str] = mapped_column(sa.String(300), default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"
