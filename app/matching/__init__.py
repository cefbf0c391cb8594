"""Scoring engine (engine 1): pure, vectorised, explainable. No web or database import.

Input: :class:`ProviderFeatures` and :class:`NeedFeatures` (plain frozen dataclasses the
database layer fills) and :class:`Weights`. Output: :class:`Match` (score 0–100 with its
parts, left-out criteria, what the need is missing, exclusion reasons) and
:class:`MatchPage`. Sentences in the user's language come from :func:`sentences` with a
gettext callable (domain ``matching``).

    index = ProviderIndex.build(providers, markets=CLIENT_MARKETS)
    page = index.score(need, Weights().merged(event.weight_overrides), limit=20)
    for m in page.items:
        score, parts = m.display()              # rounded, parts add up
        lines = sentences(m, translations.gettext, locale="fr")

See ``reference.py`` for the rules and ``weights.py`` for the defaults.
"""

from app.matching.features import FeedbackSummary, NeedFeatures, ProviderFeatures, Site
from app.matching.hours import overlap_fraction
from app.matching.index import (
    NeedIndex,
    NeedIndexCache,
    ProviderIndex,
    ProviderIndexCache,
    reasons_from_bits,
)
from app.matching.reference import explain, need_criteria, need_missing, score_pair_reference
from app.matching.result import (
    DisplayPart,
    Excluded,
    Exclusion,
    Match,
    MatchPage,
    Part,
    round_to_total,
)
from app.matching.weights import (
    CRITERIA,
    DEFAULT_WEIGHTS,
    EXCLUSION_REASONS,
    PRIORITY_FACTOR,
    Weights,
)

__all__ = [
    "ProviderFeatures",
    "NeedFeatures",
    "Site",
    "FeedbackSummary",
    "Weights",
    "CRITERIA",
    "DEFAULT_WEIGHTS",
    "EXCLUSION_REASONS",
    "PRIORITY_FACTOR",
    "ProviderIndex",
    "NeedIndex",
    "ProviderIndexCache",
    "NeedIndexCache",
    "reasons_from_bits",
    "explain",
    "score_pair_reference",
    "need_criteria",
    "need_missing",
    "overlap_fraction",
    "Match",
    "MatchPage",
    "Part",
    "Exclusion",
    "Excluded",
    "DisplayPart",
    "round_to_total",
]
