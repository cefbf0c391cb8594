"""ORM model of a named set of scoring weights, owned by an organiser organisation.

An event (a later issue) will reference one; until then the matches endpoints take it as
``weights=<id>``. ``weights`` holds only the overrides ({criterion code: 0..100}); the
defaults of ``app.matching.weights`` fill the rest.
"""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
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
