"""Helpers several sections of the Littwin–Wolf closed forms use: the moments of a Gaussian
mixture (Eq. 8 per component) and the check of a batch size."""

from __future__ import annotations

import numpy as np

from dropmc._validation import check_count


def _mixture_central(weights, means, variances):
    """Mean, variance and central m4 of Σ w_i N(m_i, v_i) by Eq. 8 applied per component."""
    w = np.asarray(weights, float)
    m = np.asarray(means, float)
    v = np.asarray(variances, float)
    mu = float(w @ m)
    d = m - mu
    var = float(w @ (d * d + v))
    m4 = float(w @ (d ** 4 + 6 * d * d * v + 3 * v * v))
    return mu, var, m4


def _check_n(n) -> int:
    """A batch size: an integer in [2, 2**63 − 1]."""
    return check_count("n", n, minimum=2)
