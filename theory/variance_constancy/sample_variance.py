"""Section 2 of Littwin & Wolf: the family of activation laws (:class:`Law`) and their moments,
Eq. 1, Eq. 4/6 and Theorem 1, the exact enumeration of Eq. 1 for finite laws and the count of
mode patterns."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import integrate, special, stats

from dropmc._validation import check_array, check_int, check_probability, check_real
from dropmc.theory.variance_constancy._shared import _check_n, _mixture_central


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
