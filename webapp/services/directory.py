"""The organisation directory and the staff accounts, as administrators manage them."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from webapp.extensions import db
from webapp.models import Organisation, OrganisationKind, Role, User


class DirectoryError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def all_organisations(active_only: bool = False) -> list[Organisation]:
    query = sa.select(Organisation).order_by(Organisation.name)
    if active_only:
        query = query.where(Organisation.active.is_(True))
    return list(db.session.scalars(query))


def principal_organisations() -> list[Organisation]:
    """Municipalities and regions: the organisations a SIP request can be sent to."""
    return list(db.session.scalars(
        sa.select(Organisation)
        .where(Organisation.active.is_(True),
               Organisation.kind.in_([OrganisationKind.MUNICIPALITY, OrganisationKind.REGION]))
        .order_by(Organisation.kind, Organisation.name)
    ))


def get_organisation(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


_EDITABLE = ("name", "part_of", "phone", "email", "address", "website")


def save_organisation(organisation: Organisation | None, data: dict) -> Organisation:
    """Create or update an organisation from validated form data."""
    db.begin_write()
    clash = db.session.scalars(
        sa.select(Organisation.id).where(sa.func.lower(Organisation.name) == data["name"].lower())
    ).first()
    if clash is not None and (organisation is None or clash != organisation.id):
        raise DirectoryError("name", _("There is already an organisation with this name."))
    if organisation is None:
        organisation = Organisation(name=data["name"], kind=OrganisationKind(data["kind"]))
        db.session.add(organisation)
    for field in _EDITABLE:
        setattr(organisation, field, data.get(field) or "")
    organisation.kind = OrganisationKind(data["kind"])
    db.session.commit()
    return organisation


def staff_accounts() -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(User.role.in_([Role.PROFESSIONAL, Role.ADMIN])).order_by(User.name)
    ))


def get_staff(user_id: int) -> User | None:
    user = db.session.get(User, user_id)
    if user is None or user.role == Role.CITIZEN:
        return None
    return user


def counts() -> dict[str, int]:
    """Figures for the administrator's dashboard."""
    by_role = dict(db.session.execute(sa.select(User.role, sa.func.count()).group_by(User.role)).all())
    return {
        "organisations": db.session.scalar(sa.select(sa.func.count(Organisation.id))) or 0,
        "citizens": by_role.get(Role.CITIZEN, 0),
        "professionals": by_role.get(Role.PROFESSIONAL, 0),
        "admins": by_role.get(Role.ADMIN, 0),
    }
