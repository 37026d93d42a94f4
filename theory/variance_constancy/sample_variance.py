"""Section 2 of Littwin & Wolf: the family of activation laws (:class:`Law`) and their moments,
Eq. 1, Eq. 4/6 and Theorem 1, the exact enumeration of Eq. 1 for finite laws and the count of
mode patterns."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import integrate, special, stats

from dropmc._validation import (check_array, check_choice, check_count, check_probability,
                                check_real)
from dropmc.theory.variance_constancy._shared import _check_n, _mixture_central


# ------------------------------------------------------------------------------------------
# The family of laws
# ------------------------------------------------------------------------------------------

LAW_KINDS = ("normal", "uniform", "exponential", "laplace", "two_point", "gmm2", "student_t",
             "beta", "discrete", "scipy")


#: the parameters of each built-in parametric kind, in order, and what each must be: any
#: finite real, a positive one, or a probability in (0, 1)
_LAW_PARAMS = {
    "normal": (("mu", "real"), ("sigma", "positive")),
    "uniform": (("a", "real"), ("b", "real")),
    "exponential": (("scale", "positive"),),
    "laplace": (("loc", "real"), ("scale", "positive")),
    "two_point": (("a", "real"), ("b", "real"), ("q", "probability")),
    "gmm2": (("p", "probability"), ("mu1", "real"), ("mu2", "real"), ("s1", "positive"),
             ("s2", "positive")),
    "student_t": (("nu", "real"), ("loc", "real"), ("scale", "positive")),
    "beta": (("a", "positive"), ("b", "positive")),
}


def _law_params(kind: str, params) -> tuple:
    """The parameters of a built-in parametric ``kind`` as a tuple of floats, after checking
    them (in the order each :class:`Law` constructor documents); ValueError naming the one
    that is out of range."""
    spec = _LAW_PARAMS[kind]
    if not isinstance(params, (tuple, list)) or len(params) != len(spec):
        raise ValueError(f"params of a {kind!r} law must be a tuple "
                         f"({', '.join(name for name, _ in spec)}), got {params!r}")
    v = {}
    for (name, rule), x in zip(spec, params):
        if rule == "probability":
            v[name] = check_probability(name, x, allow_one=False)
        else:
            v[name] = check_real(name, x, lo=0.0 if rule == "positive" else None,
                                 lo_open=rule == "positive")
    if kind == "uniform" and not v["b"] > v["a"]:
        raise ValueError(f"b must be greater than a, got a = {v['a']!r}, b = {v['b']!r}")
    if kind == "two_point" and v["a"] == v["b"]:
        raise ValueError(f"b must differ from a (a constant has no variance), got {v['a']!r}")
    if kind == "student_t" and not v["nu"] > 4.0:
        raise ValueError(f"nu must be > 4 for a finite fourth moment, got {v['nu']!r}")
    return tuple(v.values())


def _check_scipy_law(dist) -> None:
    """Check that ``dist`` is a frozen scipy continuous law with a finite, positive variance
    and a finite fourth moment."""
    if not (hasattr(dist, "dist") and isinstance(dist.dist, stats.rv_continuous)):
        raise TypeError("dist must be a frozen scipy.stats continuous distribution, e.g. "
                        f"scipy.stats.gamma(3.0); got {dist!r}")
    with np.errstate(all="ignore"):
        var, kurt = (float(v) for v in dist.stats(moments="vk"))
    if not (math.isfinite(var) and var > 0 and math.isfinite(kurt)):
        raise ValueError(f"dist must have a finite, positive variance and a finite fourth "
                         f"moment; {dist.dist.name}{dist.args} has variance {var} and excess "
                         f"kurtosis {kurt}")


def _discrete_law(atoms, weights) -> tuple[np.ndarray, np.ndarray]:
    """The atoms and normalised weights of a finite law, checked: ≥ 2 distinct atoms with
    positive weight, weights non-negative with a positive sum."""
    x = check_array("atoms", atoms, ndim=1, min_size=2)
    w = check_array("weights", weights, ndim=1, shape=(x.size,))
    if np.any(w < 0) or not w.sum() > 0:
        raise ValueError(f"weights must be non-negative with a positive sum, got {w}")
    w = w / w.sum()
    if np.unique(x[w > 0]).size < 2:
        raise ValueError("atoms must hold at least 2 distinct values with positive weight, "
                         f"got atoms {x} with weights {w}")
    return x.copy(), w


@dataclass(frozen=True)
class Law:
    """A univariate activation law ρ with a finite fourth moment.

    Build it with the constructors below (:meth:`normal`, :meth:`two_point`, ...). ``kind`` is
    one of :data:`LAW_KINDS`; ``params`` is a tuple of floats in the order each constructor
    documents; ``dist`` holds the frozen scipy law for kind ``"scipy"`` and the atoms and
    weights for ``"discrete"``. The parameters are checked however the law is built (a direct
    ``Law("normal", (0, -1))`` raises naming ``sigma``); an empty ``label`` of a discrete or
    scipy law is filled in.
    """

    kind: str
    params: tuple
    dist: object = field(default=None, compare=False)
    label: str = ""

    def __post_init__(self):
        check_choice("kind", self.kind, LAW_KINDS)
        if self.kind in _LAW_PARAMS:
            object.__setattr__(self, "params", _law_params(self.kind, self.params))
            return
        if self.params != ():
            raise ValueError(f"params of a {self.kind!r} law must be (), got {self.params!r}")
        if self.kind == "discrete":
            if not (isinstance(self.dist, tuple) and len(self.dist) == 2):
                raise TypeError(f"dist of a 'discrete' law must be (atoms, weights), got "
                                f"{self.dist!r}")
            x, w = _discrete_law(*self.dist)
            object.__setattr__(self, "dist", (x, w))
            default = f"discrete({x.size} atoms)"
        else:
            _check_scipy_law(self.dist)
            default = f"{self.dist.dist.name}{self.dist.args}"
        if not self.label:
            object.__setattr__(self, "label", default)

    # -- constructors ---------------------------------------------------------------------
    @staticmethod
    def normal(mu: float = 0.0, sigma: float = 1.0) -> "Law":
        mu, sigma = _law_params("normal", (mu, sigma))
        return Law("normal", (mu, sigma), label=f"N({mu:g}, {sigma:g}²)")

    @staticmethod
    def uniform(a: float = 0.0, b: float = 1.0) -> "Law":
        a, b = _law_params("uniform", (a, b))
        return Law("uniform", (a, b), label=f"U({a:g}, {b:g})")

    @staticmethod
    def exponential(scale: float = 1.0) -> "Law":
        (scale,) = _law_params("exponential", (scale,))
        return Law("exponential", (scale,), label=f"Exp(scale {scale:g})")

    @staticmethod
    def laplace(loc: float = 0.0, scale: float = 1.0) -> "Law":
        loc, scale = _law_params("laplace", (loc, scale))
        return Law("laplace", (loc, scale), label=f"Laplace({loc:g}, {scale:g})")

    @staticmethod
    def two_point(a: float = -1.0, b: float = 1.0, q: float = 0.5) -> "Law":
        """ρ = b with probability q, a otherwise (symmetric when q = 1/2)."""
        a, b, q = _law_params("two_point", (a, b, q))
        return Law("two_point", (a, b, q), label=f"two-point({a:g}, {b:g}; q={q:g})")

    @staticmethod
    def gmm2(p: float = 0.5, mu1: float = -1.0, mu2: float = 1.0, s1: float = 0.5,
             s2: float = 0.5) -> "Law":
        """p N(mu1, s1²) + (1 − p) N(mu2, s2²)."""
        p, mu1, mu2, s1, s2 = _law_params("gmm2", (p, mu1, mu2, s1, s2))
        return Law("gmm2", (p, mu1, mu2, s1, s2),
                   label=f"{p:g}N({mu1:g},{s1:g}²)+{1 - p:g}N({mu2:g},{s2:g}²)")

    @staticmethod
    def student_t(nu: float, loc: float = 0.0, scale: float = 1.0) -> "Law":
        """Student-t with ν > 4 degrees of freedom (m4 is infinite for ν ≤ 4)."""
        nu, loc, scale = _law_params("student_t", (nu, loc, scale))
        return Law("student_t", (nu, loc, scale), label=f"t(ν={nu:g})")

    @staticmethod
    def beta(a: float, b: float) -> "Law":
        a, b = _law_params("beta", (a, b))
        return Law("beta", (a, b), label=f"Beta({a:g}, {b:g})")

    @staticmethod
    def discrete(atoms, weights) -> "Law":
        """A finite law: P(ρ = atoms[i]) = weights[i] (weights normalised; ≥ 2 distinct atoms
        with positive weight)."""
        return Law("discrete", (), dist=(atoms, weights))

    @staticmethod
    def from_scipy(dist, label: str = "") -> "Law":
        """Any frozen ``scipy.stats`` continuous law with a finite fourth moment."""
        return Law("scipy", (), dist=dist, label=label)

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

    ``m4`` must be at least σ⁴ (κ = m4/σ⁴ ≥ 1 for every law, as in :func:`vcl_loss`).
    """
    n = _check_n(n)
    m4 = check_real("m4", m4, lo=0.0)
    sigma2 = check_real("sigma2", sigma2, lo=0.0, lo_open=True)
    if m4 < sigma2 * sigma2 * (1.0 - 1e-9):
        raise ValueError(f"m4 must be >= sigma2² = {sigma2 * sigma2!r} (the kurtosis m4/σ⁴ of "
                         f"every law is at least 1), got {m4!r}")
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


#: the largest count of patterns computed, in bits: C(n+k−1, k−1) of 2**16 bits takes ~0.1 s
#: (and the time grows quadratically beyond)
MAX_PATTERN_BITS = 2**16


def _check_patterns(n, k) -> tuple[int, int]:
    return check_count("n", n), check_count("k", k)


def _binomial(top: int, bottom: int, n: int, k: int) -> int:
    """C(top, bottom) for the pattern counts of n draws from k modes, refused (naming n and k)
    when it would have more than :data:`MAX_PATTERN_BITS` bits."""
    bits = (math.lgamma(top + 1) - math.lgamma(bottom + 1)
            - math.lgamma(top - bottom + 1)) / math.log(2)
    if bits > MAX_PATTERN_BITS:
        raise ValueError(f"n = {n} and k = {k} give about 2**{bits:.0f} patterns; n and k must "
                         f"keep the count below 2**{MAX_PATTERN_BITS}")
    return math.comb(top, bottom)


def mode_patterns(n: int, k: int) -> int:
    """The number of distinct patterns (multisets) of n draws from k modes: C(n+k−1, k−1).

    Section 2 prints "only n possible patterns" for two modes (and lists four for n = 3) and
    C(n+k−1, k) for k modes; :func:`printed_mode_patterns` returns those."""
    n, k = _check_patterns(n, k)
    return _binomial(n + k - 1, k - 1, n, k)


def printed_mode_patterns(n: int, k: int) -> int:
    """The counts as printed in Section 2: n for k = 2, C(n+k−1, k) in general."""
    n, k = _check_patterns(n, k)
    return _binomial(n + k - 1, k, n, k)

