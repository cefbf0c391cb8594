"""Hypothesis profiles, loaded by tests/conftest.py before any test module is imported.

- ``ci`` (chosen when ``CI=true``, as ``.ci/run`` sets it): derandomised, so a build that
  passed once passes again on the same commit; no example database, no deadline (a shared
  machine's timing is not the code's), and a failure prints the blob that reproduces it.
- ``dev`` (the default elsewhere): random examples on each run, so local runs keep
  exploring; failures are remembered in ``.hypothesis/`` and replayed first.
- ``thorough`` (``HYPOTHESIS_PROFILE=thorough``): ten times the examples, for a deliberate
  hunt after a change to the scoring rules.

Tests that set their own ``max_examples`` should scale it with :func:`examples`.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

#: Examples per property test in each profile (hypothesis' own default is 100).
EXAMPLES = {"dev": 100, "ci": 150, "thorough": 1000}

settings.register_profile(
    "ci",
    max_examples=EXAMPLES["ci"],
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "dev", max_examples=EXAMPLES["dev"], deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "thorough",
    max_examples=EXAMPLES["thorough"],
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def profile_name() -> str:
    """``HYPOTHESIS_PROFILE`` if set, else ``ci`` under ``CI=true``, else ``dev``."""
    explicit = os.environ.get("HYPOTHESIS_PROFILE")
    if explicit:
        return explicit
    return "ci" if os.environ.get("CI", "").lower() == "true" else "dev"


def examples(share: float) -> int:
    """``share`` of the loaded profile's examples (at least 10): for a property whose single
    example is costly, so it runs lighter than the cheap ones but grows with the profile."""
    return max(10, round(settings.default.max_examples * share))


settings.load_profile(profile_name())
