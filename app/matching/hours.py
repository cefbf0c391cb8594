"""Hours coverage and time-zone overlap.

``overlap_fraction(provider_zones, provider_hours, market_zone, level)`` is the share of the
market's weekly hours at ``level`` (business = 9:00–18:00 Monday–Friday, extended =
8:00–22:00 Monday–Saturday, 24/7; see ``app.catalog.HOURS``), *in the market's local time*,
that the provider covers with its own coverage ``provider_hours`` *in its sites' local
time* (union over its sites' zones). A market's zone is its capital's
(``app.catalog.country_timezone``).

Daylight saving time differs between Europe and the provider countries (Morocco is UTC+1
except during Ramadan; the others have no DST), so the fraction is the mean over two
reference weeks, one in winter and one in summer (Mondays 2026-01-12 and 2026-07-13, away
from any DST change and from Ramadan). The result depends only on (zones, hours, market,
level) and is cached; the index precomputes it per provider × market.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from app.catalog import HOURS

__all__ = ["overlap_fraction", "REFERENCE_WEEKS", "weekly_intervals"]

REFERENCE_WEEKS: tuple[date, ...] = (date(2026, 1, 12), date(2026, 7, 13))


#: (start, end) in epoch seconds.
Interval = tuple[float, float]


@lru_cache(maxsize=64)
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


@lru_cache(maxsize=4096)
def weekly_intervals(
    hours: str, zone: str, monday: date, weeks: range = range(1)
) -> tuple[Interval, ...]:
    """UTC intervals (epoch seconds, merged, sorted) of coverage ``hours`` in ``zone`` for the
    week starting ``monday`` shifted by each offset in ``weeks``. The zone's UTC offset is
    taken on the Wednesday of each week (the reference weeks contain no DST change)."""
    tz = _zone(zone)
    out: list[tuple[float, float]] = []
    for w in weeks:
        base = monday + timedelta(weeks=w)
        midweek = datetime(base.year, base.month, base.day, 12) + timedelta(days=2)
        offset = tz.utcoffset(midweek).total_seconds()  # type: ignore[union-attr]
        epoch = datetime(base.year, base.month, base.day, tzinfo=UTC).timestamp()
        for weekday, start, end in HOURS[hours].windows:
            day0 = epoch + weekday * 86400 - offset
            out.append((day0 + start * 3600, day0 + end * 3600))
    return tuple(_merge(out))


def _merge(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[list[float]] = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def _intersection(xs: Sequence[Interval], ys: Sequence[Interval]) -> float:
    i = j = 0
    total = 0.0
    while i < len(xs) and j < len(ys):
        a = max(xs[i][0], ys[j][0])
        b = min(xs[i][1], ys[j][1])
        if b > a:
            total += b - a
        if xs[i][1] < ys[j][1]:
            i += 1
        else:
            j += 1
    return total


@lru_cache(maxsize=1 << 16)
def overlap_fraction(
    provider_zones: tuple[str, ...], provider_hours: str, market_zone: str, level: str
) -> float:
    """Share (0..1) of the market's ``level`` hours covered by the provider (see module)."""
    fractions = []
    for monday in REFERENCE_WEEKS:
        market = weekly_intervals(level, market_zone, monday)
        provider = _merge(
            [
                iv
                for z in provider_zones
                for iv in weekly_intervals(provider_hours, z, monday, range(-1, 2))
            ]
        )
        length = sum(b - a for a, b in market)
        fractions.append(_intersection(provider, market) / length)
    return min(1.0, sum(fractions) / len(fractions))
