"""Section 7.2 and Appendix A of Baldi & Sadowski: rectified linear units and other piecewise-linear
transfer functions (Eq. 68–76, 190–194)."""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, special, stats

from dropmc._validation import check_array, check_real
from dropmc.theory.ensemble_averaging._shared import SQRT_2PI, check_weights


# ------------------------------------------------------------------------------------------
# Section 7.2 and Appendix A: rectified linear units
# ------------------------------------------------------------------------------------------


def relu(S, lam: float = 1.0, t: float = 0.0):
    """Eq. 69: RL(S) = 0 if S ≤ t, λS − λt otherwise."""
    lam = check_real("lam", lam)
    S = np.asarray(S, float)
    return np.where(S <= t, 0.0, lam * (S - t))


def relu_of_mean(mu: float, lam: float = 1.0) -> float:
    """Eq. 70: RL(E(S)) = 0 if μ ≤ 0 else λμ."""
    lam = check_real("lam", lam)
    return 0.0 if mu <= 0 else lam * mu


def relu_gaussian_mean(mu, sigma, lam: float = 1.0):
    r"""Eq. 72: :math:`E(RL(S)) = \lambda\mu\Phi(\mu/\sigma) + \frac{\lambda\sigma}{\sqrt{2\pi}}
    e^{-\mu^2/2\sigma^2}` for S ~ N(μ, σ²) (0 at μ = −∞)."""
    sigma = check_real("sigma", sigma, lo=0.0, lo_open=True)
    lam = check_real("lam", lam)
    # below μ = −40σ both terms are exactly 0 in double precision (and μΦ(μ/σ) is −∞·0 at −∞)
    mu = np.maximum(np.asarray(mu, float), -40.0 * sigma)
    return lam * mu * special.ndtr(mu / sigma) + lam * sigma / SQRT_2PI * np.exp(-mu * mu / (2 * sigma ** 2))


def relu_gaussian_mean_quad(mu: float, sigma: float, lam: float = 1.0) -> tuple[float, float]:
    """Eq. 71, left integral, by adaptive quadrature: (value, error estimate). The integrand is
    non-negative, so the accuracy asked is relative only (epsabs = 0): far in the left tail the
    value is tiny (≈ 1e-60 at μ = −16σ) and an absolute tolerance would not resolve it."""
    mu = check_real("mu", mu)
    sigma = check_real("sigma", sigma, lo=0.0, lo_open=True)
    lam = check_real("lam", lam)
    f = lambda s: lam * s * stats.norm.pdf(s, mu, sigma)
    return integrate.quad(f, 0.0, np.inf, epsabs=0.0, epsrel=1e-12, limit=200)


def relu_gap_at_zero_mean(sigma: float, lam: float = 1.0) -> float:
    r"""Eq. 74: :math:`|E(RL(S)) - RL(E(S))| = \lambda\sigma/\sqrt{2\pi}` when μ = 0."""
    return lam * sigma / SQRT_2PI


def relu_gaussian_gap(mu, sigma, lam: float = 1.0):
    r"""E(RL(S)) − RL(E(S)) for S ~ N(μ, σ²), from Eq. 72 and Eq. 70:
    :math:`\lambda\sigma[\phi(r) - |r|\Phi(-|r|)]` with r = μ/σ (non-negative: RL is convex;
    0 at μ = ±∞)."""
    sigma = check_real("sigma", sigma, lo=0.0, lo_open=True)
    lam = check_real("lam", lam)
    # beyond |r| = 40 both terms are exactly 0 in double precision (and ∞·Φ(−∞) is ∞·0)
    r = np.clip(np.asarray(mu, float) / sigma, -40.0, 40.0)
    return lam * sigma * (np.exp(-r * r / 2) / SQRT_2PI - np.abs(r) * special.ndtr(-np.abs(r)))


def mills_tail(x):
    r"""Eq. 73: :math:`1 - \Phi(x) \approx \frac{1}{\sqrt{2\pi}}\frac{1}{x}e^{-x^2/2}`."""
    x = np.asarray(x, float)
    return np.exp(-x * x / 2) / (SQRT_2PI * x)


def softplus_integral(S, lam: float = 1.0):
    r"""Eq. 76: :math:`\int_{-\infty}^S \frac{dx}{1+e^{-\lambda x}} = \log(1 + e^{\lambda S})/\lambda`."""
    lam = check_real("lam", lam)
    with np.errstate(invalid="ignore"):  # NaN in S gives NaN, silently
        return np.logaddexp(0.0, lam * np.asarray(S, float)) / lam


def relu_uniform_gap(a: float, lam: float = 1.0) -> float:
    """Eq. 190: |RL(E(S)) − E(RL(S))| = λa/4 for S ~ U[−a, a]."""
    return lam * a / 4


def uniform_sd_as_printed(a: float) -> float:
    """Appendix A as printed: 'σ_S = a/3' for S uniform on [−a, a]."""
    return a / 3


def uniform_sd(a: float) -> float:
    """The standard deviation of U[−a, a]: a/√3."""
    return a / math.sqrt(3)


def piecewise_linear(x, knots, slopes, y0: float = 0.0):
    r"""A continuous piecewise-linear function (Sec. 7.2): value ``y0`` at ``knots[0]``, slope
    ``slopes[k]`` on the k-th piece (slopes has len(knots) + 1 entries: left of the first knot,
    between knots, right of the last)."""
    x = np.asarray(x, float)
    knots = np.asarray(knots, float)
    slopes = np.asarray(slopes, float)
    if slopes.size != knots.size + 1 or np.any(np.diff(knots) <= 0):
        raise ValueError("piecewise_linear needs increasing knots and len(knots) + 1 slopes")
    y = y0 + slopes[0] * (x - knots[0])
    for k in range(knots.size):
        y = y + (slopes[k + 1] - slopes[k]) * np.maximum(x - knots[k], 0.0)
    return y


def kink_gap_gaussian(delta_slope: float, sigma: float) -> float:
    r"""E(f(S)) − f(E(S)) for a single kink of slope change Δ at the mean of S ~ N(μ, σ²):
    :math:`\Delta\sigma/\sqrt{2\pi}` (Eq. 74 is the case Δ = λ). The gap is proportional to the
    change of slope (the "angle" between the pieces) and to σ."""
    return float(delta_slope * sigma / SQRT_2PI)


def curvature_gap_bound(sup_abs_f2: float, var: float) -> float:
    r"""Taylor's theorem with the Lagrange remainder: for twice-differentiable f,
    :math:`|E(f(S)) - f(E(S))| = |E(\tfrac12 f''(\xi)(S - E S)^2)| \le \tfrac12\sup|f''|\,\mathrm{Var}(S)`
    (Sec. 7.2: Eq. 68 holds when Var(S) is small relative to the curvature)."""
    return 0.5 * float(sup_abs_f2) * float(var)


def _check_discrete(S, P, lam):
    """Finite values S_1..S_m, their probabilities P (a distribution) and a finite λ."""
    S = check_array("S", S, ndim=1)
    return S, check_weights("P", P, S.size, of="S"), check_real("lam", lam)


def relu_discrete_gap(S, P, lam: float = 1.0) -> float:
    r"""Eq. 193 (Eq. 194 for P_i = 1/m): λΣ_{S_i>0}P_iS_i if ΣP_iS_i ≤ 0, else
    λΣ_{S_i≤0}P_i|S_i|."""
    S, P, lam = _check_discrete(S, P, lam)
    if np.dot(P, S) <= 0:
        return float(lam * np.sum(P[S > 0] * S[S > 0]))
    return float(lam * np.sum(P[S <= 0] * np.abs(S[S <= 0])))


def relu_gap_mad_bound(S, P, lam: float = 1.0) -> float:
    r"""An upper bound of Eq. 193 by the spread of S: with μ = ΣP_iS_i, each branch of Eq. 193 is
    :math:`\lambda E(S-\mu)^{\pm}` at most, and :math:`E(S-\mu)^+ = E(S-\mu)^- = \tfrac12E|S-\mu|`,
    so :math:`|RL(E(S)) - E(RL(S))| \le \tfrac{\lambda}{2}E|S-\mu| \le \tfrac{\lambda}{2}\mathrm{sd}(S)`
    (Cauchy–Schwarz; the paper suggests Tchebycheff's inequality)."""
    S, P, lam = _check_discrete(S, P, lam)
    mu = float(P @ S)
    return 0.5 * abs(lam) * math.sqrt(float(P @ (S - mu) ** 2))
