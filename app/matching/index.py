"""Vectorised scoring: NumPy arrays built once from the profiles.

``ProviderIndex`` holds one row per provider (0/1 matrices for services, certifications,
site countries and culture markets, a level matrix for languages, sector fractions,
seats, prices, flags, and the precomputed time-zone overlap per provider × market ×
hours level). A batch of needs is encoded the same way (``NeedIndex`` keeps it), and one
block computes every (need, provider) score of the batch with a handful of array
operations (a few small matrix products and element-wise operations on an
``needs × providers`` grid). One need against all providers is the 1 × P case.

The rules are those of ``reference.py``; tests and the bench check agreement to 1e-9.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

import numpy as np

from app.catalog import (
    CERTIFICATIONS,
    COUNTRY_CODES,
    GDPR_REQUIREMENTS,
    HOURS,
    LANGUAGE_CODES,
    MAX_LEVEL_RANK,
    SECTORS,
    SERVICES,
    country_timezone,
    gdpr_offer_level,
)
from app.matching.features import NeedFeatures, ProviderFeatures
from app.matching.hours import overlap_fraction
from app.matching.reference import explain, need_criteria, need_missing
from app.matching.result import Excluded, MatchPage
from app.matching.weights import (
    CERT_EXTRA_FULL,
    CRITERIA,
    EXCLUSION_REASONS,
    FEEDBACK_PRIOR,
    LATER_SEATS_FACTOR,
    MAX_SCORE,
    NO_PRICE_FRACTION,
    SECTOR_FULL_YEARS,
    Weights,
)

__all__ = [
    "ProviderIndex",
    "NeedIndex",
    "ProviderIndexCache",
    "NeedIndexCache",
    "reasons_from_bits",
]

# fixed vocabularies (column order of the matrices)
_SERVICES = SERVICES.codes
_CERTS = CERTIFICATIONS.codes
_SECTORS = SECTORS.codes
_COUNTRIES = tuple(sorted(COUNTRY_CODES))
_LANGS = tuple(sorted(LANGUAGE_CODES))
_LEVELS = tuple(h.code for h in sorted(HOURS, key=lambda h: h.rank))
_SVC_COL = {c: i for i, c in enumerate(_SERVICES)}
_CERT_COL = {c: i for i, c in enumerate(_CERTS)}
_SECTOR_COL = {c: i for i, c in enumerate(_SECTORS)}
_COUNTRY_COL = {c: i for i, c in enumerate(_COUNTRIES)}
_LANG_COL = {c: i for i, c in enumerate(_LANGS)}
_LEVEL_COL = {c: i for i, c in enumerate(_LEVELS)}
_C = {c: i for i, c in enumerate(CRITERIA)}
_BIT = {r: np.uint8(1 << i) for i, r in enumerate(EXCLUSION_REASONS)}
_NO_DATE = np.iinfo(np.int64).max
#: _LANG_FRACTION[minimum, level]: the languages criterion for one language (0 when the
#: language is not required), same formula as the reference.
_LANG_FRACTION = np.array(
    [
        [
            0.0
            if m == 0
            else (
                1.0 if m >= MAX_LEVEL_RANK else 0.5 + 0.5 * (max(r, m) - m) / (MAX_LEVEL_RANK - m)
            )
            for r in range(MAX_LEVEL_RANK + 1)
        ]
        for m in range(MAX_LEVEL_RANK + 1)
    ]
)
_BLOCK_CELLS = 1 << 15  # cells per block: small blocks keep the temporaries in cache


def reasons_from_bits(bits: int) -> tuple[str, ...]:
    """Exclusion reason codes from the bit set the vectorised filters produce."""
    return tuple(r for i, r in enumerate(EXCLUSION_REASONS) if bits & (1 << i))


def _onehot(
    rows: Sequence[Iterable[str]], col: dict[str, int], dtype: type = np.float64
) -> np.ndarray:
    out: np.ndarray = np.zeros((len(rows), len(col)), dtype=dtype)
    r_idx, c_idx = [], []
    for r, codes in enumerate(rows):
        for code in codes:
            r_idx.append(r)
            c_idx.append(col[code])
    if r_idx:
        out[r_idx, c_idx] = 1
    return out


class _ProviderArrays:
    """Column-oriented encoding of providers (every array has one row per provider)."""

    ROW_FIELDS = (
        "services",
        "certs",
        "n_certs",
        "sector_frac",
        "lang",
        "country",
        "n_countries",
        "culture",
        "now",
        "later",
        "eff_nostart",
        "from_ord",
        "min_contract",
        "has_price",
        "pmin",
        "pmax",
        "gdpr",
        "outbound_ok",
        "verified",
        "has_fb",
        "fb_frac",
        "local",
    )

    def __init__(self, providers: Sequence[ProviderFeatures]) -> None:
        ps = list(providers)
        n = len(ps)
        self.n = n
        self.keys: list[tuple[tuple[str, ...], str]] = [(p.zones, p.hours) for p in ps]
        self.services = _onehot([p.services for p in ps], _SVC_COL)
        self.certs = _onehot([p.certifications for p in ps], _CERT_COL)
        self.n_certs = self.certs.sum(axis=1)
        self.sector_frac = np.zeros((n, len(_SECTORS)))
        self.lang = np.zeros((n, len(_LANGS)), dtype=np.int8)
        r_s, c_s, v_s, r_l, c_l, v_l = [], [], [], [], [], []
        for r, p in enumerate(ps):
            for code, years in p.sectors.items():
                r_s.append(r)
                c_s.append(_SECTOR_COL[code])
                v_s.append(years)
            for code, rank in p.languages.items():
                r_l.append(r)
                c_l.append(_LANG_COL[code])
                v_l.append(rank)
        if r_s:
            capped = np.minimum(np.asarray(v_s, dtype=np.float64), SECTOR_FULL_YEARS)
            self.sector_frac[r_s, c_s] = 0.5 + 0.5 * capped / SECTOR_FULL_YEARS
        if r_l:
            self.lang[r_l, c_l] = v_l
        self.country = _onehot([p.countries for p in ps], _COUNTRY_COL, bool)
        self.n_countries = self.country.sum(axis=1).astype(np.float64)
        self.culture = _onehot([p.culture_markets for p in ps], _COUNTRY_COL, bool)
        now = np.array([p.seats_available_now for p in ps], dtype=np.float64)
        at = np.array([p.seats_at_date for p in ps], dtype=np.float64)
        has_from = np.array([p.seats_available_from is not None for p in ps], dtype=bool)
        self.now = now
        self.later = np.where(has_from, np.maximum(now, at), now)
        self.eff_nostart = now + LATER_SEATS_FACTOR * (self.later - now)
        self.from_ord = np.array(
            [
                p.seats_available_from.toordinal() if p.seats_available_from else _NO_DATE
                for p in ps
            ],
            dtype=np.int64,
        )
        self.min_contract = np.array([p.min_contract_seats for p in ps], dtype=np.float64)
        self.has_price = np.array([p.price_min is not None for p in ps], dtype=bool)
        self.pmin = np.array(
            [np.nan if p.price_min is None else p.price_min for p in ps], dtype=np.float64
        )
        self.pmax = np.array(
            [np.nan if p.price_max is None else p.price_max for p in ps], dtype=np.float64
        )
        self.gdpr = np.array(
            [gdpr_offer_level(p.gdpr_dpa, p.gdpr_scc, p.gdpr_eu_hosting) for p in ps], dtype=np.int8
        )
        self.outbound_ok = np.array([p.bloctel_screening or p.opt_in_only for p in ps], dtype=bool)
        self.verified = np.array([1.0 if p.verified else 0.0 for p in ps])
        self.has_fb = np.array([p.has_feedback for p in ps], dtype=bool)
        self.fb_frac = np.array(
            [
                (p.feedback.count * p.feedback.mean_interest + FEEDBACK_PRIOR * 0.5)
                / (p.feedback.count + FEEDBACK_PRIOR)
                if p.feedback is not None and p.has_feedback
                else 0.0
                for p in ps
            ],
            dtype=np.float64,
        )
        # overlap with the need's hours in the provider's own zone (needs without markets)
        self.local = self._overlap_table(
            [(zones, hours, p.timezone) for (zones, hours), p in zip(self.keys, ps, strict=True)]
        )
        self._markets: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _overlap_table(keys: Sequence[tuple[tuple[str, ...], str, str | None]]) -> np.ndarray:
        """(n, 3) overlap fractions for the three hours levels, computed once per distinct
        key (zones, hours, market zone) and spread with one fancy-indexing operation."""
        distinct: dict[Any, int] = {}
        group = np.fromiter(
            (distinct.setdefault(k, len(distinct)) for k in keys), dtype=np.intp, count=len(keys)
        )
        values = np.array(
            [
                [overlap_fraction(zones, hours, zone, level) for level in _LEVELS]
                for zones, hours, zone in distinct
            ],
            dtype=np.float64,
        )
        return values.reshape(len(distinct), len(_LEVELS))[group]

    def market_overlap(self, market: str) -> np.ndarray:
        """(n, 3): share of ``market``'s hours (per level) each provider covers (cached)."""
        table = self._markets.get(market)
        if table is None:
            zone = country_timezone(market)
            table = self._overlap_table([(z, h, zone) for z, h in self.keys])
            with self._lock:
                self._markets[market] = table
        return table

    def precompute_markets(self, markets: Iterable[str]) -> None:
        for m in markets:
            self.market_overlap(m)

    def updated(
        self,
        positions: Sequence[int],
        replacement: _ProviderArrays,
        keep: np.ndarray,
        appended: _ProviderArrays,
    ) -> _ProviderArrays:
        """Copy with rows ``positions`` replaced by ``replacement``'s rows, rows where
        ``keep`` is False dropped, then ``appended``'s rows added at the end."""
        new = object.__new__(_ProviderArrays)
        pos = np.asarray(positions, dtype=np.intp)
        reshape = not keep.all() or appended.n > 0

        def rows(
            arr: np.ndarray, replacement_rows: np.ndarray, appended_rows: np.ndarray
        ) -> np.ndarray:
            arr = arr.copy()
            if len(pos):
                arr[pos] = replacement_rows
            return np.concatenate([arr[keep], appended_rows]) if reshape else arr

        for name in self.ROW_FIELDS:
            setattr(
                new,
                name,
                rows(getattr(self, name), getattr(replacement, name), getattr(appended, name)),
            )
        keys = list(self.keys)
        for i, k in zip(positions, replacement.keys, strict=True):
            keys[i] = k
        new.keys = [k for k, kept in zip(keys, keep, strict=True) if kept] + appended.keys
        new.n = len(new.keys)
        new._lock = threading.Lock()
        new._markets = {}
        for market, table in list(self._markets.items()):
            new._markets[market] = rows(
                table, replacement.market_overlap(market), appended.market_overlap(market)
            )
        return new


class _NeedArrays:
    """Column-oriented encoding of a batch of needs (one row per need)."""

    def __init__(self, needs: Sequence[NeedFeatures]) -> None:
        ns = list(needs)
        n = len(ns)
        self.n = n
        self.services = _onehot([x.services for x in ns], _SVC_COL)
        self.n_services = self.services.sum(axis=1)
        self.sector = np.array(
            [_SECTOR_COL[x.sector] if x.sector else -1 for x in ns], dtype=np.intp
        )
        self.lang_min = np.zeros((n, len(_LANGS)), dtype=np.int8)
        r_l, c_l, v_l = [], [], []
        for r, x in enumerate(ns):
            for code, rank in x.languages.items():
                r_l.append(r)
                c_l.append(_LANG_COL[code])
                v_l.append(rank)
        if r_l:
            self.lang_min[r_l, c_l] = v_l
        self.n_lang = (self.lang_min > 0).sum(axis=1).astype(np.float64)
        self.targets = _onehot([x.target_markets for x in ns], _COUNTRY_COL, bool)
        self.n_targets = self.targets.sum(axis=1).astype(np.float64)
        self.has_seats = np.array([x.seats is not None for x in ns], dtype=bool)
        self.seats = np.array([x.seats or 0 for x in ns], dtype=np.float64)
        self.has_start = np.array([x.start_date is not None for x in ns], dtype=bool)
        self.start_ord = np.array(
            [x.start_date.toordinal() if x.start_date else 0 for x in ns], dtype=np.int64
        )
        self.level = np.array([_LEVEL_COL[x.hours_level] for x in ns], dtype=np.intp)
        self.has_budget = np.array([x.budget_max is not None for x in ns], dtype=bool)
        self.budget = np.array(
            [x.budget_max if x.budget_max is not None else 0.0 for x in ns], dtype=np.float64
        )
        self.req_certs = _onehot([x.required_certifications for x in ns], _CERT_COL)
        self.gdpr = np.array([GDPR_REQUIREMENTS[x.gdpr].rank for x in ns], dtype=np.int8)
        self.outbound = np.array([x.outbound_fr_consumers for x in ns], dtype=bool)
        self.excl = _onehot([x.excluded_countries for x in ns], _COUNTRY_COL, bool)
        self.pref = _onehot([x.preferred_countries for x in ns], _COUNTRY_COL, bool)
        self.share = np.array([x.min_capacity_share for x in ns], dtype=np.float64)
        self.threshold = self.share * self.seats
        self.prio = _onehot([x.priorities for x in ns], _C, dtype=bool)
        apply = [need_criteria(x) for x in ns]
        self.applies = np.array([[a[c] for c in CRITERIA] for a in apply], dtype=bool).reshape(
            n, len(CRITERIA)
        )
        self._used_columns()

    def _used_columns(self) -> None:
        """Vocabulary columns that at least one need of the batch uses."""
        self.lang_cols = np.flatnonzero(self.lang_min.any(axis=0))
        self.t_cols = np.flatnonzero(self.targets.any(axis=0))
        self.ex_cols = np.flatnonzero(self.excl.any(axis=0))
        self.p_cols = np.flatnonzero(self.pref.any(axis=0))

    def take(self, rows: slice) -> _NeedArrays:
        if rows.start in (0, None) and (rows.stop is None or rows.stop >= self.n):
            return self
        new = object.__new__(_NeedArrays)
        for name, value in vars(self).items():
            setattr(new, name, value[rows] if isinstance(value, np.ndarray) else value)
        new.n = len(new.sector)
        new._used_columns()
        return new

    def weights(self, base: Weights) -> np.ndarray:
        """(n, C) effective weights of each need, zero where the criterion does not apply
        for the need (feedback is applied per provider later)."""
        base_vec = np.array([base.base()[c] for c in CRITERIA])
        prio = self.prio | np.array([c in base.priorities for c in CRITERIA])
        w = base_vec * np.where(prio, base.priority_factor, 1.0)
        return np.where(self.applies, w, 0.0)


def _score_block(
    nb: _NeedArrays, pa: _ProviderArrays, base: Weights
) -> tuple[np.ndarray, np.ndarray]:
    """(scores (N, P) with NaN for excluded pairs, exclusion bits (N, P) uint8)."""
    N, P = nb.n, pa.n
    W = nb.weights(base)
    reasons = np.zeros((N, P), dtype=np.uint8)
    num = np.zeros((N, P))

    def col(c: str) -> np.ndarray:  # weight column as (N, 1)
        return W[:, _C[c], None]

    with np.errstate(divide="ignore", invalid="ignore"):
        # ---- languages: filter and level above the minimum ------------------------------
        lang_cols = nb.lang_cols
        if len(lang_cols):
            acc = np.zeros((N, P))
            for j in lang_cols:
                m = nb.lang_min[:, j]
                r = pa.lang[:, j]
                rows = np.flatnonzero(m)
                if len(rows) == N:
                    reasons |= (m[:, None] > r[None, :]) * _BIT["language"]
                    acc += _LANG_FRACTION[m][:, r]
                else:
                    reasons[rows] |= (m[rows, None] > r[None, :]) * _BIT["language"]
                    acc[rows] += _LANG_FRACTION[m[rows]][:, r]
            num += col("languages") * (acc / np.maximum(nb.n_lang, 1.0)[:, None])
        # ---- certifications: required (filter) and extra (criterion) -------------------
        if nb.req_certs.any():
            have = nb.req_certs @ pa.certs.T
            reasons |= (have < nb.req_certs.sum(axis=1)[:, None]) * _BIT["certification"]
            extra = pa.n_certs[None, :] - have
        else:
            extra = np.broadcast_to(pa.n_certs, (N, P))
        num += col("certifications") * np.minimum(1.0, extra / CERT_EXTRA_FULL)
        # ---- excluded countries ---------------------------------------------------------
        ex_cols = nb.ex_cols
        if len(ex_cols):
            inside = nb.excl[:, ex_cols].astype(np.float64) @ pa.country[:, ex_cols].T.astype(
                np.float64
            )
            fail = (pa.n_countries[None, :] > 0) & (inside == pa.n_countries[None, :])
            reasons |= fail * _BIT["country"]
        # ---- outbound compliance, GDPR --------------------------------------------------
        if nb.outbound.any():
            reasons |= (nb.outbound[:, None] & ~pa.outbound_ok[None, :]) * _BIT[
                "outbound_compliance"
            ]
        if nb.gdpr.any():
            reasons |= (pa.gdpr[None, :] < nb.gdpr[:, None]) * _BIT["gdpr"]
        # ---- capacity: filter and criterion ---------------------------------------------
        if nb.has_seats.any():
            start = nb.has_start[:, None]
            ready = pa.from_ord[None, :] <= nb.start_ord[:, None]
            by_start = np.where(ready, pa.later[None, :], pa.now[None, :])
            counted = np.where(start, by_start, pa.later[None, :])
            eff = np.where(start, by_start, pa.eff_nostart[None, :])
            seats = nb.seats[:, None]
            reasons |= (nb.has_seats[:, None] & (counted < nb.threshold[:, None])) * _BIT[
                "capacity"
            ]
            f = np.minimum(1.0, eff / seats)
            mc = pa.min_contract[None, :]
            f = np.where(mc > seats, f * (seats / mc), f)
            num += col("capacity") * np.where(nb.has_seats[:, None], f, 0.0)
        # ---- services, sector, culture, preferred countries ----------------------------
        if nb.n_services.any():
            covered = nb.services @ pa.services.T
            num += col("services") * (covered / np.maximum(nb.n_services, 1.0)[:, None])
        if (nb.sector >= 0).any():
            num += col("sector") * pa.sector_frac[:, np.maximum(nb.sector, 0)].T
        t_cols = nb.t_cols
        if len(t_cols):
            known = nb.targets[:, t_cols].astype(np.float64) @ pa.culture[:, t_cols].T.astype(
                np.float64
            )
            num += col("culture") * (known / np.maximum(nb.n_targets, 1.0)[:, None])
        p_cols = nb.p_cols
        if len(p_cols):
            hit = (
                nb.pref[:, p_cols].astype(np.float64) @ pa.country[:, p_cols].T.astype(np.float64)
            ) > 0
            num += col("preferred_country") * hit
        # ---- price ----------------------------------------------------------------------
        if nb.has_budget.any():
            b = nb.budget[:, None]
            span = (pa.pmax - pa.pmin)[None, :]
            band = np.minimum(1.0, np.maximum(0.0, (b - pa.pmin[None, :]) / span))
            single = (pa.pmin[None, :] <= b).astype(np.float64)
            f = np.where(pa.has_price[None, :], np.where(span > 0, band, single), NO_PRICE_FRACTION)
            num += col("price") * f
        # ---- hours and time-zone overlap -----------------------------------------------
        hours_rows = np.flatnonzero(W[:, _C["hours"]])
        if len(hours_rows):
            lvl = nb.level
            f = np.zeros((N, P))
            local_rows = hours_rows[nb.n_targets[hours_rows] == 0]
            if len(local_rows):
                f[local_rows] = pa.local[:, lvl[local_rows]].T
            for j in t_cols:
                rows = np.flatnonzero(nb.targets[:, j])
                f[rows] += pa.market_overlap(_COUNTRIES[j])[:, lvl[rows]].T
            has_t = nb.n_targets > 0
            f[has_t] /= nb.n_targets[has_t, None]
            num += col("hours") * f
        # ---- verified, feedback ---------------------------------------------------------
        num += col("verified") * pa.verified[None, :]
        w_fb = col("feedback")
        num += w_fb * pa.fb_frac[None, :]
        den_base = np.delete(W, _C["feedback"], axis=1).sum(axis=1)[:, None]
        den = den_base + w_fb * pa.has_fb[None, :]
        # Rounding can put full marks an ulp above 100; the reference caps its total too.
        scores = np.clip(np.where(den > 0, 100.0 * num / den, 0.0), 0.0, MAX_SCORE)
    scores[reasons != 0] = np.nan
    return scores, reasons


def _rank(scores: np.ndarray, offset: int, limit: int) -> tuple[np.ndarray, int]:
    """Positions of the page (score descending to 1e-9, then position ascending) and the
    count of non-excluded candidates."""
    cand = np.flatnonzero(~np.isnan(scores))
    total = len(cand)
    k = offset + limit
    # equal scores computed through different float paths may differ in the last bits:
    # rank on 9 decimals so that ties are broken by position, deterministically
    s = np.round(scores[cand], 9)
    if 0 < k < total:
        kth = np.partition(-s, k - 1)[k - 1]
        sel = -s <= kth
        cand, s = cand[sel], s[sel]
    order = cand[np.lexsort((cand, -s))]
    return order[offset : offset + limit], total


def _check_page(limit: int, offset: int) -> None:
    if limit < 0 or offset < 0:
        raise ValueError("limit and offset must be >= 0")


class ProviderIndex:
    """All providers as arrays; score needs against them.

    Build once per process (``ProviderIndex.build``), refresh with ``updated()`` when
    profiles change (see ``ProviderIndexCache``). Read-only after build, safe to share
    between threads.
    """

    def __init__(self, providers: tuple[ProviderFeatures, ...], arrays: _ProviderArrays):
        self.providers = providers
        self._arrays = arrays
        self._pos = {p.id: i for i, p in enumerate(providers)}
        if len(self._pos) != len(providers):
            raise ValueError("provider ids must be unique")

    @classmethod
    def build(
        cls, providers: Sequence[ProviderFeatures], markets: Iterable[str] = ()
    ) -> ProviderIndex:
        """Index ``providers`` (order = tie-break order; pass them sorted by id).
        ``markets``: target markets whose overlap to precompute now (others are computed
        on first use and cached), e.g. ``app.catalog.CLIENT_MARKETS``."""
        providers = tuple(providers)
        arrays = _ProviderArrays(providers)
        arrays.precompute_markets(markets)
        return cls(providers, arrays)

    def __len__(self) -> int:
        return len(self.providers)

    @property
    def ids(self) -> list[Hashable]:
        return [p.id for p in self.providers]

    def get(self, provider_id: Hashable) -> ProviderFeatures | None:
        i = self._pos.get(provider_id)
        return None if i is None else self.providers[i]

    def updated(
        self, upserts: Sequence[ProviderFeatures] = (), removed_ids: Iterable[Hashable] = ()
    ) -> ProviderIndex:
        """A new index with ``upserts`` replacing (same id) or added after the existing
        providers and ``removed_ids`` dropped; only the changed rows are re-encoded."""
        removed = set(removed_ids)
        replace_pos, replace_rows, new_rows = [], [], []
        for p in upserts:
            if p.id in removed:
                continue
            i = self._pos.get(p.id)
            if i is None:
                new_rows.append(p)
            else:
                replace_pos.append(i)
                replace_rows.append(p)
        providers = list(self.providers)
        for i, p in zip(replace_pos, replace_rows, strict=True):
            providers[i] = p
        keep = np.array([p.id not in removed for p in providers], dtype=bool)
        arrays = self._arrays.updated(
            replace_pos, _ProviderArrays(replace_rows), keep, _ProviderArrays(new_rows)
        )
        kept = tuple(p for p, k in zip(providers, keep, strict=True) if k)
        return ProviderIndex(kept + tuple(new_rows), arrays)

    # -- scoring --------------------------------------------------------------------------
    def score_vector(
        self,
        need: NeedFeatures,
        weights: Weights | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(scores (P,) with NaN for excluded providers, exclusion bits (P,) uint8)."""
        scores, bits = _score_block(_NeedArrays([need]), self._arrays, weights or Weights())
        return scores[0], bits[0]

    def score(
        self,
        need: NeedFeatures,
        weights: Weights | None = None,
        *,
        limit: int = 20,
        offset: int = 0,
        include_excluded: bool = False,
    ) -> MatchPage:
        """Providers ranked for ``need`` (best first; ties in index order), a page of full
        matches with their parts, the total count, and optionally every excluded provider
        with its reasons. ``weights``: the event's (default weights if None)."""
        _check_page(limit, offset)
        weights = weights or Weights()
        scores, bits = self.score_vector(need, weights)
        page, total = _rank(scores, offset, limit)
        items = tuple(explain(need, self.providers[i], weights) for i in page)
        ex_pos = np.flatnonzero(bits)
        excluded = (
            tuple(Excluded(self.providers[i].id, reasons_from_bits(int(bits[i]))) for i in ex_pos)
            if include_excluded
            else ()
        )
        return MatchPage(
            items, total, offset, limit, len(ex_pos), excluded, _left_out(need), need_missing(need)
        )

    def score_matrix(
        self, needs: Sequence[NeedFeatures] | NeedIndex, weights: Weights | None = None
    ) -> np.ndarray:
        """(len(needs), len(providers)) float64 scores, NaN where excluded."""
        arrays = needs._arrays if isinstance(needs, NeedIndex) else _NeedArrays(needs)
        weights = weights or Weights()
        out = np.empty((arrays.n, self._arrays.n))
        step = max(1, _BLOCK_CELLS // max(1, self._arrays.n))
        for start in range(0, arrays.n, step):
            rows = slice(start, min(arrays.n, start + step))
            out[rows], _ = _score_block(arrays.take(rows), self._arrays, weights)
        return out


class NeedIndex:
    """All open needs as arrays; the inverse query: needs that fit one provider."""

    def __init__(self, needs: Sequence[NeedFeatures]) -> None:
        self.needs = tuple(needs)
        self._arrays = _NeedArrays(self.needs)
        self._pos = {x.id: i for i, x in enumerate(self.needs)}
        if len(self._pos) != len(self.needs):
            raise ValueError("need ids must be unique")

    @classmethod
    def build(cls, needs: Sequence[NeedFeatures]) -> NeedIndex:
        return cls(needs)

    def __len__(self) -> int:
        return len(self.needs)

    def get(self, need_id: Hashable) -> NeedFeatures | None:
        i = self._pos.get(need_id)
        return None if i is None else self.needs[i]

    def updated(
        self, upserts: Sequence[NeedFeatures] = (), removed_ids: Iterable[Hashable] = ()
    ) -> NeedIndex:
        removed = set(removed_ids)
        by_id = {x.id: x for x in upserts if x.id not in removed}
        kept = [by_id.pop(x.id, x) for x in self.needs if x.id not in removed]
        return NeedIndex(kept + list(by_id.values()))

    def score_vector(
        self,
        provider: ProviderFeatures,
        weights: Weights | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """(scores (N,) with NaN where the provider is excluded, exclusion bits (N,))."""
        pa = _ProviderArrays([provider])
        weights = weights or Weights()
        scores = np.empty(self._arrays.n)
        bits = np.empty(self._arrays.n, dtype=np.uint8)
        step = max(1, _BLOCK_CELLS)
        for start in range(0, self._arrays.n, step):
            rows = slice(start, min(self._arrays.n, start + step))
            s, b = _score_block(self._arrays.take(rows), pa, weights)
            scores[rows], bits[rows] = s[:, 0], b[:, 0]
        return scores, bits

    def score(
        self,
        provider: ProviderFeatures,
        weights: Weights | None = None,
        *,
        limit: int = 20,
        offset: int = 0,
        include_excluded: bool = False,
    ) -> MatchPage:
        """Needs ranked for ``provider`` (best first; ties in index order): a page of full
        matches, the total, and optionally every need that excludes the provider, with
        the reasons (``Excluded.id`` is then the need id). ``left_out``/``missing`` of the
        page are empty (they are per need: see each item)."""
        _check_page(limit, offset)
        weights = weights or Weights()
        scores, bits = self.score_vector(provider, weights)
        page, total = _rank(scores, offset, limit)
        items = tuple(explain(self.needs[i], provider, weights) for i in page)
        ex_pos = np.flatnonzero(bits)
        excluded = (
            tuple(Excluded(self.needs[i].id, reasons_from_bits(int(bits[i]))) for i in ex_pos)
            if include_excluded
            else ()
        )
        return MatchPage(items, total, offset, limit, len(ex_pos), excluded)


def _left_out(need: NeedFeatures) -> tuple[str, ...]:
    applies = need_criteria(need)
    return tuple(c for c in CRITERIA if not applies[c])


class ProviderIndexCache:
    """Per-process cache of the provider index, refreshed through a database version.

    The database keeps a counter incremented in the same transaction as every change to
    a provider profile (and stores, on each profile, the counter value of its last
    change). Each app process calls ``get(current_version)`` per request (one cheap
    SELECT); the index is rebuilt only when the counter moved:

    - ``load_all() -> Sequence[ProviderFeatures]``: every provider, ordered by id;
    - ``load_changes(since_version) -> (upserts, removed_ids)`` (optional): the profiles
      changed after ``since_version``, for an incremental refresh.
    """

    def __init__(
        self,
        load_all: Callable[[], Sequence[ProviderFeatures]],
        load_changes: Callable[[int], tuple[Sequence[ProviderFeatures], Iterable[Hashable]]]
        | None = None,
        markets: Iterable[str] = (),
    ) -> None:
        self._load_all = load_all
        self._load_changes = load_changes
        self._markets = tuple(markets)
        self._index: ProviderIndex | None = None
        self._version: int | None = None
        self._lock = threading.Lock()

    @property
    def version(self) -> int | None:
        return self._version

    def get(self, version: int) -> ProviderIndex:
        index = self._index
        if index is not None and self._version == version:
            return index
        with self._lock:
            if self._index is not None and self._version == version:
                return self._index
            if (
                self._index is not None
                and self._load_changes is not None
                and self._version is not None
                and version > self._version
            ):
                upserts, removed = self._load_changes(self._version)
                self._index = self._index.updated(upserts, removed)
            else:
                self._index = self._build(self._load_all())
            self._version = version
            return self._index

    def _build(self, items: Sequence[Any]) -> Any:
        return ProviderIndex.build(items, self._markets)

    def invalidate(self) -> None:
        with self._lock:
            self._index = None
            self._version = None


class NeedIndexCache(ProviderIndexCache):
    """The same per-process cache for the open needs (``NeedIndex``): ``load_all`` returns
    every open need, ``load_changes(since)`` -> (upserts, removed ids, e.g. closed needs)."""

    def _build(self, items: Sequence[Any]) -> Any:
        return NeedIndex.build(items)
