"""ORM models of a need, its criteria (child tables) and the shortlist / interest relations."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.catalog import GDPR_REQUIREMENTS, HOURS, LANGUAGE_LEVELS
from app.core.db import Base, TimestampMixin, UTCDateTime, utcnow
from app.organisations.models import Organisation


class NeedStatus(enum.StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


class InterestStatus(enum.StrEnum):
    pending = "pending"
    accepted = "accepted"
    declined = "declined"


class CountryPreference(enum.StrEnum):
    preferred = "preferred"
    excluded = "excluded"


def _in(column: str, values: Iterable[object]) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class Need(TimestampMixin, Base):
    __tablename__ = "needs"
    __table_args__ = (
        CheckConstraint(_in("status", NeedStatus), name="status"),
        CheckConstraint("seats > 0", name="seats_positive"),
        CheckConstraint("budget_max IS NULL OR budget_max > 0", name="budget_positive"),
        CheckConstraint("duration_months IS NULL OR duration_months > 0", name="duration_positive"),
        CheckConstraint(
            "min_capacity_share >= 0 AND min_capacity_share <= 1", name="capacity_share_range"
        ),
        CheckConstraint(f"hours IS NULL OR {_in('hours', HOURS.codes)}", name="hours"),
        CheckConstraint(_in("gdpr", GDPR_REQUIREMENTS.codes), name="gdpr"),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint("version > 0", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str | None] = mapped_column(String(40), index=True)
    seats: Mapped[int] = mapped_column(Integer, index=True)
    start_date: Mapped[date] = mapped_column(Date)
    duration_months: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[str | None] = mapped_column(String(16))
    # EUR per agent-hour, ceiling.
    budget_max: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    gdpr: Mapped[str] = mapped_column(String(16), default="none", server_default="none")
    outbound_fr_consumers: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # Share of the seats a provider must have free by the start date (hard filter).
    min_capacity_share: Mapped[float] = mapped_column(
        Float, default=0.5, server_default=text("0.5")
    )
    status: Mapped[str] = mapped_column(
        String(8), default=NeedStatus.draft.value, server_default="draft", index=True
    )
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Bumped on every change (optimistic concurrency in the editor and the API).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default=text("1"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship(lazy="raise")
    services: Mapped[list[NeedService]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="NeedService.service"
    )
    markets: Mapped[list[NeedMarket]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="NeedMarket.country"
    )
    languages: Mapped[list[NeedLanguage]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="NeedLanguage.position"
    )
    certifications: Mapped[list[NeedCertification]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="NeedCertification.certification"
    )
    countries: Mapped[list[NeedCountry]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="NeedCountry.country"
    )
    priorities: Mapped[list[NeedPriority]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="NeedPriority.criterion"
    )

    # --- plain views of the children (they must have been loaded) -----------------------
    @property
    def service_codes(self) -> list[str]:
        return [s.service for s in self.services]

    @property
    def market_codes(self) -> list[str]:
        return [m.country for m in self.markets]

    @property
    def certification_codes(self) -> list[str]:
        return [c.certification for c in self.certifications]

    @property
    def preferred_countries(self) -> list[str]:
        return [c.country for c in self.countries if c.preference == "preferred"]

    @property
    def excluded_countries(self) -> list[str]:
        return [c.country for c in self.countries if c.preference == "excluded"]

    @property
    def priority_codes(self) -> list[str]:
        return [p.criterion for p in self.priorities]


class NeedService(Base):
    __tablename__ = "need_services"

    need_id: Mapped[int] = mapped_column(
        ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True
    )
    service: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class NeedMarket(Base):
    """A target market: a country whose customers the outsourced team will serve."""

    __tablename__ = "need_markets"
    __table_args__ = (CheckConstraint("length(country) = 2", name="country_alpha2"),)

    need_id: Mapped[int] = mapped_column(
        ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True
    )
    country: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)


class NeedLanguage(Base):
    __tablename__ = "need_languages"
    __table_args__ = (
        UniqueConstraint("need_id", "language"),
        CheckConstraint(_in("min_level", LANGUAGE_LEVELS.codes), name="min_level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(3), index=True)
    min_level: Mapped[str] = mapped_column(String(8))
    # Order given by the client (the first language is the main one).
    position: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class NeedCertification(Base):
    __tablename__ = "need_certifications"

    need_id: Mapped[int] = mapped_column(
        ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True
    )
    certification: Mapped[str] = mapped_column(String(40), primary_key=True)


class NeedCountry(Base):
    """A provider country the client prefers or excludes (never both: one row per country)."""

    __tablename__ = "need_countries"
    __table_args__ = (
        CheckConstraint(_in("preference", CountryPreference), name="preference"),
        CheckConstraint("length(country) = 2", name="country_alpha2"),
    )

    need_id: Mapped[int] = mapped_column(
        ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True
    )
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    preference: Mapped[str] = mapped_column(String(10))


class NeedPriority(Base):
    """A scoring criterion the client says matters most (codes of ``app.matching``)."""

    __tablename__ = "need_priorities"

    need_id: Mapped[int] = mapped_column(
        ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True
    )
    criterion: Mapped[str] = mapped_column(String(32), primary_key=True)


class NeedShortlist(Base):
    """A provider the client has shortlisted for a need (reveals an anonymous client)."""

    __tablename__ = "need_shortlist"
    __table_args__ = (UniqueConstraint("need_id", "provider_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    provider: Mapped[Organisation] = relationship(lazy="raise")


class NeedInterest(Base):
    """A provider's expression of interest in a need; the client accepts or declines it."""

    __tablename__ = "need_interest"
    __table_args__ = (
        UniqueConstraint("need_id", "provider_id"),
        CheckConstraint(_in("status", InterestStatus), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    provider_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(
        String(10), default=InterestStatus.pending.value, server_default="pending", index=True
    )
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    provider: Mapped[Organisation] = relationship(lazy="raise")
    need: Mapped[Need] = relationship(lazy="raise")
