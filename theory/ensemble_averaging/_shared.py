"""Pieces of the Baldi–Sadowski closed forms used by several sections: argument validation, the
logistic function of Eq. 27 (and its logarithm, and a version for complex arguments) and
√(2π)."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from dropmc._validation import check_array, check_probabilities, check_real

SQRT_2PI = math.sqrt(2.0 * math.pi)


# ------------------------------------------------------------------------------------------
# validation helpers
# ------------------------------------------------------------------------------------------


def check_weights(name: str, P, m: int | None = None, *, of: str = "the values",
                  atol: float = 1e-9) -> np.ndarray:
    """Probability vector: finite, non-negative, summing to 1 (within ``atol``); with ``m``, one
    weight per value of the argument named ``of`` (an error names both)."""
    P = check_array(name, P, ndim=1)
    if m is not None and P.shape[0] != m:
        raise ValueError(f"{name} must have shape ({m},) to match the {m} values of {of}, got "
                         f"{P.shape}")
    if np.any(P < 0):
        raise ValueError(f"{name} must be non-negative; entry {int(np.argmin(P))} is {P.min()!r}")
    s = float(P.sum())
    if abs(s - 1.0) > atol:
        raise ValueError(f"{name} must sum to 1 (a distribution over subnetworks), got sum {s!r}")
    return P


def check_logistic(c, lam) -> tuple[float, float]:
    """``c > 0`` and finite λ. Eq. 27 allows c ≥ 0, but c = 0 is the constant 1, which has
    no log c: every form here is written with log c (the logistic as expit(λS − log c)), so
    c = 0 is refused with that reason rather than failing as a math domain error."""
    c = check_real("c", c, lo=0.0)
    if c == 0.0:
        raise ValueError("c must be > 0: c = 0 makes σ the constant 1 (Eq. 27), which has no "
                         "log c, and the forms here are written with log c")
    lam = check_real("lam", lam)
    return c, lam


#: probabilities in [0, 1], a scalar or an array of the given shape
_probs = check_probabilities


# ------------------------------------------------------------------------------------------
# Eq. 27: the logistic function (Section 4.1), used from Section 4 on
# ------------------------------------------------------------------------------------------


def logistic(S, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 27: :math:`\sigma(S) = 1/(1 + ce^{-\lambda S})`, evaluated stably."""
    c, lam = check_logistic(c, lam)
    S = np.asarray(S, dtype=float)
    if c == 0.0:
        return np.ones_like(S)
    return special.expit(lam * S - math.log(c))


def log_logistic(S, c: float = 1.0, lam: float = 1.0):
    """log σ(S) and log(1 − σ(S)) without cancellation."""
    c, lam = check_logistic(c, lam)
    x = lam * np.asarray(S, dtype=float) - math.log(c)
    return -np.logaddexp(0.0, -x), -np.logaddexp(0.0, x)


def _sigma_c(S, c: float = 1.0, lam: float = 1.0):
    """Eq. 27 for real or complex S (for complex-step derivatives)."""
    return 1.0 / (1.0 + c * np.exp(-lam * S))
