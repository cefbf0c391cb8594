"""Criteria, default weights and the scoring rules' constants — all in one place.

The score of a (need, provider) pair is

    score = 100 * sum_c(w_c * f_c) / sum_c(w_c)      over the criteria c that apply,

where ``f_c`` in [0, 1] is how well the provider meets criterion ``c`` and ``w_c`` its
weight. A criterion the need does not express (no services asked, no budget...) does not
apply, and neither does ``feedback`` for a provider that has none: the score is rescaled
over the remaining criteria. The weights are relative (they need not sum to 100).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace

import numpy as np

__all__ = [
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "Weights",
    "PRIORITY_FACTOR",
    "SECTOR_FULL_YEARS",
    "CERT_EXTRA_FULL",
    "FEEDBACK_PRIOR",
    "NO_PRICE_FRACTION",
    "LATER_SEATS_FACTOR",
    "DEFAULT_MIN_CAPACITY_SHARE",
    "EXCLUSION_REASONS",
    "MAX_SCORE",
]

#: Criterion codes, in display order.
CRITERIA: tuple[str, ...] = (
    "services",  # share of the services asked that the provider covers
    "sector",  # experience in the need's sector (years)
    "languages",  # level above the minimum asked, per required language
    "culture",  # share of the target markets whose culture the team knows
    "capacity",  # seats by the start date against the seats asked; minimum contract
    "price",  # price band (EUR per agent-hour) against the budget ceiling
    "hours",  # hours coverage and time-zone overlap with the markets' hours
    "certifications",  # certifications beyond the required ones
    "verified",  # organisation verified by an organiser
    "feedback",  # past meeting feedback (only when there is some)
    "preferred_country",  # a site in one of the client's preferred countries
)

#: Hard filters (exclusion reasons), in display order.
EXCLUSION_REASONS: tuple[str, ...] = (
    "language",
    "certification",
    "country",
    "outbound_compliance",
    "gdpr",
    "capacity",
)

#: Scores run from 0 to this; both scoring paths cap the total here (float rounding).
MAX_SCORE = 100.0

# --- rule constants (the rules are written out in reference.py and README.md) ---------
#: A client's priority multiplies the criterion's weight by this factor.
PRIORITY_FACTOR = 2.0
#: Sector: f = 0 without experience, else 0.5 + 0.5 * min(years, SECTOR_FULL_YEARS) / 5.
SECTOR_FULL_YEARS = 5
#: Certifications: f = min(1, extra certifications / CERT_EXTRA_FULL).
CERT_EXTRA_FULL = 2
#: Feedback: f = (count * mean + FEEDBACK_PRIOR * 0.5) / (count + FEEDBACK_PRIOR).
FEEDBACK_PRIOR = 2
#: Price: f for a provider that publishes no price band.
NO_PRICE_FRACTION = 0.5
#: Capacity without a start date: seats freed later count for this fraction.
LATER_SEATS_FACTOR = 0.5
#: Default minimum share of the seats asked a provider must have (hard filter).
DEFAULT_MIN_CAPACITY_SHARE = 0.5


def _w(default: float) -> float:
    return field(default=default)


@dataclass(frozen=True)
class Weights:
    """Relative weight of each criterion (>= 0), plus the criteria given priority.

    ``Weights()`` are the defaults. An organiser overrides some of them for an event, a
    client marks criteria that matter most for a need (their weight is multiplied by
    ``priority_factor``)::

        event_weights = Weights().merged({"price": 20, "verified": 0})
        need_weights = event_weights.merged(None, need.priorities)

    The engine itself applies ``need.priorities`` on top of the weights it is given
    (idempotent: priorities are a set, applied once), so pass the *event's* weights.
    """

    services: float = _w(20.0)
    sector: float = _w(10.0)
    languages: float = _w(15.0)
    culture: float = _w(6.0)
    capacity: float = _w(15.0)
    price: float = _w(12.0)
    hours: float = _w(10.0)
    certifications: float = _w(3.0)
    verified: float = _w(3.0)
    feedback: float = _w(5.0)
    preferred_country: float = _w(4.0)
    priorities: frozenset[str] = frozenset()
    priority_factor: float = PRIORITY_FACTOR

    def __post_init__(self) -> None:
        for c in CRITERIA:
            value = getattr(self, c)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ValueError(f"weight of {c!r} must be a finite number >= 0, not {value!r}")
            object.__setattr__(self, c, float(value))
        prios = frozenset(self.priorities)
        unknown = prios - set(CRITERIA)
        if unknown:
            raise ValueError(f"unknown criteria in priorities: {sorted(unknown)}")
        object.__setattr__(self, "priorities", prios)
        if not math.isfinite(self.priority_factor) or self.priority_factor < 1:
            raise ValueError("priority_factor must be >= 1")

    @classmethod
    def default(cls) -> Weights:
        return cls()

    def merged(
        self,
        event_overrides: Mapping[str, float] | None = None,
        need_priorities: Iterable[str] = (),
    ) -> Weights:
        """A copy with ``event_overrides`` ({criterion: weight}) replacing base weights and
        ``need_priorities`` added to the prioritised criteria. Raises ValueError on an
        unknown criterion or a negative weight."""
        overrides = dict(event_overrides or {})
        unknown = set(overrides) - set(CRITERIA)
        if unknown:
            raise ValueError(f"unknown criteria: {sorted(unknown)}")
        return replace(self, **overrides, priorities=self.priorities | frozenset(need_priorities))

    def base(self) -> dict[str, float]:
        """{criterion: base weight} (before priorities)."""
        return {c: getattr(self, c) for c in CRITERIA}

    def effective(self) -> dict[str, float]:
        """{criterion: weight after priorities}."""
        return {
            c: getattr(self, c) * (self.priority_factor if c in self.priorities else 1.0)
            for c in CRITERIA
        }

    def vector(self) -> np.ndarray:
        """Effective weights as a float64 array in ``CRITERIA`` order."""
        return np.array([self.effective()[c] for c in CRITERIA], dtype=np.float64)


#: The default weights as a plain dict (for forms and docs).
DEFAULT_WEIGHTS: dict[str, float] = Weights().base()

assert tuple(f.name for f in fields(Weights))[: len(CRITERIA)] == CRITERIA
