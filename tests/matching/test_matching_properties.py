"""Property-based tests (hypothesis) of the scoring engine."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from app.catalog import CERTIFICATIONS, SECTORS, SERVICES
from app.matching import (
    NeedFeatures,
    ProviderFeatures,
    ProviderIndex,
    Weights,
    explain,
    score_pair_reference,
)
from tests.hypothesis_profiles import examples
from tests.matching.strategies import LANGS, needs, providers

# Counts follow the loaded profile (tests/hypothesis_profiles.py): 100 locally, 150 in CI.
SETTINGS = settings(max_examples=examples(1.0))
weights_st = st.builds(
    lambda vals, prios: Weights().merged(vals, prios),
    st.dictionaries(
        st.sampled_from(
            ("services", "price", "hours", "verified", "feedback", "capacity", "languages")
        ),
        st.floats(0, 50, allow_nan=False),
        max_size=4,
    ),
    st.frozensets(st.sampled_from(("services", "price", "sector")), max_size=2),
)


# A provider with full marks on every criterion the need expresses (services, sector, price,
# certifications, verified): rounding of 100·w/Σw once put these pairs at 100.00000000000001.
FULL_MARKS_NEED = NeedFeatures(
    id=1, services=frozenset({SERVICES.codes[0]}), sector=SECTORS.codes[0], budget_max=30.0
)
FULL_MARKS_PROVIDER = ProviderFeatures(
    id=0,
    services=frozenset({SERVICES.codes[0]}),
    sectors={SECTORS.codes[0]: 10},
    price_min=10.0,
    price_max=12.0,
    certifications=frozenset(CERTIFICATIONS.codes[:2]),
    verified=True,
)
#: The per-pair sum went over 100 with these weights ...
REFERENCE_OVERSHOOT = Weights().merged({"services": 0.0, "price": 2.0, "verified": 40.0})
#: ... and the vectorised 100·Σwf/Σw with these.
VECTORISED_OVERSHOOT = Weights().merged({"services": 34.0, "price": 17.6, "verified": 40.8})


def _rank(score):
    """Excluded counts as the lowest possible outcome."""
    return -1.0 if score is None else score


@SETTINGS
@given(needs(), providers(), weights_st)
@example(FULL_MARKS_NEED, FULL_MARKS_PROVIDER, REFERENCE_OVERSHOOT)
@example(FULL_MARKS_NEED, FULL_MARKS_PROVIDER, VECTORISED_OVERSHOOT)
def test_parts_add_up_to_the_score_and_score_within_0_100(need, provider, weights):
    m = explain(need, provider, weights)
    if m.score is None:
        assert m.exclusions and not m.parts
        return
    assert 0.0 <= m.score <= 100.0
    assert math.fsum(p.points for p in m.parts) == m.score
    for p in m.parts:
        assert 0.0 <= p.points <= p.max_points + 1e-12
        assert 0.0 <= p.fraction <= 1.0
    if sum(p.max_points for p in m.parts) > 0:
        assert math.isclose(math.fsum(p.max_points for p in m.parts), 100.0)
    shown, parts = m.display()
    assert round(sum(round(p.points * 10) for p in parts)) == round(shown * 10)
    assert abs(shown - m.score) <= 0.05 + 1e-9
    assert all(p.points <= p.max_points for p in parts)
    assert score_pair_reference(need, provider, weights) == m.score


@SETTINGS
@given(needs(), providers(), st.sampled_from(LANGS + ("it", "pt")), st.integers(1, 7))
def test_adding_a_required_language_the_provider_lacks_never_raises_the_score(
    need, provider, lang, level
):
    assume(provider.languages.get(lang, 0) < level)
    assume(lang not in need.languages)
    before = score_pair_reference(need, provider)
    harder = dataclasses.replace(need, languages={**need.languages, lang: level})
    after = score_pair_reference(harder, provider)
    assert after is None  # lacking a required language excludes the provider
    assert _rank(after) <= _rank(before)


@SETTINGS
@given(needs(), providers(), st.integers(0, 300), st.integers(0, 300), st.integers(0, 300))
def test_raising_a_providers_seats_never_lowers_the_score(need, provider, d_now, d_at, d_tot):
    more = dataclasses.replace(
        provider,
        seats_available_now=provider.seats_available_now + d_now,
        seats_at_date=provider.seats_at_date + d_at,
        seats_total=provider.seats_total + d_tot,
    )
    before, after = score_pair_reference(need, provider), score_pair_reference(need, more)
    assert _rank(after) >= _rank(before) - 1e-9


@SETTINGS
@given(needs(), providers(), st.sampled_from(LANGS), st.integers(1, 7))
def test_raising_a_providers_language_level_never_lowers_the_score(need, provider, lang, new):
    assume(new > provider.languages.get(lang, 0))
    better = dataclasses.replace(provider, languages={**provider.languages, lang: new})
    before, after = score_pair_reference(need, provider), score_pair_reference(need, better)
    assert _rank(after) >= _rank(before) - 1e-9


@settings(max_examples=examples(0.3))  # up to 25 providers x 6 needs per example
@given(
    st.lists(providers(), min_size=1, max_size=25),
    st.lists(needs(), min_size=1, max_size=6),
    weights_st,
)
@example([FULL_MARKS_PROVIDER], [FULL_MARKS_NEED], VECTORISED_OVERSHOOT)
@example([FULL_MARKS_PROVIDER], [FULL_MARKS_NEED], REFERENCE_OVERSHOOT)
def test_vectorised_index_agrees_with_the_reference(provs, need_list, weights):
    provs = [dataclasses.replace(p, id=i) for i, p in enumerate(provs)]
    index = ProviderIndex.build(provs)
    matrix = index.score_matrix(need_list, weights)
    for i, need in enumerate(need_list):
        for j, p in enumerate(provs):
            ref = score_pair_reference(need, p, weights)
            if ref is None:
                assert np.isnan(matrix[i, j])
            else:
                assert abs(matrix[i, j] - ref) <= 1e-9
                assert 0.0 <= matrix[i, j] <= 100.0


@SETTINGS
@given(needs(lenient=True), providers())
def test_lenient_needs_score_every_provider(need, provider):
    """Without hard filters (lenient need) every provider gets a score."""
    assert score_pair_reference(need, provider) is not None
