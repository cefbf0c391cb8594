"""Per-pair scoring in plain Python: ``explain()`` (parts, params, exclusions) and
``score_pair_reference()`` (the score only). This is the specification of the rules; the
vectorised ``ProviderIndex`` must agree with it (tests and bench check to 1e-9).

Rules (f = fraction of the criterion met, 0..1; see ``weights.py`` for the constants):

Hard filters (all failing ones are reported):
  language            a required language below the minimum level (absent = level 0)
  certification       a required certification missing
  country             every site country of the provider is in the need's excluded list
  outbound_compliance outbound calls to French consumers and neither Bloctel screening
                      nor opt-in-only files
  gdpr                the provider's offer level (none < DPA < DPA+SCC < DPA+SCC+EU
                      hosting) below the need's requirement
  capacity            seats available by the start date < min_capacity_share × seats
                      (no start date: the seats free now or from the announced date)

Criteria (applies when ...):
  services        need has services: covered / asked
  sector          need has a sector: 0 without experience, else 0.5 + 0.5·min(years,5)/5
  languages       need has languages: mean over them of 0.5 + 0.5·(level − min)/(7 − min)
                  (1 when the minimum is native)
  culture         need has target markets: markets whose culture the team knows / markets
  capacity        need has seats: min(1, seats by start / seats) × min(1, seats / minimum
                  contract); without a start date, seats now + half the seats freed later
  price           need has a budget: share of the provider's price band under the budget
                  ((budget − min) / (max − min), clipped; a single price: 1 if ≤ budget);
                  0.5 when the provider publishes no price
  hours           need has hours or target markets: mean over target markets of the
                  overlap fraction (``hours.overlap_fraction``, level = need hours or
                  business); without markets, against the provider's own zone
  certifications  always: min(1, certifications beyond the required ones / 2)
  verified        always: 1 if verified
  feedback        provider has feedback: (count·mean + 2·0.5) / (count + 2)
  preferred_country  need has preferred countries: 1 if a site is in one of them
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Literal, overload

from app.catalog import GDPR_REQUIREMENTS, MAX_LEVEL_RANK, country_timezone, gdpr_offer_level
from app.matching.features import NeedFeatures, ProviderFeatures
from app.matching.hours import overlap_fraction
from app.matching.result import Exclusion, Match, Part
from app.matching.weights import (
    CERT_EXTRA_FULL,
    CRITERIA,
    FEEDBACK_PRIOR,
    LATER_SEATS_FACTOR,
    MAX_SCORE,
    NO_PRICE_FRACTION,
    SECTOR_FULL_YEARS,
    Weights,
)

__all__ = ["explain", "score_pair_reference", "need_criteria", "need_missing"]


@lru_cache(maxsize=256)
def _effective(weights: Weights, priorities: frozenset[str]) -> Mapping[str, float]:
    return MappingProxyType(weights.merged(None, priorities).effective())


def need_criteria(need: NeedFeatures) -> dict[str, bool]:
    """{criterion: applies} as far as the need is concerned ('feedback' also depends on the
    provider)."""
    return {
        "services": bool(need.services),
        "sector": need.sector is not None,
        "languages": bool(need.languages),
        "culture": bool(need.target_markets),
        "capacity": need.seats is not None,
        "price": need.budget_max is not None,
        "hours": need.hours is not None or bool(need.target_markets),
        "certifications": True,
        "verified": True,
        "feedback": True,
        "preferred_country": bool(need.preferred_countries),
    }


def need_missing(need: NeedFeatures) -> tuple[str, ...]:
    """Need fields the client could fill in to get better (more discriminating) matches."""
    missing = []
    if not need.services:
        missing.append("services")
    if not need.languages:
        missing.append("languages")
    if need.sector is None:
        missing.append("sector")
    if not need.target_markets:
        missing.append("target_markets")
    if need.seats is None:
        missing.append("seats")
    elif need.start_date is None:
        missing.append("start_date")
    if need.hours is None:
        missing.append("hours")
    if need.budget_max is None:
        missing.append("budget_max")
    return tuple(missing)


def _seats(need: NeedFeatures, p: ProviderFeatures) -> tuple[int, float, bool]:
    """(seats counted by the filter, seats counted by the criterion, later seats counted)."""
    later = p.seats_available_now
    if p.seats_available_from is not None:
        later = max(p.seats_available_now, p.seats_at_date)
    if need.start_date is not None:
        ready = p.seats_available_from is not None and p.seats_available_from <= need.start_date
        by_start = later if ready else p.seats_available_now
        return by_start, float(by_start), ready
    return (
        later,
        p.seats_available_now + LATER_SEATS_FACTOR * (later - p.seats_available_now),
        later > p.seats_available_now,
    )


def _sector_fraction(years: float | None) -> float:
    if years is None:
        return 0.0
    return 0.5 + 0.5 * min(years, SECTOR_FULL_YEARS) / SECTOR_FULL_YEARS


def _language_fraction(minimum: int, level: int) -> float:
    if minimum >= MAX_LEVEL_RANK:
        return 1.0
    return 0.5 + 0.5 * (max(level, minimum) - minimum) / (MAX_LEVEL_RANK - minimum)


def _price_fraction(budget: float, pmin: float | None, pmax: float | None) -> float:
    if pmin is None or pmax is None:
        return NO_PRICE_FRACTION
    if pmax > pmin:
        return min(1.0, max(0.0, (budget - pmin) / (pmax - pmin)))
    return 1.0 if pmin <= budget else 0.0


def _feedback_fraction(count: int, mean: float) -> float:
    return (count * mean + FEEDBACK_PRIOR * 0.5) / (count + FEEDBACK_PRIOR)


def _hours_fraction(need: NeedFeatures, p: ProviderFeatures) -> tuple[float, dict[str, float]]:
    level = need.hours_level
    zones = p.zones
    if need.target_markets:
        per_market = {
            m: overlap_fraction(zones, p.hours, country_timezone(m), level)
            for m in sorted(need.target_markets)
        }
        return math.fsum(per_market.values()) / len(per_market), per_market
    return overlap_fraction(zones, p.hours, p.timezone, level), {}


def _capped_total(points: dict[str, float]) -> float:
    """The score: the sum of the points, never above ``MAX_SCORE``. Each part is
    ``100·w/Σw·f``, and rounding can make full marks add up to 100.00000000000001; the
    largest part then gives up the excess, so the parts still add up to the score."""
    score = math.fsum(points.values())
    if score <= MAX_SCORE:
        return score
    largest = max(points, key=points.__getitem__)
    points[largest] -= score - MAX_SCORE
    score = math.fsum(points.values())
    while score > MAX_SCORE:  # one or two ulps left by the subtraction's own rounding
        points[largest] = math.nextafter(points[largest], 0.0)
        score = math.fsum(points.values())
    return score


@overload
def _evaluate(
    need: NeedFeatures, p: ProviderFeatures, weights: Weights, detailed: Literal[True]
) -> Match: ...
@overload
def _evaluate(
    need: NeedFeatures, p: ProviderFeatures, weights: Weights, detailed: Literal[False]
) -> float | None: ...
def _evaluate(
    need: NeedFeatures, p: ProviderFeatures, weights: Weights, detailed: bool
) -> Match | float | None:
    # ---- hard filters ------------------------------------------------------------------
    exclusions: list[Exclusion] = []
    lacking = [
        (code, minimum, p.languages.get(code, 0))
        for code, minimum in sorted(need.languages.items())
        if p.languages.get(code, 0) < minimum
    ]
    if lacking:
        exclusions.append(Exclusion("language", {"languages": tuple(lacking)}))
    missing_certs = need.required_certifications - p.certifications
    if missing_certs:
        exclusions.append(Exclusion("certification", {"missing": tuple(sorted(missing_certs))}))
    if p.countries and p.countries <= need.excluded_countries:
        exclusions.append(Exclusion("country", {"countries": tuple(sorted(p.countries))}))
    if need.outbound_fr_consumers and not (p.bloctel_screening or p.opt_in_only):
        exclusions.append(Exclusion("outbound_compliance", {}))
    offer = gdpr_offer_level(p.gdpr_dpa, p.gdpr_scc, p.gdpr_eu_hosting)
    if offer < GDPR_REQUIREMENTS[need.gdpr].rank:
        exclusions.append(Exclusion("gdpr", {"required": need.gdpr, "offer_rank": offer}))
    seats_filter, seats_eff, later_counted = (0, 0.0, False)
    if need.seats is not None:
        seats_filter, seats_eff, later_counted = _seats(need, p)
        threshold = need.min_capacity_share * need.seats
        if seats_filter < threshold:
            exclusions.append(
                Exclusion(
                    "capacity",
                    {
                        "available": seats_filter,
                        "seats": need.seats,
                        "share": need.min_capacity_share,
                        "start_date": need.start_date,
                    },
                )
            )
    if exclusions:
        if not detailed:
            return None
        return Match(need.id, p.id, None, (), (), need_missing(need), tuple(exclusions))

    # ---- criteria ----------------------------------------------------------------------
    applies = need_criteria(need)
    applies["feedback"] = p.has_feedback
    frac: dict[str, float] = {}
    params: dict[str, dict[str, Any]] = {}

    if applies["services"]:
        covered = need.services & p.services
        frac["services"] = len(covered) / len(need.services)
        if detailed:
            params["services"] = {
                "covered": tuple(sorted(covered)),
                "uncovered": tuple(sorted(need.services - covered)),
                "asked": len(need.services),
            }
    if applies["sector"]:
        years = p.sectors.get(need.sector)  # type: ignore[arg-type]
        frac["sector"] = _sector_fraction(years)
        if detailed:
            params["sector"] = {"sector": need.sector, "years": years}
    if applies["languages"]:
        levels = [
            (code, minimum, p.languages.get(code, 0))
            for code, minimum in sorted(need.languages.items())
        ]
        frac["languages"] = math.fsum(_language_fraction(m, lv) for _, m, lv in levels) / len(
            levels
        )
        if detailed:
            params["languages"] = {"levels": tuple(levels)}
    if applies["culture"]:
        known = need.target_markets & p.culture_markets
        frac["culture"] = len(known) / len(need.target_markets)
        if detailed:
            params["culture"] = {
                "known": tuple(sorted(known)),
                "unknown": tuple(sorted(need.target_markets - known)),
            }
    if applies["capacity"]:
        seats = need.seats
        f = min(1.0, seats_eff / seats)  # type: ignore[operator]
        if p.min_contract_seats > seats:  # type: ignore[operator]
            f *= seats / p.min_contract_seats  # type: ignore[operator]
        frac["capacity"] = f
        if detailed:
            params["capacity"] = {
                "available": seats_filter,
                "seats": seats,
                "start_date": need.start_date,
                "available_now": p.seats_available_now,
                "available_from": p.seats_available_from,
                "later_counted": later_counted,
                "min_contract": p.min_contract_seats,
            }
    if applies["price"]:
        frac["price"] = _price_fraction(need.budget_max, p.price_min, p.price_max)  # type: ignore[arg-type]
        if detailed:
            params["price"] = {
                "budget": need.budget_max,
                "price_min": p.price_min,
                "price_max": p.price_max,
            }
    if applies["hours"]:
        f, per_market = _hours_fraction(need, p)
        frac["hours"] = f
        if detailed:
            params["hours"] = {
                "provider_hours": p.hours,
                "level": need.hours_level,
                "asked": need.hours,
                "markets": per_market,
                "overlap": f,
            }
    extra = p.certifications - need.required_certifications
    frac["certifications"] = min(1.0, len(extra) / CERT_EXTRA_FULL)
    if detailed:
        params["certifications"] = {"extra": tuple(sorted(extra))}
    frac["verified"] = 1.0 if p.verified else 0.0
    if detailed:
        params["verified"] = {"verified": p.verified}
    if applies["feedback"]:
        fb = p.feedback
        frac["feedback"] = _feedback_fraction(fb.count, fb.mean_interest)  # type: ignore[union-attr]
        if detailed:
            params["feedback"] = {"count": fb.count, "mean": fb.mean_interest}  # type: ignore[union-attr]
    if applies["preferred_country"]:
        hit = p.countries & need.preferred_countries
        frac["preferred_country"] = 1.0 if hit else 0.0
        if detailed:
            params["preferred_country"] = {
                "countries": tuple(sorted(hit)),
                "preferred": tuple(sorted(need.preferred_countries)),
            }

    w = _effective(weights, need.priorities)
    used = [c for c in CRITERIA if c in frac]
    total_weight = math.fsum(w[c] for c in used)
    if total_weight <= 0:
        points = {c: 0.0 for c in used}
        maxima = {c: 0.0 for c in used}
    else:
        maxima = {c: 100.0 * w[c] / total_weight for c in used}
        points = {c: maxima[c] * frac[c] for c in used}
    score = _capped_total(points)
    if not detailed:
        return score
    parts = tuple(Part(c, points[c], maxima[c], frac[c], params.get(c, {})) for c in used)
    left_out = tuple(c for c in CRITERIA if c not in frac)
    return Match(need.id, p.id, score, parts, left_out, need_missing(need), ())


def explain(
    need: NeedFeatures, provider: ProviderFeatures, weights: Weights | None = None
) -> Match:
    """The full explanation of one pair: score, parts with params, left-out criteria, what
    the need is missing, and every exclusion reason. ``weights`` are the event's (the
    need's priorities are applied on top)."""
    return _evaluate(need, provider, weights or Weights(), True)


def score_pair_reference(
    need: NeedFeatures, provider: ProviderFeatures, weights: Weights | None = None
) -> float | None:
    """The score (0..100) of one pair, or None if the provider is excluded — plain Python,
    one pair at a time (the reference the vectorised index is checked against)."""
    return _evaluate(need, provider, weights or Weights(), False)
