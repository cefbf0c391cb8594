"""The engine's output: scores with their parts, exclusions, pages of matches.

Rounding rule. ``Match.score`` and every ``Part.points`` are floats; the score is *defined*
as the exact sum (``math.fsum``) of the parts' points, so they add up. For display, use
``Match.display()``: the score is rounded to one decimal (half up) and the parts are
rounded to one decimal by the largest-remainder method, so the displayed parts add up
exactly to the displayed score (and the displayed maxima to 100.0), and no displayed part
exceeds its displayed maximum (a unit goes to another part when possible). A displayed
part may therefore differ by 0.1 from its own naive rounding.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Part", "Exclusion", "Match", "MatchPage", "Excluded", "DisplayPart", "round_to_total"]


@dataclass(frozen=True, slots=True)
class Part:
    """One criterion's contribution: ``points`` out of ``max_points`` (both on the 0–100
    scale after rescaling), ``fraction`` = points / max_points, and ``params`` (plain
    values: codes, numbers, dates) from which ``sentences()`` writes the explanation."""

    criterion: str
    points: float
    max_points: float
    fraction: float
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Exclusion:
    """A hard filter the provider fails: ``reason`` in ``EXCLUSION_REASONS`` and params."""

    reason: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DisplayPart:
    criterion: str
    points: float
    max_points: float


@dataclass(frozen=True, slots=True)
class Match:
    """A scored (or excluded) pair.

    - ``score``: 0..100, or None when excluded (then ``exclusions`` is not empty and
      ``parts`` is empty).
    - ``parts``: one :class:`Part` per criterion that applies, in ``CRITERIA`` order.
    - ``left_out``: criteria that do not apply to this pair (the need does not express
      them, or the provider has no feedback yet) — the score is rescaled without them.
    - ``missing``: fields of the need the client could fill in to get better matches
      (``NeedFeatures`` field names: 'services', 'languages', 'sector', 'target_markets',
      'seats', 'start_date', 'hours', 'budget_max').
    """

    need_id: Hashable
    provider_id: Hashable
    score: float | None
    parts: tuple[Part, ...] = ()
    left_out: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()

    @property
    def excluded(self) -> bool:
        return bool(self.exclusions)

    def display(self, decimals: int = 1) -> tuple[float | None, list[DisplayPart]]:
        """(score rounded, parts rounded) such that the rounded parts add up exactly to the
        rounded score and the rounded maxima to the rounded sum of maxima (see module)."""
        if self.score is None:
            return None, []
        maxima = round_to_total([p.max_points for p in self.parts], decimals)
        points = round_to_total(
            [p.points for p in self.parts],
            decimals,
            caps=maxima,
            prefer=[p.points >= p.max_points for p in self.parts],
        )
        shown = _round_half_up(math.fsum(p.points for p in self.parts), decimals)
        return shown, [
            DisplayPart(p.criterion, a, b)
            for p, a, b in zip(self.parts, points, maxima, strict=True)
        ]


def _round_half_up(x: float, decimals: int) -> float:
    scale = 10**decimals
    return float(math.floor(x * scale + 0.5 + 1e-9) / scale)


def round_to_total(
    values: Sequence[float],
    decimals: int = 1,
    caps: Sequence[float] | None = None,
    prefer: Sequence[bool] | None = None,
) -> list[float]:
    """Round ``values`` (>= 0) to ``decimals`` so that they sum exactly (in units of
    10**-decimals) to their rounded total: floor each, then give the remaining units to the
    largest remainders (ties: first in order), skipping a value whose rounding up would
    exceed its ``cap`` (a displayed maximum) unless no other value can take the unit;
    values flagged in ``prefer`` (a part at its maximum) are served first."""
    scale = 10**decimals
    total_units = math.floor(math.fsum(values) * scale + 0.5 + 1e-9)
    scaled = [v * scale for v in values]
    units = [math.floor(v + 1e-9) for v in scaled]
    rest = total_units - sum(units)
    first = prefer if prefer is not None else [False] * len(values)
    order = sorted(range(len(values)), key=lambda i: (not first[i], -(scaled[i] - units[i]), i))
    if rest > 0:
        cap_units = [math.floor(c * scale + 0.5) for c in caps] if caps is not None else None
        allowed = [i for i in order if cap_units is None or units[i] + 1 <= cap_units[i]]
        chosen = allowed[:rest]
        chosen += [i for i in order if i not in chosen][: rest - len(chosen)]
        for i in chosen:
            units[i] += 1
    elif rest < 0:  # only through the 1e-9 guards: take back from the smallest remainders
        for i in [i for i in reversed(order) if units[i] > 0][:-rest]:
            units[i] -= 1
    if caps is not None and prefer is not None:
        # a preferred value (a part at its maximum) still one unit under its cap takes the
        # unit from a value that was rounded up, so that "full" shows as full
        cap_units = [math.floor(c * scale + 0.5) for c in caps]
        floors = [math.floor(v + 1e-9) for v in scaled]
        for i in range(len(values)):
            if prefer[i] and units[i] + 1 == cap_units[i] and units[i] + 1 - scaled[i] < 1:
                donor = next(
                    (j for j in reversed(order) if not prefer[j] and units[j] > floors[j]), None
                )
                if donor is not None:
                    units[donor] -= 1
                    units[i] += 1
    return [u / scale for u in units]


@dataclass(frozen=True, slots=True)
class Excluded:
    """An excluded candidate (a provider, or a need in ``NeedIndex.score``) and its reason
    codes (``EXCLUSION_REASONS``); call ``explain()`` for the details of one."""

    id: Hashable
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MatchPage:
    """One page of ranked matches.

    - ``items``: the page, best first (ties broken by the order of the index), each a full
      :class:`Match` with its parts.
    - ``total``: how many candidates are not excluded; ``excluded_total``: how many are.
    - ``excluded``: with ``include_excluded=True``, every excluded candidate and its
      reasons (in index order), else empty.
    - ``left_out`` / ``missing``: as in :class:`Match`, for the need (the provider-dependent
      'feedback' is not listed here).
    """

    items: tuple[Match, ...]
    total: int
    offset: int
    limit: int
    excluded_total: int = 0
    excluded: tuple[Excluded, ...] = ()
    left_out: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
