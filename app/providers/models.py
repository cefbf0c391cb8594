"""ORM models of a call centre's profile (one per provider organisation) and its child rows.

Multi-valued codes (services, sectors, channels, certifications) live in child tables keyed
``(profile_id, code)`` with a ``(code, profile_id)`` index, so directory filters are indexed
``EXISTS`` sub-queries on SQLite and PostgreSQL alike. Seat sums over the sites are kept on
the profile (``seats_total_sum``, ``seats_now_sum``) by the service, for the seats filter
and sort; ``version`` is bumped on every change so the scoring engine can notice it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalog import CERTIFICATIONS, CHANNELS, HOURS, LANGUAGE_LEVELS, SECTORS, SERVICES
from app.core.db import Base, TimestampMixin
from app.organisations.models import Organisation


class ProfileStatus(enum.StrEnum):
    draft = "draft"  # being written: not in the directory
    published = "published"  # listed in the directory
    closed = "closed"  # withdrawn from the directory


def _in(column: str, codes: Iterable[str]) -> str:
    values = ", ".join(f"'{code}'" for code in codes)
    return f"{column} IN ({values})"


class ProviderProfile(TimestampMixin, Base):
    __tablename__ = "provider_profiles"
    __table_args__ = (
        CheckConstraint(_in("status", [s.value for s in ProfileStatus]), name="status"),
        CheckConstraint(f"hours IS NULL OR {_in('hours', HOURS.codes)}", name="hours"),
        CheckConstraint("price_min IS NULL OR price_min >= 0", name="price_min_positive"),
        CheckConstraint(
            "price_min IS NULL OR price_max IS NULL OR price_min <= price_max", name="price_band"
        ),
        CheckConstraint("min_contract_seats >= 0", name="min_contract_seats_positive"),
        CheckConstraint("seats_now_sum >= 0 AND seats_now_sum <= seats_total_sum", name="seats"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_provider_profiles_status_updated_at", "status", "updated_at"),
        Index("ix_provider_profiles_status_seats_now_sum", "status", "seats_now_sum"),
        Index("ix_provider_profiles_status_price_min", "status", "price_min"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[str] = mapped_column(String(12), default=ProfileStatus.draft.value)
    version: Mapped[int] = mapped_column(Integer, default=1)
    description_fr: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    hours: Mapped[str | None] = mapped_column(String(16))
    price_min: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    price_max: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    min_contract_seats: Mapped[int] = mapped_column(Integer, default=0)
    gdpr_dpa: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    gdpr_scc: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    gdpr_eu_hosting: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Where the clients' data is stored (ISO 3166 alpha-2), when said.
    data_hosting_country: Mapped[str | None] = mapped_column(String(2))
    bloctel_screening: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    opt_in_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Sums over the sites, kept in sync by the service (filters and sort without a join).
    seats_total_sum: Mapped[int] = mapped_column(Integer, default=0)
    seats_now_sum: Mapped[int] = mapped_column(Integer, default=0)

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    sites: Mapped[list[ProviderSite]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ProviderSite.position",
        passive_deletes=True,
    )
    languages: Mapped[list[ProviderLanguage]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ProviderLanguage.position",
        passive_deletes=True,
    )
    services: Mapped[list[ProviderService]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    sectors: Mapped[list[ProviderSector]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    channels: Mapped[list[ProviderChannel]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    certifications: Mapped[list[ProviderCertification]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    references: Mapped[list[ProviderReference]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ProviderReference.position",
        passive_deletes=True,
    )


def _profile_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("provider_profiles.id", ondelete="CASCADE"))


class ProviderSite(Base):
    """A site of the call centre; a site appears once per (country, city)."""

    __tablename__ = "provider_sites"
    __table_args__ = (
        UniqueConstraint("profile_id", "country", "city"),
        CheckConstraint("length(country) = 2", name="country_alpha2"),
        CheckConstraint("length(city) > 0", name="city_not_empty"),
        CheckConstraint("seats_total >= 0", name="seats_total_positive"),
        CheckConstraint(
            "seats_available_now >= 0 AND seats_available_now <= seats_total",
            name="seats_now_within_total",
        ),
        CheckConstraint(
            "seats_available_later IS NULL OR "
            "(seats_available_later >= 0 AND seats_available_later <= seats_total)",
            name="seats_later_within_total",
        ),
        CheckConstraint(
            "(seats_available_later IS NULL AND available_from IS NULL) OR "
            "(seats_available_later IS NOT NULL AND available_from IS NOT NULL)",
            name="later_seats_with_date",
        ),
        Index("ix_provider_sites_country_profile_id", "country", "profile_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = _profile_fk()
    position: Mapped[int] = mapped_column(Integer, default=0)
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(String(120))
    timezone: Mapped[str] = mapped_column(String(64))
    seats_total: Mapped[int] = mapped_column(Integer)
    seats_available_now: Mapped[int] = mapped_column(Integer)
    # Seats free from ``available_from`` on (the total free then, not an increment).
    seats_available_later: Mapped[int | None] = mapped_column(Integer)
    available_from: Mapped[date | None] = mapped_column(Date)


class ProviderLanguage(Base):
    """A language the team works in, its level, and the markets whose culture it knows."""

    __tablename__ = "provider_languages"
    __table_args__ = (
        UniqueConstraint("profile_id", "language"),
        CheckConstraint(_in("level", LANGUAGE_LEVELS.codes), name="level"),
        Index("ix_provider_languages_language_level_profile_id", "language", "level", "profile_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = _profile_fk()
    position: Mapped[int] = mapped_column(Integer, default=0)
    language: Mapped[str] = mapped_column(String(3))
    level: Mapped[str] = mapped_column(String(8))
    # ISO 3166 alpha-2 codes, sorted (shown and scored, never filtered in SQL).
    culture_markets: Mapped[list[str]] = mapped_column(JSON, default=list)


class _CodeRow:
    """A (profile, code) pair; the composite primary key forbids duplicates."""

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("provider_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(32), primary_key=True)


class ProviderService(_CodeRow, Base):
    __tablename__ = "provider_services"
    __table_args__ = (
        CheckConstraint(_in("code", SERVICES.codes), name="code"),
        Index("ix_provider_services_code_profile_id", "code", "profile_id"),
    )


class ProviderSector(_CodeRow, Base):
    __tablename__ = "provider_sectors"
    __table_args__ = (
        CheckConstraint(_in("code", SECTORS.codes), name="code"),
        CheckConstraint("years >= 0", name="years_positive"),
        Index("ix_provider_sectors_code_profile_id", "code", "profile_id"),
    )

    years: Mapped[int] = mapped_column(Integer, default=0)  # 0 = some, not said


class ProviderChannel(_CodeRow, Base):
    __tablename__ = "provider_channels"
    __table_args__ = (
        CheckConstraint(_in("code", CHANNELS.codes), name="code"),
        Index("ix_provider_channels_code_profile_id", "code", "profile_id"),
    )


class ProviderCertification(_CodeRow, Base):
    __tablename__ = "provider_certifications"
    __table_args__ = (
        CheckConstraint(_in("code", CERTIFICATIONS.codes), name="code"),
        Index("ix_provider_certifications_code_profile_id", "code", "profile_id"),
    )


class ProviderReference(Base):
    """A European client served; ``client_name`` is NULL when the reference is anonymised."""

    __tablename__ = "provider_references"
    __table_args__ = (
        CheckConstraint("country IS NULL OR length(country) = 2", name="country_alpha2"),
        CheckConstraint(f"sector IS NULL OR {_in('sector', SECTORS.codes)}", name="sector"),
        CheckConstraint("anonymised OR client_name IS NOT NULL", name="named_or_anonymised"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("provider_profiles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    client_name: Mapped[str | None] = mapped_column(String(200))
    anonymised: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    country: Mapped[str | None] = mapped_column(String(2))
    sector: Mapped[str | None] = mapped_column(String(32))
    description: Mapped[str | None] = mapped_column(String(300))
