r"""Closed forms of Littwin & Wolf, *Regularizing by the Variance of the Activations'
Sample-Variances* (the Variance Constancy Loss, VCL), paper key ``variance_constancy``.

Everything here is numpy/scipy only and knows nothing of claims or simulations.

* :class:`Law` — the family of activation laws the paper's statements are checked on (normal,
  uniform, exponential, Laplace, two-point, two-Gaussian mixture, Student-t with ν > 4, Beta,
  a finite discrete law, or any frozen ``scipy.stats`` continuous law with a finite fourth
  moment) and :func:`central_moments` (mean, σ², m4) from scipy or exact sums;
* Eq. 1, Eq. 4/6 (:func:`var_sample_variance`, :func:`vcl_loss`), Theorem 1's minimum
  (:func:`minimal_vcl_loss`) and the exact enumeration of Eq. 1 for finite discrete laws
  (:func:`exact_sample_variance_moments`);
* Theorem 2 (Eq. 7–10): Gaussian moments (Eq. 8), the projected-mixture kurtosis (Eq. 9),
  the general (unequal covariance) projected-mixture moments, the regime thresholds;
* Theorem 3 (Eq. 12–16) and Eq. 20: the right-hand sides and the events;
* Eq. 17: the β-VCL loss and its expectation for normal activations (quadrature, closed form
  at β = 0) and for two-point activations (exact binomial sums).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import integrate, special, stats

from dropmc._validation import check_array, check_int, check_probability, check_real

# ------------------------------------------------------------------------------------------
# The family of laws
# ------------------------------------------------------------------------------------------

LAW_KINDS = ("normal", "uniform", "exponential", "laplace", "two_point", "gmm2", "student_t",
             "beta", "discrete", "scipy")


@dataclass(frozen=True)
class Law:
    """A univariate activation law ρ with a finite fourth moment.

    Build it with the constructors below (:meth:`normal`, :meth:`two_point`, ...), which
    validate the parameters. ``params`` is a tuple of floats in the order each constructor
    documents; ``dist`` holds the frozen scipy law for kind ``"scipy"`` and the atoms and
    weights for ``"discrete"``.
    """

    kind: str
    params: tuple
    dist: object = field(default=None, compare=False)
    label: str = ""

    # -- constructors ---------------------------------------------------------------------
    @staticmethod
    def normal(mu: float = 0.0, sigma: float = 1.0) -> "Law":
        mu = check_real("mu", mu)
        sigma = check_real("sigma", sigma, lo=0.0, lo_open=True)
        return Law("normal", (mu, sigma), label=f"N({mu:g}, {sigma:g}²)")

    @staticmethod
    def uniform(a: float = 0.0, b: float = 1.0) -> "Law":
        a = check_real("a", a)
        b = check_real("b", b)
        if not b > a:
            raise ValueError(f"b must be greater than a, got a = {a!r}, b = {b!r}")
        return Law("uniform", (a, b), label=f"U({a:g}, {b:g})")

    @staticmethod
    def exponential(scale: float = 1.0) -> "Law":
        scale = check_real("scale", scale, lo=0.0, lo_open=True)
        return Law("exponential", (scale,), label=f"Exp(scale {scale:g})")

    @staticmethod
    def laplace(loc: float = 0.0, scale: float = 1.0) -> "Law":
        loc = check_real("loc", loc)
        scale = check_real("scale", scale, lo=0.0, lo_open=True)
        return Law("laplace", (loc, scale), label=f"Laplace({loc:g}, {scale:g})")

    @staticmethod
    def two_point(a: float = -1.0, b: float = 1.0, q: float = 0.5) -> "Law":
        """ρ = b with probability q, a otherwise (symmetric when q = 1/2)."""
        a = check_real("a", a)
        b = check_real("b", b)
        q = check_probability("q", q, allow_one=False)
        if a == b:
            raise ValueError(f"b must differ from a (a constant has no variance), got {a!r}")
        return Law("two_point", (a, b, q), label=f"two-point({a:g}, {b:g}; q={q:g})")

    @staticmethod
    def gmm2(p: float = 0.5, mu1: float = -1.0, mu2: float = 1.0, s1: float = 0.5,
             s2: float = 0.5) -> "Law":
        """p N(mu1, s1²) + (1 − p) N(mu2, s2²)."""
        p = check_probability("p", p, allow_one=False)
        mu1 = check_real("mu1", mu1)
        mu2 = check_real("mu2", mu2)
        s1 = check_real("s1", s1, lo=0.0, lo_open=True)
        s2 = check_real("s2", s2, lo=0.0, lo_open=True)
        return Law("gmm2", (p, mu1, mu2, s1, s2),
                   label=f"{p:g}N({mu1:g},{s1:g}²)+{1 - p:g}N({mu2:g},{s2:g}²)")

    @staticmethod
    def student_t(nu: float, loc: float = 0.0, scale: float = 1.0) -> "Law":
        """Student-t with ν > 4 degrees of freedom (m4 is infinite for ν ≤ 4)."""
        nu = check_real("nu", nu)
        if not nu > 4.0:
            raise ValueError(f"nu must be > 4 for a finite fourth moment, got {nu!r}")
        loc = check_real("loc", loc)
        scale = check_real("scale", scale, lo=0.0, lo_open=True)
        return Law("student_t", (nu, loc, scale), label=f"t(ν={nu:g})")

    @staticmethod
    def beta(a: float, b: float) -> "Law":
        a = check_real("a", a, lo=0.0, lo_open=True)
        b = check_real("b", b, lo=0.0, lo_open=True)
        return Law("beta", (a, b), label=f"Beta({a:g}, {b:g})")

    @staticmethod
    def discrete(atoms, weights) -> "Law":
        """A finite law: P(ρ = atoms[i]) = weights[i] (weights normalised; ≥ 2 distinct atoms
        with positive weight)."""
        x = check_array("atoms", atoms, ndim=1, min_size=2)
        w = check_array("weights", weights, ndim=1, shape=(x.size,))
        if np.any(w < 0) or not w.sum() > 0:
            raise ValueError(f"weights must be non-negative with a positive sum, got {w}")
        w = w / w.sum()
        if np.unique(x[w > 0]).size < 2:
            raise ValueError("atoms must hold at least 2 distinct values with positive weight, "
                             f"got atoms {x} with weights {w}")
        return Law("discrete", (), dist=(x.copy(), w), label=f"discrete({x.size} atoms)")

    @staticmethod
    def from_scipy(dist, label: str = "") -> "Law":
        """Any frozen ``scipy.stats`` continuous law with a finite fourth moment."""
        if not (hasattr(dist, "dist") and isinstance(dist.dist, stats.rv_continuous)):
            raise TypeError("dist must be a frozen scipy.stats continuous distribution, e.g. "
                            f"scipy.stats.gamma(3.0); got {dist!r}")
        with np.errstate(all="ignore"):
            var, kurt = (float(v) for v in dist.stats(moments="vk"))
        if not (math.isfinite(var) and var > 0 and math.isfinite(kurt)):
            raise ValueError(f"dist must have a finite, positive variance and a finite fourth "
                             f"moment; {dist.dist.name}{dist.args} has variance {var} and excess "
                             f"kurtosis {kurt}")
        return Law("scipy", (), dist=dist, label=label or f"{dist.dist.name}{dist.args}")

    def __str__(self) -> str:
        return self.label or self.kind

    # -- scipy view -------------------------------------------------------------------------
    def scipy_dist(self):
        """The frozen scipy law for the continuous kinds (None for mixtures and atoms)."""
        k, p = self.kind, self.params
        if k == "normal":
            return stats.norm(p[0], p[1])
        if k == "uniform":
            return stats.uniform(p[0], p[1] - p[0])
        if k == "exponential":
            return stats.expon(scale=p[0])
        if k == "laplace":
            return stats.laplace(p[0], p[1])
        if k == "student_t":
            return stats.t(p[0], p[1], p[2])
        if k == "beta":
            return stats.beta(p[0], p[1])
        if k == "scipy":
            return self.dist
        return None


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


def central_moments(law: Law) -> tuple[float, float, float]:
    """(mean, σ², m4) of ``law``: m4 = E(ρ − μ)⁴.

    Continuous kinds take them from scipy (``stats(moments="mvk")``, m4 = (excess + 3)σ⁴);
    the mixture from Eq. 8 per component; two-point and discrete laws from exact sums.
    """
    if not isinstance(law, Law):
        raise TypeError(f"law must be a Law, got {type(law).__name__}")
    if law.kind == "two_point":
        a, b, q = law.params
        d = b - a
        return a + q * d, q * (1 - q) * d * d, q * (1 - q) * (1 - 3 * q * (1 - q)) * d ** 4
    if law.kind == "gmm2":
        p, m1, m2, s1, s2 = law.params
        return _mixture_central([p, 1 - p], [m1, m2], [s1 * s1, s2 * s2])
    if law.kind == "discrete":
        # centred by the first atom, then by the mean (compensated), as in
        # exact_sample_variance_moments: a common shift of the atoms costs no digits
        x, w = law.dist
        d = x - x[0]
        mu_d = math.fsum(w * d)
        c = d - mu_d
        c -= math.fsum(w * c)
        return float(x[0] + mu_d), math.fsum(w * c ** 2), math.fsum(w * c ** 4)
    dist = law.scipy_dist()
    with np.errstate(all="ignore"):
        mean, var, kurt = (float(v) for v in dist.stats(moments="mvk"))
    return mean, var, (kurt + 3.0) * var * var


def m4_by_quadrature(law: Law) -> tuple[float, float]:
    """E(ρ − μ)⁴ by adaptive quadrature of the density (continuous kinds and the mixture):
    an independent check of the scipy moments. Returns (value, quad error estimate)."""
    mu = central_moments(law)[0]
    if law.kind == "gmm2":
        p, m1, m2, s1, s2 = law.params
        pdf = lambda x: p * stats.norm.pdf(x, m1, s1) + (1 - p) * stats.norm.pdf(x, m2, s2)  # noqa: E731
        lo, hi = -np.inf, np.inf
    else:
        dist = law.scipy_dist()
        if dist is None:
            raise ValueError(f"law must be continuous for quadrature, got kind {law.kind!r}")
        pdf = dist.pdf
        lo, hi = dist.support()
    pts = None
    val, err = 0.0, 0.0
    # split at the mean so both tails are integrated accurately
    for a, b in ((lo, mu), (mu, hi)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", integrate.IntegrationWarning)
            v, e = integrate.quad(lambda x: (x - mu) ** 4 * pdf(x), a, b, limit=400,
                                  epsabs=0.0, epsrel=1e-11)
        val += v
        err += e
    del pts
    return val, err


def kurtosis(law: Law) -> float:
    """κ(ρ) = m4/σ⁴ (the paper's "kurtosis", text after Eq. 5; not the excess kurtosis)."""
    _, var, m4 = central_moments(law)
    return m4 / (var * var)


# ------------------------------------------------------------------------------------------
# Eq. 1, Eq. 4/6, Theorem 1
# ------------------------------------------------------------------------------------------

def _check_n(n) -> int:
    return check_int("n", n, minimum=2)


def var_sample_variance(m4: float, sigma2: float, n: int) -> float:
    r"""Eq. 1: the variance of the unbiased sample variance,

    .. math:: E[(\sigma^2-\sigma_s^2)^2] = \frac{m_4}{n} - \frac{\sigma^4 (n-3)}{n(n-1)}. \tag{1}
    """
    n = _check_n(n)
    m4 = check_real("m4", m4, lo=0.0)
    sigma2 = check_real("sigma2", sigma2, lo=0.0, lo_open=True)
    return m4 / n - sigma2 * sigma2 * (n - 3) / (n * (n - 1))


def vcl_loss(kappa: float, n: int) -> float:
    r"""Eq. 4/6: :math:`L_s(p) = E[(1-\sigma_s^2/\sigma^2)^2] = \kappa/n - (n-3)/(n(n-1))`
    (Eq. 4 prints it as :math:`m_4/(\alpha^2 n) - (n-3)/(n(n-1))` with α = σ²)."""
    n = _check_n(n)
    kappa = check_real("kappa", kappa)
    if kappa < 1.0 - 1e-9:
        raise ValueError(f"kappa must be >= 1 (κ = m4/σ⁴ ≥ 1 for every law, Eq. 5), got {kappa!r}")
    return kappa / n - (n - 3) / (n * (n - 1))


def minimal_vcl_loss(n: int) -> float:
    """Theorem 1: the minimum of Eq. 4 over laws, at κ = 1, is 1/n − (n−3)/(n(n−1)) =
    2/(n(n−1))."""
    n = _check_n(n)
    return 2.0 / (n * (n - 1))


def exact_sample_variance_moments(atoms, weights, n: int) -> tuple[float, float, float]:
    r"""Exact E σ_s², E(σ² − σ_s²)² and E(1 − σ_s²/σ²)² for i.i.d. draws from a finite law,
    by summing over every multiset of n draws (multinomial compositions of n over the atoms).

    A composition c (c_i draws of atom i) has probability n!/∏c_i! ∏w_i^{c_i} (computed in
    the log domain) and sample variance Σc_i(x_i − m)²/(n − 1), m = Σc_i x_i/n, computed from
    centred atoms in two passes with compensated (``math.fsum``) expectations, so a common
    shift of the atoms (e.g. by 10⁴) costs no digits. The number of
    compositions is C(n + k − 1, k − 1); it must stay below 2·10⁶.
    """
    x = check_array("atoms", atoms, ndim=1, min_size=2)
    w = check_array("weights", weights, ndim=1, shape=(x.size,))
    n = _check_n(n)
    if np.any(w < 0) or not w.sum() > 0:
        raise ValueError(f"weights must be non-negative with a positive sum, got {w}")
    w = w / w.sum()
    keep = w > 0
    x, w = x[keep], w[keep]
    k = x.size
    if math.comb(n + k - 1, k - 1) > 2_000_000:
        raise ValueError(f"n = {n} with {k} atoms has {math.comb(n + k - 1, k - 1)} "
                         "compositions; at most 2e6 are enumerated")
    comps = _compositions(n, k)
    logw = np.log(w)
    logp = (special.gammaln(n + 1) - special.gammaln(comps + 1).sum(axis=1)
            + comps @ logw)
    prob = np.exp(logp)
    prob /= math.fsum(prob)  # Σ prob = 1 up to rounding; remove it
    # centred atoms (issue 8, item 7): shift by the first atom (x − x[0] is exact for atoms
    # within a factor 2 of each other, Sterbenz) and then by the law's mean, so that neither
    # Σcᵢxᵢ² − (Σcᵢxᵢ)²/n nor E σ_s² − σ² cancels the shift's digits
    d = x - x[0]
    mu_d = math.fsum(w * d)
    c = d - mu_d
    c -= math.fsum(w * c)  # second correction of the mean (compensated)
    sigma2 = math.fsum(w * c * c)
    # per composition: the sample's own mean m = Σcᵢxᵢ/n, then Σcᵢ(xᵢ − m)² (two-pass form)
    m = (comps @ c) / n
    sv = np.einsum("ck,ck->c", comps, (c[None, :] - m[:, None]) ** 2) / (n - 1)
    e_sv = math.fsum(prob * sv)
    e_dev = math.fsum(prob * (sv - sigma2) ** 2)
    return e_sv, e_dev, e_dev / (sigma2 * sigma2)


def _compositions(n: int, k: int) -> np.ndarray:
    """All k-tuples of non-negative integers summing to n (stars and bars), shape (C, k)."""
    if k == 1:
        return np.array([[n]], dtype=np.int64)
    out = []
    for first in range(n, -1, -1):
        rest = _compositions(n - first, k - 1)
        out.append(np.column_stack([np.full(rest.shape[0], first, dtype=np.int64), rest]))
    return np.vstack(out)


def mode_patterns(n: int, k: int) -> int:
    """The number of distinct patterns (multisets) of n draws from k modes: C(n+k−1, k−1).

    Section 2 prints "only n possible patterns" for two modes (and lists four for n = 3) and
    C(n+k−1, k) for k modes; :func:`printed_mode_patterns` returns those."""
    n = check_int("n", n, minimum=1)
    k = check_int("k", k, minimum=1)
    return math.comb(n + k - 1, k - 1)


def printed_mode_patterns(n: int, k: int) -> int:
    """The counts as printed in Section 2: n for k = 2, C(n+k−1, k) in general."""
    n = check_int("n", n, minimum=1)
    k = check_int("k", k, minimum=1)
    return math.comb(n + k - 1, k)


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

    Vectorised over b and w.
    """
    p = check_probability("p", p, allow_one=False)
    a = p * (1 - p)
    b = np.asarray(b, float)
    w = np.asarray(w, float)
    return 3.0 + a * (1 - 6 * a) * b * b / (a * b + w) ** 2


def kurtosis_eq9_first_line(b, w, p):
    r"""Eq. 9, first line: [α(1−3α)b² + 6αwb + 3w²] / (αb + w)² (the printed m4 over σ⁴)."""
    p = check_probability("p", p, allow_one=False)
    a = p * (1 - p)
    b = np.asarray(b, float)
    w = np.asarray(w, float)
    return (a * (1 - 3 * a) * b * b + 6 * a * w * b + 3 * w * w) / (a * b + w) ** 2


def kurtosis_general(b, w1, w2, p):
    r"""κ(θᵀx) for unequal covariances (derived here, not printed): with w1 = θᵀΣ1θ,
    w2 = θᵀΣ2θ, w = pw1 + (1 − p)w2,

    .. math:: \kappa = \text{Eq. 9} + \frac{3\alpha(w_1-w_2)^2 + 6\alpha b(1-2p)(w_1-w_2)}
              {(\alpha b + w)^2}.

    It reduces to Eq. 9 when w1 = w2."""
    p = check_probability("p", p, allow_one=False)
    a = p * (1 - p)
    b = np.asarray(b, float)
    w1 = np.asarray(w1, float)
    w2 = np.asarray(w2, float)
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


def scatter_matrices(p, mu1, mu2, Sigma1, Sigma2):
    """Σ_w = pΣ1 + (1 − p)Σ2 and Σ_b = (μ1 − μ2)(μ1 − μ2)ᵀ (Theorem 2)."""
    d = np.asarray(mu1, float) - np.asarray(mu2, float)
    return p * np.asarray(Sigma1, float) + (1 - p) * np.asarray(Sigma2, float), np.outer(d, d)


def regime(p: float) -> str:
    """Theorem 2's regime: ``"lda"`` when α(1 − 6α) ≤ 0, i.e. (1−√(1/3))/2 ≤ p ≤
    (1+√(1/3))/2, else ``"merge"`` (argmin θᵀΣ_bθ/θᵀΣ_wθ)."""
    p = check_probability("p", p, allow_one=False)
    a = p * (1 - p)
    return "lda" if a * (1 - 6 * a) <= 0 else "merge"


def lda_direction(mu1, mu2, Sigma_w) -> np.ndarray:
    """argmin_θ θᵀΣ_wθ/θᵀΣ_bθ = Σ_w⁻¹(μ1 − μ2) (Fisher's LDA direction), unit norm."""
    v = np.linalg.solve(np.asarray(Sigma_w, float), np.asarray(mu1, float) - np.asarray(mu2, float))
    return v / np.linalg.norm(v)


def between_within_ratio(theta, Sigma_b, Sigma_w) -> float:
    """r(θ) = θᵀΣ_bθ / θᵀΣ_wθ."""
    theta = np.asarray(theta, float)
    return float(theta @ Sigma_b @ theta) / float(theta @ Sigma_w @ theta)


def max_between_within_ratio(mu1, mu2, Sigma_w) -> float:
    """max_θ r(θ) = (μ1 − μ2)ᵀΣ_w⁻¹(μ1 − μ2) (attained on the LDA direction); min is 0 in
    d ≥ 2 (any θ ⊥ μ1 − μ2)."""
    d = np.asarray(mu1, float) - np.asarray(mu2, float)
    return float(d @ np.linalg.solve(np.asarray(Sigma_w, float), d))


# ------------------------------------------------------------------------------------------
# Theorem 3, Eq. 12–16, and Eq. 20
# ------------------------------------------------------------------------------------------

def _check_eps(eps) -> float:
    eps = check_real("eps", eps)
    if not 0.0 < eps < 1.0:
        raise ValueError(f"eps must lie in (0, 1), got {eps!r}")
    return eps


def chebyshev_term(kappa: float, n: int, eps: float) -> float:
    r"""x = var(σ_s²)/(ε²σ⁴) = (1/ε²)(κ/n − (n−3)/(n(n−1))) (Eq. 13 with Eq. 1)."""
    return vcl_loss(kappa, n) / _check_eps(eps) ** 2


def thm3_rhs(kappa: float, n: int, eps: float) -> float:
    r"""Eq. 12 (and 14–16) as printed: :math:`(1 - x)^2` with x of :func:`chebyshev_term`.
    Exceeds 1 when x > 2 (then it is not a probability)."""
    return (1.0 - chebyshev_term(kappa, n, eps)) ** 2


def thm3_rhs_corrected(kappa: float, n: int, eps: float) -> float:
    """The valid lower bound: max(0, 1 − x)² (squaring a negative Chebyshev bound is not
    allowed)."""
    return max(0.0, 1.0 - chebyshev_term(kappa, n, eps)) ** 2


def eq12_band(eps: float) -> tuple[float, float]:
    """The printed band of Eq. 12/16 for (1 − R)²: [4ε²/(1+ε)², 4ε²/(1−ε)²]."""
    eps = _check_eps(eps)
    return 4 * eps * eps / (1 + eps) ** 2, 4 * eps * eps / (1 - eps) ** 2


def eq15_band(eps: float) -> tuple[float, float]:
    """Eq. 15's band for R = σ²_{s1}/σ²_{s2}: [(1−ε)/(1+ε), (1+ε)/(1−ε)]."""
    eps = _check_eps(eps)
    return (1 - eps) / (1 + eps), (1 + eps) / (1 - eps)


def eq20_rhs(kappa: float, n: int, eps: float) -> float:
    """Eq. 20: 1 − (1/ε²)(κ/n − (n−3)/(n(n−1))) (negative, hence vacuous, when x > 1)."""
    return 1.0 - chebyshev_term(kappa, n, eps)


# ------------------------------------------------------------------------------------------
# Eq. 17: the β-VCL loss
# ------------------------------------------------------------------------------------------

def vcl_beta(s1_var, s2_var, beta):
    r"""Eq. 17: :math:`L^\beta_{s_1,s_2} = (1 - \sigma^2_{s_1}/(\sigma^2_{s_2}+\beta))^2`
    (Eq. 11 at β = 0). Vectorised."""
    beta = check_real("beta", beta, lo=0.0)
    a = np.asarray(s1_var, float)
    b = np.asarray(s2_var, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (1.0 - a / (b + beta)) ** 2


def expected_vcl_normal_beta0(n: int) -> float:
    """E(1 − σ²_{s1}/σ²_{s2})² for normal activations (finite for n > 5), in closed form.

    With m = n − 1, σ_s²/σ² ~ χ²_m/m: E a = 1, E a² = (m+2)/m, E b⁻¹ = m/(m−2),
    E b⁻² = m²/((m−2)(m−4)); so E L⁰ = 1 − 2m/(m−2) + (m+2)m/((m−2)(m−4)). Derived here
    (not printed in the paper); scale-free, as Eq. 11 is.
    """
    n = check_int("n", n, minimum=6)
    m = n - 1
    return 1.0 - 2.0 * m / (m - 2) + (m + 2) * m / ((m - 2) * (m - 4))


def expected_vcl_normal(n: int, beta: float, sigma: float = 1.0) -> float:
    """E L^β for ρ ~ N(·, σ²) by quadrature over the scaled χ² law of σ²_{s2}:
    E L^β = 1 − 2σ² E[(b+β)⁻¹] + σ⁴(n+1)/(n−1) E[(b+β)⁻²], b = σ²χ²_{n−1}/(n−1).
    β = 0 uses the closed form (n > 5)."""
    n = _check_n(n)
    beta = check_real("beta", beta, lo=0.0)
    sigma = check_real("sigma", sigma, lo=0.0, lo_open=True)
    if beta == 0.0:
        return expected_vcl_normal_beta0(n)
    m = n - 1
    s2 = sigma * sigma
    # integrate over u = b/σ² ~ χ²_m/m (unit scale, so the quadrature sees the same integrand
    # whatever σ): σ²E(b+β)⁻¹ = E(u+β/σ²)⁻¹ and σ⁴E(b+β)⁻² = E(u+β/σ²)⁻²
    g = stats.gamma(m / 2.0, scale=2.0 / m)
    t = beta / s2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        e1 = g.expect(lambda u: 1.0 / (u + t), epsabs=0.0, epsrel=1e-12, limit=400)
        e2 = g.expect(lambda u: 1.0 / (u + t) ** 2, epsabs=0.0, epsrel=1e-12, limit=400)
    return 1.0 - 2.0 * e1 + (m + 2) / m * e2


def expected_vcl_two_point(n: int, beta: float, a: float = -1.0, b: float = 1.0,
                           q: float = 0.5) -> float:
    """E L^β for two-point activations, exactly: with k ~ Bin(n, q) draws at b, the sample
    variance is k(n−k)(b−a)²/(n(n−1)); a double sum over the two independent counts.
    Infinite at β = 0 (σ²_{s2} = 0 with positive probability)."""
    n = _check_n(n)
    beta = check_real("beta", beta, lo=0.0)
    law = Law.two_point(a, b, q)
    a_, b_, q_ = law.params
    k = np.arange(n + 1)
    pk = stats.binom.pmf(k, n, q_)
    sv = k * (n - k) * (b_ - a_) ** 2 / (n * (n - 1))
    if beta == 0.0:
        return math.inf
    L = (1.0 - sv[:, None] / (sv[None, :] + beta)) ** 2
    return float(pk @ L @ pk)


# ------------------------------------------------------------------------------------------
# Section 2.2 (after Eq. 17): gradients of the β-VCL, the separating force; Section 4: modes
# ------------------------------------------------------------------------------------------

def vcl_beta_grad_b(a, b, beta):
    r"""∂L^β/∂σ²_{s2} of Eq. 17 at σ²_{s1} = a, σ²_{s2} = b: 2(1 − a/(b+β))·a/(b+β)². Derived
    here. As b → 0 it tends to 2(1 − a/β)a/β² for β > 0 and diverges like 2a²/b³ for β = 0."""
    beta = check_real("beta", beta, lo=0.0)
    a = np.asarray(a, float)
    t = np.asarray(b, float) + beta
    with np.errstate(divide="ignore", invalid="ignore"):
        return 2.0 * (1.0 - a / t) * a / (t * t)


def vcl_beta_grad_bound(a, beta):
    """A bound on |∂L^β/∂σ²_{s2}| over all σ²_{s2} ≥ 0 for β > 0: with t = σ²_{s2} + β ≥ β,
    |2(1 − a/t)a/t²| = 2a|t − a|/t³ ≤ 2a(t + a)/t³ ≤ 2a(β + a)/β³ ((t + a)/t³ decreases)."""
    beta = check_real("beta", beta, lo=0.0, lo_open=True)
    a = check_real("a", a, lo=0.0)
    return 2.0 * a * (beta + a) / beta ** 3


def vcl_beta_grad_activations(s1, s2, beta):
    """Gradients of Eq. 17 with respect to the activations of the two sub-batches (1-d arrays
    s1, s2 of size ≥ 2): ∂L/∂ρ_j = −2(1 − a/(b+β))/(b+β)·2(ρ_j − ρ̄₁)/(n₁ − 1) for s1 and
    ∂L/∂ρ_i = ∂L/∂b·2(ρ_i − ρ̄₂)/(n₂ − 1) for s2 (a, b the unbiased sample variances)."""
    beta = check_real("beta", beta, lo=0.0)
    s1 = np.asarray(s1, float)
    s2 = np.asarray(s2, float)
    a, b = np.var(s1, ddof=1), np.var(s2, ddof=1)
    t = b + beta
    with np.errstate(divide="ignore", invalid="ignore"):
        g1 = -2.0 * (1.0 - a / t) / t * 2.0 * (s1 - s1.mean()) / (s1.size - 1)
        g2 = vcl_beta_grad_b(a, b, beta) * 2.0 * (s2 - s2.mean()) / (s2.size - 1)
    return g1, g2


def separating_force_two_point(n: int, beta: float, q: float = 0.5) -> float:
    r"""F(β) = −∂/∂c E L^β(cρ) at c = 1 for two-point activations ±1 (the modes at ±c, distance
    2c): the force on the scale that separates the two modes. With A, B the sample variances
    at c = 1 (binomial counts, as in :func:`expected_vcl_two_point`), L(c) = (1 − c²A/(c²B +
    β))² gives −dL/dc|_{c=1} = 4(1 − A/(B+β))·Aβ/(B+β)²; exact double binomial sum. Derived
    here (the paper gives no formula)."""
    n = _check_n(n)
    beta = check_real("beta", beta, lo=0.0, lo_open=True)
    law = Law.two_point(-1.0, 1.0, q)
    a_, b_, q_ = law.params
    k = np.arange(n + 1)
    pk = stats.binom.pmf(k, n, q_)
    sv = k * (n - k) * (b_ - a_) ** 2 / (n * (n - 1))
    A, t = sv[:, None], sv[None, :] + beta
    F = 4.0 * (1.0 - A / t) * A * beta / (t * t)
    return float(pk @ F @ pk)


def separating_force_normal(n: int, beta: float, sigma: float = 1.0) -> float:
    """F(β) = −∂/∂c E L^β(cρ) at c = 1 for ρ ~ N(·, σ²) by quadrature: with A, B independent
    σ²χ²_{n−1}/(n−1), F = 4β(E A (B+β)⁻² − E A² (B+β)⁻³) = 4βσ²(E(B+β)⁻² − σ²(n+1)/(n−1)
    E(B+β)⁻³)."""
    n = _check_n(n)
    beta = check_real("beta", beta, lo=0.0, lo_open=True)
    m = n - 1
    s2 = sigma * sigma
    g = stats.gamma(m / 2.0, scale=2.0 * s2 / m)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        e2 = g.expect(lambda u: 1.0 / (u + beta) ** 2, epsabs=0.0, epsrel=1e-12, limit=400)
        e3 = g.expect(lambda u: 1.0 / (u + beta) ** 3, epsabs=0.0, epsrel=1e-12, limit=400)
    return 4.0 * beta * s2 * (e2 - s2 * (m + 2) / m * e3)


def equispaced_kurtosis(k: int) -> float:
    """Kurtosis of the uniform law on k equally spaced points (k ≥ 2):
    3(3k² − 7)/(5(k² − 1)) (1 at k = 2, 1.5 at k = 3, → 1.8 as k → ∞)."""
    k = check_int("k", k, minimum=2)
    return 3.0 * (3 * k * k - 7) / (5.0 * (k * k - 1))


def two_point_kurtosis(q: float) -> float:
    """Kurtosis of a two-point law with weights q, 1 − q: (1 − 3α)/α, α = q(1 − q)."""
    q = check_real("q", q, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    a = q * (1 - q)
    return (1 - 3 * a) / a


# ------------------------------------------------------------------------------------------
# Section 3: the printed Tables 2, 4 and the last row of Table 5 (data, transcribed)
# ------------------------------------------------------------------------------------------

#: Table 2 as printed: (activation, normalisation, n or None) -> (CIFAR-10, CIFAR-100) test
#: error. Transcription notes (each number checked twice against the text): the table is
#: printed in two halves; the first row of the right half lost its label in the text and is
#: LReLU + vcl (n = 9) by the n = 9, 7, 5, 3, 2 pattern of the other two activations (no
#: statement depends on it: it is neither a minimum nor a maximum of its group); the garbled
#: line "ELU+bii ELU+ln" is ELU + ln with the numbers printed on the next line.
VC_TABLE2 = {
    ("ReLU", "none", None): (0.0836, 0.328),
    ("ReLU", "bn", None): (0.0778, 0.291),
    ("ReLU", "ln", None): (0.0792, 0.307),
    ("ReLU", "gn", None): (0.0871, 0.319),
    ("ReLU", "vcl", 9): (0.0780, 0.308),
    ("ReLU", "vcl", 7): (0.0810, 0.305),
    ("ReLU", "vcl", 5): (0.0785, 0.304),
    ("ReLU", "vcl", 3): (0.0790, 0.306),
    ("ReLU", "vcl", 2): (0.0780, 0.303),
    ("LReLU", "none", None): (0.0670, 0.268),
    ("LReLU", "bn", None): (0.0708, 0.272),
    ("LReLU", "ln", None): (0.0700, 0.270),
    ("LReLU", "gn", None): (0.0707, 0.283),
    ("LReLU", "vcl", 9): (0.0660, 0.267),
    ("LReLU", "vcl", 7): (0.0665, 0.264),
    ("LReLU", "vcl", 5): (0.0648, 0.264),
    ("LReLU", "vcl", 3): (0.0657, 0.262),
    ("LReLU", "vcl", 2): (0.0645, 0.263),
    ("ELU", "none", None): (0.0698, 0.287),
    ("ELU", "bn", None): (0.0663, 0.267),
    ("ELU", "ln", None): (0.0675, 0.267),
    ("ELU", "gn", None): (0.0671, 0.282),
    ("ELU", "vcl", 9): (0.0670, 0.276),
    ("ELU", "vcl", 7): (0.0633, 0.271),
    ("ELU", "vcl", 5): (0.0615, 0.258),
    ("ELU", "vcl", 3): (0.0622, 0.261),
    ("ELU", "vcl", 2): (0.0615, 0.256),
}
VC_TABLE2_DATASETS = ("CIFAR-10", "CIFAR-100")
VC_ACTIVATIONS = ("ReLU", "LReLU", "ELU")


def table2_error(activation: str, norm: str, dataset: str) -> float:
    """Table 2's error of (activation, normalisation) on a dataset; for "vcl" the best over the
    printed n (the paper compares VCL at its best n; Section 2.4: best CNN results at n = 2)."""
    j = VC_TABLE2_DATASETS.index(dataset)
    vals = [v[j] for (a, nm, _), v in VC_TABLE2.items() if a == activation and nm == norm]
    if not vals:
        raise ValueError(f"no Table 2 entry for activation={activation!r}, norm={norm!r}")
    return min(vals)


#: Table 4 as printed: wins per normalisation (rows) and activation (columns ReLU, ELU, SELU)
#: over the 44 UCI data sets; a win is the minimal error among the three normalisations of the
#: same activation (ties count for each, constant performance for none)
VC_TABLE4 = {"none": (9, 14, 11), "bn": (15, 16, 15), "vcl": (27, 23, 28)}
VC_TABLE4_ACTIVATIONS = ("ReLU", "ELU", "SELU")
VC_UCI_DATASETS = 44

#: the last row of Table 5 as printed, "Number of wins out of 9 options", in the column order
#: ReLU (none, bn, vcl), ELU (none, bn, vcl), SeLU (none, bn, vcl)
VC_TABLE5_WINS9 = {("ReLU", "none"): 3, ("ReLU", "bn"): 3, ("ReLU", "vcl"): 3,
                   ("ELU", "none"): 5, ("ELU", "bn"): 8, ("ELU", "vcl"): 11,
                   ("SELU", "none"): 2, ("SELU", "bn"): 7, ("SELU", "vcl"): 11}


__all__ = [name for name in dir() if not name.startswith("_") and name not in
           ("annotations", "math", "np", "integrate", "special", "stats", "dataclass", "field",
            "numbers", "warnings")]


# --------------------------------------------------------------------------------------------
# Extension: Eq. 1 for any law given as a scipy distribution (issue 11)
# --------------------------------------------------------------------------------------------

def scipy_law_moments(dist) -> tuple[float, float]:
    """(σ², m₄) of a frozen scipy distribution (``scipy.stats.gamma(2)``, …), from its variance
    and excess kurtosis; raises ValueError when either is not finite."""
    if not hasattr(dist, "stats") or not hasattr(dist, "rvs"):
        raise TypeError(f"dist must be a frozen scipy.stats distribution, got {dist!r}")
    var, kurt = (float(v) for v in dist.stats(moments="vk"))
    if not (math.isfinite(var) and var > 0 and math.isfinite(kurt)):
        raise ValueError(f"Eq. 1 needs a finite variance and fourth moment; {dist.dist.name} has "
                         f"variance {var} and excess kurtosis {kurt}")
    return var, (kurt + 3.0) * var * var


def var_sample_variance_scipy(dist, n: int) -> float:
    """Eq. 1 for the law ``dist`` (a frozen scipy distribution) and batch size ``n``."""
    var, m4 = scipy_law_moments(dist)
    return var_sample_variance(m4, var, n)
