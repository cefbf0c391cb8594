"""ORM model of a named set of scoring weights, owned by an organiser organisation.

An event (a later issue) will reference one; until then the matches endpoints take it as
``weights=<id>``. ``weights`` holds only the overrides ({criterion code: 0..100}); the
defaults of ``app.matching.weights`` fill the rest.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.db import Base, TimestampMixin
from app.organisations.models import Organisation


class ScoringWeightSet(TimestampMixin, Base):
    __tablename__ = "scoring_weight_sets"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    # {criterion code: weight 0..100}, validated by the schema against app.matching.CRITERIA.
    weights: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)

    organisation: Mapped[Organisation] = relationship(lazy="raise")


class MatchingVersion(Base):
    """Change counters of what the scoring engine reads ('providers', 'needs').

    Database triggers (migration 0006) bump them in the same transaction as any insert,
    update or delete of a provider profile or a need, and as a change of an organisation's
    ``verified`` flag or its deletion — whoever writes (the app, a script, SQL). Each app
    process reads them (one primary-key lookup) to know when to refresh its indexes."""

    __tablename__ = "matching_versions"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
