"""Section 7.1 of Baldi & Sadowski: the functional class of transfer functions for which the NWGM
commutes with the unit (Eq. 59–67)."""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from dropmc._validation import check_array, check_probability, check_real
from dropmc.theory.ensemble_averaging._shared import check_logistic, logistic


# ------------------------------------------------------------------------------------------
# Section 7.1: the functional class
# ------------------------------------------------------------------------------------------


def tanh_unit(x):
    """(1 + tanh x)/2 = 1/(1 + e^{−2x}) (Section 7.1)."""
    return 0.5 * (1 + np.tanh(np.asarray(x, float)))


def arctan_unit(x):
    """arctan rescaled to (0, 1): 1/2 + arctan(x)/π."""
    return 0.5 + np.arctan(np.asarray(x, float)) / math.pi


def algebraic_unit(x):
    """x/√(1 + x²) rescaled to (0, 1): (1 + x/√(1+x²))/2 (0 and 1 at −∞ and +∞)."""
    # beyond |x| = 1e150, x/√(1 + x²) is ±1 in double precision (and x² would overflow)
    x = np.clip(np.asarray(x, float), -1e150, 1e150)
    return 0.5 * (1 + x / np.sqrt(1 + x * x))


def eq60_sides(f, u: float, v: float, p: float, logf=None) -> tuple[float, float]:
    r"""Eq. 60: left :math:`\frac{f(u)^pf(v)^{1-p}}{f(u)^pf(v)^{1-p}+(1-f(u))^p(1-f(v))^{1-p}}`
    (in the log domain; ``logf(x)`` may return (log f, log(1 − f)) without rounding f next to 0
    or 1), right :math:`f(pu + (1-p)v)`."""
    check_real("u", u)
    check_real("v", v)
    check_probability("p", p, allow_zero=True)
    if logf is None:
        fu, fv = float(f(u)), float(f(v))
        lu, l1u, lv, l1v = math.log(fu), math.log1p(-fu), math.log(fv), math.log1p(-fv)
    else:
        lu, l1u = (float(x) for x in logf(u))
        lv, l1v = (float(x) for x in logf(v))
    lg = p * lu + (1 - p) * lv
    lg1 = p * l1u + (1 - p) * l1v
    return float(special.expit(lg - lg1)), float(f(p * u + (1 - p) * v))


def _check_value(name: str, f) -> None:
    """A value of a member of the class strictly inside (0, 1), as its logit requires."""
    check_real(name, f, lo=0.0, hi=1.0, lo_open=True, hi_open=True)


def _check_two_points(fu, fv, u, v) -> None:
    """f(u), f(v) strictly inside (0, 1) at two distinct finite points u, v."""
    _check_value("fu", fu)
    _check_value("fv", fv)
    if check_real("u", u) == check_real("v", v):
        raise ValueError(f"u and v must be distinct points, got u = v = {u!r}")


def eq61(fu: float, fv: float, u: float, v: float, x):
    r"""Eq. 61: :math:`f(x) = 1/(1 + (\frac{1-f(u)}{f(u)})^{\frac{v-x}{v-u}}
    (\frac{1-f(v)}{f(v)})^{\frac{x-u}{v-u}})`, for finite x."""
    _check_two_points(fu, fv, u, v)
    check_array("x", x, min_size=0)
    x = np.asarray(x, float)
    a = math.log((1 - fu) / fu)
    b = math.log((1 - fv) / fv)
    return special.expit(-(a * (v - x) + b * (x - u)) / (v - u))


def eq63_c(fu: float, fv: float, u: float, v: float) -> float:
    r"""Eq. 63: :math:`c = (\frac{1-f(u)}{f(u)})^{\frac{v}{v-u}}(\frac{1-f(v)}{f(v)})^{\frac{-u}{v-u}}`."""
    _check_two_points(fu, fv, u, v)
    return math.exp(v / (v - u) * math.log((1 - fu) / fu) - u / (v - u) * math.log((1 - fv) / fv))


def eq64_lambda(fu: float, fv: float, u: float, v: float) -> float:
    r"""Eq. 64: :math:`\lambda = \frac{1}{v-u}\log(\frac{1-f(u)}{f(u)}\frac{f(v)}{1-f(v)})`."""
    _check_two_points(fu, fv, u, v)
    return (math.log((1 - fu) / fu) + math.log(fv / (1 - fv))) / (v - u)


def eq66_rhs(fmv: float, fv: float) -> float:
    r"""Eq. 66, right side: :math:`((1-f(-v))/f(-v))^{1/2}((1-f(v))/f(v))^{1/2}`."""
    _check_value("fmv", fmv)
    _check_value("fv", fv)
    return math.sqrt((1 - fmv) / fmv) * math.sqrt((1 - fv) / fv)


def eq67(f0: float, fv: float, alpha: float) -> float:
    r"""Eq. 67: :math:`f(\alpha v) = 1/(1 + (\frac{1-f(0)}{f(0)})^{1-\alpha}
    (\frac{1-f(v)}{f(v)})^{\alpha})`."""
    _check_value("f0", f0)
    _check_value("fv", fv)
    check_real("alpha", alpha)
    return 1.0 / (1.0 + ((1 - f0) / f0) ** (1 - alpha) * ((1 - fv) / fv) ** alpha)


def eq60_left_direct(fu: float, fv: float, p: float) -> float:
    r"""Eq. 60's left side computed directly, so that f(u) or f(v) may be 0 or 1:
    :math:`f(u)^pf(v)^{1-p}/(f(u)^pf(v)^{1-p} + (1-f(u))^p(1-f(v))^{1-p})` with
    :math:`0^0 = 1`; NaN for 0/0 (the NWGM is then undefined)."""
    check_real("fu", fu, lo=0.0, hi=1.0)
    check_real("fv", fv, lo=0.0, hi=1.0)
    check_probability("p", p, allow_zero=True)
    g = fu ** p * fv ** (1 - p)
    g1 = (1 - fu) ** p * (1 - fv) ** (1 - p)
    return float(g / (g + g1)) if g + g1 > 0 else math.nan


def class_member(x, c: float, lam: float, K: float | None = None):
    r"""A member of the class of Eq. 59: the constant K (``K`` given, 0 ≤ K ≤ 1) or the
    logistic :math:`1/(1 + ce^{-\lambda x})` (λ = 0: the constant 1/(1 + c)); NaN where x is."""
    check_logistic(c, lam)
    x = np.asarray(x, float)
    if K is not None:
        return np.where(np.isnan(x), x, check_real("K", K, lo=0.0, hi=1.0))
    return logistic(x, c, lam)


def logistic_derivatives(x, c: float = 1.0, lam: float = 1.0) -> np.ndarray:
    r"""The first three derivatives of :math:`f = 1/(1 + ce^{-\lambda x})` as polynomials in f:
    :math:`f' = \lambda f(1-f)`, :math:`f'' = \lambda^2f(1-f)(1-2f)`,
    :math:`f''' = \lambda^3f(1-f)(1-6f+6f^2)` (every derivative is a polynomial in f, hence
    f is infinitely differentiable). Returns shape (3,) + x.shape."""
    f = logistic(x, c, lam)
    g = f * (1 - f)
    return np.stack([lam * g, lam ** 2 * g * (1 - 2 * f), lam ** 3 * g * (1 - 6 * f + 6 * f * f)])


