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
