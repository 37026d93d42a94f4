"""Appendices C–D of Baldi & Sadowski: higher-order moments (Eq. 212–216) and the derivatives
of the logistic function and their expectations (Eq. 217–223)."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from dropmc._validation import check_array, check_int, check_open_unit, check_real
from dropmc.theory.ensemble_averaging._shared import check_logistic, check_weights, logistic


# ------------------------------------------------------------------------------------------
# Appendix C and D: moments and derivatives
# ------------------------------------------------------------------------------------------

#: the largest power k of Eq. 213 (its polynomial 1 + O + … + O^{k−1} is summed term by term)
MAX_POWER = 10_000


def eq213_nwgm_power(O, P, k: int) -> float:
    r"""Eq. 213, right: :math:`1/(1 + \prod_i(\frac{(1-O_i)(1+O_i+\dots+O_i^{k-1})}{O_i^k})^{P_i})`."""
    check_weights("P", P, check_open_unit("O", check_array("O", O, ndim=1)).size,
                  of="O")
    O = np.asarray(O, float)
    P = np.asarray(P, float)
    k = check_int("k", k, minimum=1, maximum=MAX_POWER)
    poly = sum(O ** j for j in range(k))
    lr = P @ (np.log1p(-O) + np.log(poly) - k * np.log(O))
    return float(special.expit(-lr))


def eq214_middle_as_printed(O, P) -> float:
    r"""Eq. 214 middle as printed: :math:`1/(1 + \prod_i(\frac{(1-O_i)(1+O_i)}{O_i})^{P_i})`."""
    check_weights("P", P, check_open_unit("O", check_array("O", O, ndim=1)).size,
                  of="O")
    O = np.asarray(O, float)
    P = np.asarray(P, float)
    return float(special.expit(-(P @ (np.log1p(-O) + np.log1p(O) - np.log(O)))))


def eq214_right(S, P, c: float = 1.0, lam: float = 1.0) -> float:
    r"""Eq. 214 right: :math:`1/(1 + ce^{-\lambda E(S)}\prod_i(2 + ce^{-\lambda S_i})^{P_i})`."""
    check_weights("P", P, check_array("S", S, ndim=1).size)
    c, lam = check_logistic(c, lam)
    S = np.asarray(S, float)
    P = np.asarray(P, float)
    lr = math.log(c) - lam * (P @ S) + P @ np.log(2 + c * np.exp(-lam * S))
    return float(special.expit(-lr))


def eq216_as_printed(O, c: float = 1.0, lam: float = 1.0):
    """Eq. 216 as printed: S = (1/λ) cO/(1 − O)."""
    check_open_unit("O", O)
    O = np.asarray(O, float)
    c, lam = check_logistic(c, lam)
    return c * O / (1 - O) / lam


def logistic_inverse(O, c: float = 1.0, lam: float = 1.0):
    """The inverse of Eq. 27: S = (1/λ) log(cO/(1 − O))."""
    check_open_unit("O", O)
    O = np.asarray(O, float)
    c, lam = check_logistic(c, lam)
    return (math.log(c) + np.log(O) - np.log1p(-O)) / lam


def eq217_series(eps, c: float = 1.0, lam: float = 1.0, terms: int = 200):
    r"""Eq. 217: :math:`S = \frac1\lambda\log c + \frac1\lambda\sum_{n\ge0}2\frac{(2\epsilon)^{2n+1}}{2n+1}`.

    The series is 2 atanh(2ε) = log(O/(1 − O)) and converges only for |ε| < ½ (O inside
    (0, 1)); beyond, a truncated sum would be a finite number with no meaning, so such ε is
    refused.
    """
    eps = np.asarray(eps, float)
    c, lam = check_logistic(c, lam)
    outside = ~(np.abs(eps) < 0.5)  # NaN included
    if np.any(outside):
        bad = float(eps[outside].flat[0])
        raise ValueError(f"eps must lie in (-1/2, 1/2), where the series of Eq. 217 converges; "
                         f"got {bad!r}")
    n = np.arange(check_int("terms", terms, minimum=1)).reshape((-1,) + (1,) * eps.ndim)
    s = np.sum(2 * (2 * eps[None, ...]) ** (2 * n + 1) / (2 * n + 1), axis=0)
    return (math.log(c) + s) / lam


def dsigma(S, c: float = 1.0, lam: float = 1.0):
    """σ'(x) = λσ(1 − σ) = λce^{−λx}/(1 + ce^{−λx})² (Appendix D)."""
    s = logistic(S, c, lam)
    return lam * s * (1 - s)


def d2sigma_as_printed(S, c: float = 1.0, lam: float = 1.0):
    """Appendix D as printed: σ''(x) = λσ(1 − σ)(1 − 2σ)."""
    s = logistic(S, c, lam)
    return lam * s * (1 - s) * (1 - 2 * s)


def d2sigma(S, c: float = 1.0, lam: float = 1.0):
    """The second derivative of Eq. 27: λ²σ(1 − σ)(1 − 2σ)."""
    s = logistic(S, c, lam)
    return lam * lam * s * (1 - s) * (1 - 2 * s)


def eq221_ratio(S, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 221: :math:`(1-\sigma')/\sigma' = \frac{1}{\lambda c}e^{\lambda S} + \frac2\lambda - 1
    + \frac c\lambda e^{-\lambda S}`."""
    S = np.asarray(S, float)
    c, lam = check_logistic(c, lam)
    return np.exp(lam * S) / (lam * c) + 2 / lam - 1 + c / lam * np.exp(-lam * S)


def eq222_series(S, terms: int = 60):
    r"""Eq. 222 (c = λ = 1): :math:`3 + \sum_{n\ge1}2S^{2n}/(2n)!`."""
    S = np.asarray(S, float)
    n = np.arange(1, check_int("terms", terms, minimum=2)).reshape((-1,) + (1,) * S.ndim)
    return 3 + np.sum(2 * S[None, ...] ** (2 * n) / special.factorial(2 * n), axis=0)


def eq223(ES2, lam: float = 1.0):
    """Eq. 223: E(σ'(S)) ≈ 1/(4 + λ²E(S²))."""
    lam = check_real("lam", lam)
    return 1.0 / (4 + lam * lam * np.asarray(ES2, float))


def eq223_corrected(ES2, lam: float = 1.0):
    """Eq. 223 for c = 1 and any λ: E(σ'(S)) ≈ λ/(4 + λ²E(S²)) (σ'(S) = λ/(2 + 2cosh λS))."""
    lam = check_real("lam", lam)
    return lam / (4 + lam * lam * np.asarray(ES2, float))
