"""Section 2.1 of Littwin & Wolf: Theorem 2 and Eq. 7–10, the projection of a two-Gaussian
mixture (Gaussian moments, the kurtosis of Eq. 9 and for unequal covariances, the regimes,
the LDA direction)."""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import integrate, stats

from dropmc._validation import check_array, check_finite, check_probability, check_real
from dropmc.theory.variance_constancy._shared import _mixture_central


# ------------------------------------------------------------------------------------------
# Theorem 2, Eq. 7–10
# ------------------------------------------------------------------------------------------

P_LOW = (1.0 - math.sqrt(1.0 / 3.0)) / 2.0   # ≈ 0.2113
P_HIGH = (1.0 + math.sqrt(1.0 / 3.0)) / 2.0  # ≈ 0.7887


def gaussian_raw_moments(mu: float, sigma2: float) -> tuple[float, float]:
    r"""Eq. 8: non-central moments of N(μ, σ²),
    :math:`m_4 = \mu^4 + 6\mu^2\sigma^2 + 3\sigma^4,\ m_2 = \sigma^2 + \mu^2`."""
    mu = check_real("mu", mu)
    sigma2 = check_real("sigma2", sigma2, lo=0.0)
    return mu ** 4 + 6 * mu * mu * sigma2 + 3 * sigma2 * sigma2, sigma2 + mu * mu


def kurtosis_eq9(b, w, p):
    r"""Eq. 9: with α = p(1 − p), b = θᵀΣ_bθ, w = θᵀΣ_wθ,

    .. math:: \kappa(\rho) = 3 + \frac{\alpha(1-6\alpha)b^2}{(\alpha b + w)^2}. \tag{9}

    Vectorised over b and w (finite).
    """
    p = check_probability("p", p, allow_one=False)
    a = p * (1 - p)
    b = check_finite("b", b)
    w = check_finite("w", w)
    return 3.0 + a * (1 - 6 * a) * b * b / (a * b + w) ** 2


def kurtosis_eq9_first_line(b, w, p):
    r"""Eq. 9, first line: [α(1−3α)b² + 6αwb + 3w²] / (αb + w)² (the printed m4 over σ⁴)."""
    p = check_probability("p", p, allow_one=False)
    a = p * (1 - p)
    b = check_finite("b", b)
    w = check_finite("w", w)
    return (a * (1 - 3 * a) * b * b + 6 * a * w * b + 3 * w * w) / (a * b + w) ** 2


def kurtosis_general(b, w1, w2, p):
    r"""κ(θᵀx) for unequal covariances (derived here, not printed): with w1 = θᵀΣ1θ,
    w2 = θᵀΣ2θ, w = pw1 + (1 − p)w2,

    .. math:: \kappa = \text{Eq. 9} + \frac{3\alpha(w_1-w_2)^2 + 6\alpha b(1-2p)(w_1-w_2)}
              {(\alpha b + w)^2}.

    It reduces to Eq. 9 when w1 = w2."""
    p = check_probability("p", p, allow_one=False)
    a = p * (1 - p)
    b = check_finite("b", b)
    w1 = check_finite("w1", w1)
    w2 = check_finite("w2", w2)
    w = p * w1 + (1 - p) * w2
    extra = 3 * a * (w1 - w2) ** 2 + 6 * a * b * (1 - 2 * p) * (w1 - w2)
    return kurtosis_eq9(b, w, p) + extra / (a * b + w) ** 2


def _gmm_args(theta, p, mu1, mu2, S1, S2):
    theta = check_array("theta", theta, ndim=1)
    d = theta.size
    if not np.any(theta != 0):
        raise ValueError("theta must be non-zero")
    p = check_probability("p", p, allow_one=False)
    mu1 = check_array("mu1", mu1, shape=(d,))
    mu2 = check_array("mu2", mu2, shape=(d,))
    S1 = check_array("Sigma1", S1, shape=(d, d))
    S2 = check_array("Sigma2", S2, shape=(d, d))
    return theta, p, mu1, mu2, S1, S2


def projected_gmm_moments(theta, p, mu1, mu2, Sigma1, Sigma2) -> tuple[float, float, float]:
    """(mean, σ², m4) of ρ = θᵀx for x ~ p N(μ1, Σ1) + (1 − p) N(μ2, Σ2), from Eq. 8 applied
    to each projected component (exact, any covariances)."""
    theta, p, mu1, mu2, S1, S2 = _gmm_args(theta, p, mu1, mu2, Sigma1, Sigma2)
    return _mixture_central([p, 1 - p], [theta @ mu1, theta @ mu2],
                            [theta @ S1 @ theta, theta @ S2 @ theta])


def projected_gmm_kurtosis(theta, p, mu1, mu2, Sigma1, Sigma2) -> float:
    """κ(θᵀx) from :func:`projected_gmm_moments` (valid for unequal covariances too)."""
    _, var, m4 = projected_gmm_moments(theta, p, mu1, mu2, Sigma1, Sigma2)
    return m4 / (var * var)


def projected_gmm_kurtosis_many(thetas, p, mu1, mu2, Sigma1, Sigma2) -> np.ndarray:
    """κ(θᵀx) for each row θ of ``thetas`` (K, d), by Eq. 8 per projected component and
    linearity (exact for any covariances; vectorised for optimisation over θ)."""
    T = check_array("thetas", thetas, ndim=2)
    d = T.shape[1]
    p = check_probability("p", p, allow_one=False)
    mu1 = check_array("mu1", mu1, shape=(d,))
    mu2 = check_array("mu2", mu2, shape=(d,))
    S1 = check_array("Sigma1", Sigma1, shape=(d, d))
    S2 = check_array("Sigma2", Sigma2, shape=(d, d))
    m1, m2 = T @ mu1, T @ mu2
    v1 = np.einsum("ki,ij,kj->k", T, S1, T)
    v2 = np.einsum("ki,ij,kj->k", T, S2, T)
    mu = p * m1 + (1 - p) * m2
    d1, d2 = m1 - mu, m2 - mu
    var = p * (d1 * d1 + v1) + (1 - p) * (d2 * d2 + v2)
    m4 = (p * (d1 ** 4 + 6 * d1 * d1 * v1 + 3 * v1 * v1)
          + (1 - p) * (d2 ** 4 + 6 * d2 * d2 * v2 + 3 * v2 * v2))
    return m4 / (var * var)


def projected_gmm_kurtosis_quad(theta, p, mu1, mu2, Sigma1, Sigma2) -> float:
    """κ(θᵀx) by 1-D quadrature of the projected mixture density (independent of Eq. 8–9)."""
    theta, p, mu1, mu2, S1, S2 = _gmm_args(theta, p, mu1, mu2, Sigma1, Sigma2)
    m = (theta @ mu1, theta @ mu2)
    s = (math.sqrt(theta @ S1 @ theta), math.sqrt(theta @ S2 @ theta))
    pdf = lambda x: p * stats.norm.pdf(x, m[0], s[0]) + (1 - p) * stats.norm.pdf(x, m[1], s[1])  # noqa: E731
    lo = min(m[0] - 40 * s[0], m[1] - 40 * s[1])
    hi = max(m[0] + 40 * s[0], m[1] + 40 * s[1])
    pts = sorted([m[0], m[1]])

    def q(f):
        # roundoff warnings at epsrel 1e-12 are expected near the requested accuracy
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", integrate.IntegrationWarning)
            return integrate.quad(f, lo, hi, points=pts, limit=500, epsabs=0.0, epsrel=1e-12)[0]

    mu = q(lambda x: x * pdf(x))
    var = q(lambda x: (x - mu) ** 2 * pdf(x))
    m4 = q(lambda x: (x - mu) ** 4 * pdf(x))
    return m4 / (var * var)


def _check_means_cov(mu1, mu2, **covariances):
    """``mu1``, ``mu2`` (d,) and the named (d, d) matrices, all finite."""
    mu1 = check_array("mu1", mu1, ndim=1)
    mu2 = check_array("mu2", mu2, shape=(mu1.size,))
    return (mu1, mu2, *(check_array(name, S, shape=(mu1.size, mu1.size))
                        for name, S in covariances.items()))


def scatter_matrices(p, mu1, mu2, Sigma1, Sigma2):
    """Σ_w = pΣ1 + (1 − p)Σ2 and Σ_b = (μ1 − μ2)(μ1 − μ2)ᵀ (Theorem 2)."""
    p = check_probability("p", p, allow_one=False)
    mu1, mu2, Sigma1, Sigma2 = _check_means_cov(mu1, mu2, Sigma1=Sigma1, Sigma2=Sigma2)
    d = mu1 - mu2
    return p * Sigma1 + (1 - p) * Sigma2, np.outer(d, d)


def regime(p: float) -> str:
    """Theorem 2's regime: ``"lda"`` when α(1 − 6α) ≤ 0, i.e. (1−√(1/3))/2 ≤ p ≤
    (1+√(1/3))/2, else ``"merge"`` (argmin θᵀΣ_bθ/θᵀΣ_wθ)."""
    p = check_probability("p", p, allow_one=False)
    a = p * (1 - p)
    return "lda" if a * (1 - 6 * a) <= 0 else "merge"


def lda_direction(mu1, mu2, Sigma_w) -> np.ndarray:
    """argmin_θ θᵀΣ_wθ/θᵀΣ_bθ = Σ_w⁻¹(μ1 − μ2) (Fisher's LDA direction), unit norm."""
    mu1, mu2, Sigma_w = _check_means_cov(mu1, mu2, Sigma_w=Sigma_w)
    v = np.linalg.solve(Sigma_w, mu1 - mu2)
    return v / np.linalg.norm(v)


def between_within_ratio(theta, Sigma_b, Sigma_w) -> float:
    """r(θ) = θᵀΣ_bθ / θᵀΣ_wθ."""
    theta = check_array("theta", theta, ndim=1)
    d = theta.size
    Sigma_b = check_array("Sigma_b", Sigma_b, shape=(d, d))
    Sigma_w = check_array("Sigma_w", Sigma_w, shape=(d, d))
    return float(theta @ Sigma_b @ theta) / float(theta @ Sigma_w @ theta)


def max_between_within_ratio(mu1, mu2, Sigma_w) -> float:
    """max_θ r(θ) = (μ1 − μ2)ᵀΣ_w⁻¹(μ1 − μ2) (attained on the LDA direction); min is 0 in
    d ≥ 2 (any θ ⊥ μ1 − μ2)."""
    mu1, mu2, Sigma_w = _check_means_cov(mu1, mu2, Sigma_w=Sigma_w)
    d = mu1 - mu2
    return float(d @ np.linalg.solve(Sigma_w, d))
