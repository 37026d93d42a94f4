"""Shared test settings: hypothesis profile and small helpers."""

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

# deterministic hypothesis runs in CI (derandomize) with a modest budget on 2 cores
settings.register_profile("dropmc", max_examples=60, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.differing_executors])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dropmc"))


@pytest.fixture
def rng():
    return np.random.default_rng(20261123)


#: one quick-precision evaluation per (claim, seed) per session: the per-paper verdict tests
#: and the known-answer test (tests/test_known_answers.py) share it, so each claim is decided
#: once
_QUICK: dict = {}


def evaluate_quick(claim, seed: int):
    """``runner.evaluate(claim, seed=seed, precision="quick")``, cached for the session. An
    exception inside the claim is re-raised (as ``catch=False`` would)."""
    from dropmc.runner import evaluate

    key = (claim.id, int(seed))
    if key not in _QUICK:
        try:
            _QUICK[key] = evaluate(claim, seed=seed, precision="quick", catch=False)
        except Exception as exc:  # noqa: BLE001 - re-raised for every test that asks
            _QUICK[key] = exc
    r = _QUICK[key]
    if isinstance(r, Exception):
        raise r
    return r
