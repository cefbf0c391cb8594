"""ORM model of an organisation."""

from __future__ import annotations

import enum

from sqlalchemy import Boolean, CheckConstraint, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.core.db import Base, TimestampMixin


class OrganisationKind(enum.StrEnum):
    client = "client"
    provider = "provider"
    organiser = "organiser"


class OrganisationSize(enum.StrEnum):
    micro = "1-9"
    small = "10-49"
    medium = "50-249"
    large = "250-999"
    very_large = "1000+"


def _in(column: str, enum_cls: type[enum.Enum]) -> str:
    values = ", ".join(f"'{member.value}'" for member in enum_cls)
    return f"{column} IN ({values})"


class Organisation(TimestampMixin, Base):
    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(_in("kind", OrganisationKind), name="kind"),
        CheckConstraint(_in("size", OrganisationSize), name="size"),
        CheckConstraint("length(country) = 2", name="country_alpha2"),
        CheckConstraint("length(legal_name) > 0", name="legal_name_not_empty"),
        # The same company cannot be registered twice.
        UniqueConstraint("country", "registration_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    legal_name: Mapped[str] = mapped_column(String(200), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    registration_number: Mapped[str | None] = mapped_column(String(40))
    # Which validator accepted the number (siren, siret, vat, ice...), null when unchecked.
    registration_scheme: Mapped[str | None] = mapped_column(String(20))
    website: Mapped[str | None] = mapped_column(String(300))
    size: Mapped[str | None] = mapped_column(String(10))
    verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # A registration number this organisation typed while another one holds it: it waits
    # for an organiser's decision (app.organisations.service.decide_claim) instead of
    # locking the real company out when a squatter claimed its number first.
    contested_registration_number: Mapped[str | None] = mapped_column(String(40))
