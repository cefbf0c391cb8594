"""The vectorised index: agreement with the reference, ranking, pages, refresh, inverse."""

from __future__ import annotations

import dataclasses
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.catalog import CLIENT_MARKETS
from app.matching import (
    NeedFeatures,
    NeedIndex,
    NeedIndexCache,
    ProviderFeatures,
    ProviderIndex,
    ProviderIndexCache,
    Weights,
    explain,
    reasons_from_bits,
    round_to_total,
    score_pair_reference,
)
from app.matching.synthetic import synthetic_needs, synthetic_providers


@pytest.fixture(scope="module")
def providers():
    return synthetic_providers(400, seed=11)


@pytest.fixture(scope="module")
def needs():
    return synthetic_needs(60, seed=12)


@pytest.fixture(scope="module")
def index(providers):
    return ProviderIndex.build(providers, markets=CLIENT_MARKETS)


def reference_matrix(needs, providers, weights):
    return np.array(
        [
            [np.nan if (s := score_pair_reference(n, p, weights)) is None else s for p in providers]
            for n in needs
        ]
    )


@pytest.mark.parametrize(
    "weights",
    [
        Weights(),
        Weights().merged({"price": 30, "verified": 0, "feedback": 12}, {"hours", "capacity"}),
    ],
)
def test_matrix_agrees_with_the_reference_on_random_data(index, providers, needs, weights):
    matrix = index.score_matrix(needs, weights)
    ref = reference_matrix(needs, providers, weights)
    assert matrix.shape == (len(needs), len(providers))
    assert np.array_equal(np.isnan(matrix), np.isnan(ref))
    assert np.nanmax(np.abs(matrix - ref)) <= 1e-9
    assert 0.05 < np.isnan(matrix).mean() < 0.95  # the data exercises both sides
    assert np.nanmin(matrix) >= 0 and np.nanmax(matrix) <= 100


def test_exclusion_bits_agree_with_explain(index, providers, needs):
    for need in needs[:15]:
        _, bits = index.score_vector(need)
        for j in range(0, len(providers), 7):
            expected = tuple(e.reason for e in explain(need, providers[j]).exclusions)
            assert reasons_from_bits(int(bits[j])) == expected


def test_score_vector_equals_matrix_rows(index, needs):
    matrix = index.score_matrix(needs[:5])
    for i, need in enumerate(needs[:5]):
        np.testing.assert_array_equal(index.score_vector(need)[0], matrix[i])


def test_ranked_pages(index, providers, needs):
    need = next(n for n in needs if np.sum(~np.isnan(index.score_vector(n)[0])) > 40)
    scores = index.score_vector(need)[0]
    full = index.score(need, limit=len(providers))
    assert full.total == int(np.sum(~np.isnan(scores)))
    ids = [m.provider_id for m in full.items]
    # best first; ties (to 1e-9) broken by position in the index (= id order here)
    for a, b in zip(full.items, full.items[1:], strict=False):
        assert a.score >= b.score - 1e-9
        if abs(a.score - b.score) < 1e-10:
            assert a.provider_id < b.provider_id
    page = index.score(need, limit=10, offset=20)
    assert [m.provider_id for m in page.items] == ids[20:30]
    assert page.total == full.total and page.offset == 20 and page.limit == 10
    for m in page.items:
        assert m.score == pytest.approx(scores[m.provider_id - 1], abs=1e-9)
        assert math.fsum(p.points for p in m.parts) == m.score
    assert index.score(need, limit=10, offset=full.total).items == ()
    with pytest.raises(ValueError):
        index.score(need, limit=-1)


def test_ties_at_the_page_boundary_are_deterministic():
    base = ProviderFeatures(id=0, languages={"fr": 7}, services={"inbound_care"})
    same = [dataclasses.replace(base, id=i) for i in (5, 3, 9, 1, 7)]
    index = ProviderIndex.build(same)
    need = NeedFeatures(id=1, services={"inbound_care"})
    assert [m.provider_id for m in index.score(need, limit=2).items] == [5, 3]
    assert [m.provider_id for m in index.score(need, limit=2, offset=2).items] == [9, 1]


def test_updated_index_equals_a_rebuilt_one(index, providers, needs):
    changed = [
        dataclasses.replace(providers[3], seats_available_now=999, verified=True),
        dataclasses.replace(providers[10], languages={"fr": 7, "de": 7}),
    ]
    added = synthetic_providers(5, seed=99)
    added = [dataclasses.replace(p, id=10_000 + p.id) for p in added]
    removed = [providers[0].id, providers[50].id]
    new = index.updated(changed + added, removed)
    expected = [p for p in providers if p.id not in removed]
    expected = [next((c for c in changed if c.id == p.id), p) for p in expected] + added
    rebuilt = ProviderIndex.build(expected)
    assert new.ids == rebuilt.ids and len(new) == len(providers) - 2 + 5
    np.testing.assert_array_equal(new.score_matrix(needs[:20]), rebuilt.score_matrix(needs[:20]))
    assert new.get(providers[3].id).seats_available_now == 999
    assert new.get(providers[0].id) is None
    assert len(index) == len(providers)  # the old index is untouched


def test_cache_refreshes_on_a_version_change(providers):
    loads, changes = [], []
    current = list(providers[:50])

    def load_all():
        loads.append(1)
        return current

    def load_changes(since):
        changes.append(since)
        return [dataclasses.replace(current[0], verified=not current[0].verified)], [current[1].id]

    cache = ProviderIndexCache(load_all, load_changes)
    a = cache.get(1)
    assert cache.get(1) is a and len(loads) == 1
    b = cache.get(2)
    assert b is not a and changes == [1] and len(b) == 49
    assert b.get(current[0].id).verified != current[0].verified
    cache.invalidate()
    cache.get(2)
    assert len(loads) == 2
    plain = ProviderIndexCache(load_all)
    plain.get(1)
    plain.get(2)
    assert len(loads) == 4


def test_need_index_cache(needs):
    cache = NeedIndexCache(
        lambda: needs[:10], lambda since: ([dataclasses.replace(needs[0], seats=7)], [needs[1].id])
    )
    first = cache.get(3)
    assert isinstance(first, NeedIndex) and len(first) == 10 and cache.get(3) is first
    second = cache.get(4)
    assert len(second) == 9 and second.get(needs[0].id).seats == 7 and cache.version == 4


def test_need_index_inverse_query(providers, needs):
    need_index = NeedIndex.build(needs)
    for provider in providers[:12]:
        scores, bits = need_index.score_vector(provider)
        for i, need in enumerate(needs):
            ref = score_pair_reference(need, provider)
            if ref is None:
                assert np.isnan(scores[i]) and bits[i]
            else:
                assert abs(scores[i] - ref) <= 1e-9 and not bits[i]
    provider = providers[2]
    page = need_index.score(provider, limit=5, include_excluded=True)
    assert all(m.provider_id == provider.id for m in page.items)
    assert page.total + page.excluded_total == len(needs)
    assert [m.score for m in page.items] == sorted((m.score for m in page.items), reverse=True)
    assert len(page.excluded) == page.excluded_total
    smaller = need_index.updated([dataclasses.replace(needs[0], seats=None)], [needs[1].id])
    assert len(smaller) == len(needs) - 1 and smaller.get(needs[0].id).seats is None
    matrix = ProviderIndex.build(providers[:12]).score_matrix(need_index)
    np.testing.assert_allclose(matrix[:, 0], need_index.score_vector(providers[0])[0], atol=1e-9)


def test_empty_inputs():
    index = ProviderIndex.build([])
    page = index.score(NeedFeatures(id=1))
    assert page.items == () and page.total == 0
    assert index.score_matrix([NeedFeatures(id=1)]).shape == (1, 0)
    assert ProviderIndex.build([ProviderFeatures(id=1)]).score_matrix([]).shape == (0, 1)
    with pytest.raises(ValueError):
        ProviderIndex.build([ProviderFeatures(id=1), ProviderFeatures(id=1)])


@pytest.mark.parametrize(
    "values",
    [
        [10.64, 10.64, 15.96, 3.19, 10.64, 6.38, 10.64, 3.19, 3.19],
        [33.333333, 33.333333, 33.333334],
        [0.05, 0.05, 0.05, 0.05],
        [100.0],
        [],
    ],
)
def test_round_to_total(values):
    rounded = round_to_total(values)
    assert round(sum(r * 10 for r in rounded)) == math.floor(sum(values) * 10 + 0.5 + 1e-9)
    assert all(abs(r - v) < 0.1 + 1e-9 for r, v in zip(rounded, values, strict=True))


def test_display_rounding_parts_add_up_and_stay_under_their_maximum(index, needs, providers):
    for need in needs[:20]:
        for m in index.score(need, limit=15).items:
            shown, parts = m.display()
            assert round(sum(p.points for p in parts) * 10) == round(shown * 10)
            assert round(sum(p.max_points for p in parts) * 10) == 1000
            assert all(p.points <= p.max_points for p in parts)
            for p, raw in zip(parts, m.parts, strict=True):
                assert abs(p.points - raw.points) < 0.1 + 1e-9
                assert abs(p.max_points - raw.max_points) < 0.1 + 1e-9


def test_engine_is_pure():
    """No web or database import: the engine loads without FastAPI, SQLAlchemy or Jinja."""
    code = (
        "import sys, app.matching, app.matching.sentences, app.catalog; "
        "bad = {m.split('.')[0] for m in sys.modules} & "
        "{'fastapi', 'starlette', 'sqlalchemy', 'jinja2', 'pydantic', 'alembic'}; "
        "assert not bad, bad; "
        "assert not any(m.startswith('app.') and not m.startswith(('app.matching', "
        "'app.catalog')) for m in sys.modules)"
    )
    subprocess.run(
        [sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2]
    )
