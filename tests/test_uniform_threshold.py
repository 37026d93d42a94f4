"""The integer form of ``U < p`` on the xoshiro stream (the two-Gaussian mixture's component
choice): ``(r >> 11) < ⌈p·2⁵³⌉`` decides exactly as the double ``(r >> 11)·2⁻⁵³ < p``, so the
kernel's draws are those of the double comparison, bit for bit."""

import numpy as np
import pytest

from dropmc.simulations.variance_constancy._shared import _below_53

TWO53 = 2.0 ** 53


def _as_double(k: int) -> float:
    return float(k) * (1.0 / 9007199254740992.0)


@pytest.mark.parametrize("p", [0.0, 1.0, 0.3, 0.5, 2.0 ** -53, 1.0 - 2.0 ** -53, 3 * 2.0 ** -53,
                               0.1, 0.7, 0.9999999999999999, 1e-300])
def test_integer_threshold_decides_as_the_double(p):
    t = int(_below_53(p))
    assert 0 <= t <= 2 ** 53
    words = {0, 1, 2 ** 53 - 1, max(t - 1, 0), t, min(t + 1, 2 ** 53 - 1)}
    words |= set(np.random.default_rng(7).integers(0, 2 ** 53, 2000).tolist())
    for k in words:
        assert (k < t) == (_as_double(k) < p), (p, k, t)


def test_integer_threshold_on_random_probabilities():
    rng = np.random.default_rng(11)
    for p in rng.random(200):
        t = int(_below_53(float(p)))
        for k in (t - 1, t, int(p * TWO53)):
            if 0 <= k < 2 ** 53:
                assert (k < t) == (_as_double(k) < p)
