"""Appendix E of Baldi & Sadowski: the distributions of O = σ(S) and of S (Eq. 224–234)."""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, special

from dropmc._validation import check_array, check_int, check_open_unit, check_real, check_reals
from dropmc.theory.ensemble_averaging._shared import SQRT_2PI, check_logistic, log_logistic


# ------------------------------------------------------------------------------------------
# Appendix E: distributions
# ------------------------------------------------------------------------------------------

#: the largest number of terms n of Eq. 228–229 (the int64 range)
MAX_TERMS = 2**63 - 1


def _logit_normal(o, mu, sigma, c, lam) -> np.ndarray:
    """Check values ``o`` in (0, 1), the law N(μ, σ²) of S (σ > 0) and (c, λ) of Eq. 27."""
    _normal(mu, sigma, c, lam)
    check_open_unit("o", o)
    return np.asarray(o, float)


def _normal(mu, sigma, c, lam) -> None:
    check_real("mu", mu)
    check_real("sigma", sigma, lo=0.0, lo_open=True)
    check_logistic(c, lam)


def _beta(a, b, c, lam) -> None:
    check_real("a", a, lo=0.0, lo_open=True)
    check_real("b", b, lo=0.0, lo_open=True)
    check_logistic(c, lam)


def density_O_gaussian_S(o, mu: float, sigma: float, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 226: density of O = σ(S) for S ~ N(μ, σ²):
    :math:`\phi((s(o) - \mu)/\sigma)/\sigma \cdot \frac{1}{\lambda o(1-o)}` with
    :math:`s(o) = -\frac1\lambda\log\frac{1-o}{co}`."""
    o = _logit_normal(o, mu, sigma, c, lam)
    s = -np.log((1 - o) / (c * o)) / lam
    return np.exp(-(s - mu) ** 2 / (2 * sigma ** 2)) / (SQRT_2PI * sigma) / (lam * o * (1 - o))


def cdf_O_gaussian_S(o, mu, sigma, c=1.0, lam=1.0):
    """The CDF of O: Φ((s(o) − μ)/σ) (the integral of Eq. 225 from −∞)."""
    o = _logit_normal(o, mu, sigma, c, lam)
    s = -np.log((1 - o) / (c * o)) / lam
    return special.ndtr((s - mu) / sigma)


def eq225_as_printed(o, mu, sigma, c=1.0, lam=1.0):
    """Eq. 225 as printed: the Gaussian density integrated from 0 (not −∞) to s(o)."""
    o = _logit_normal(o, mu, sigma, c, lam)
    s = -np.log((1 - o) / (c * o)) / lam
    return special.ndtr((s - mu) / sigma) - special.ndtr((0 - mu) / sigma)


def eq227(o):
    r"""Eq. 227 (μ = 0, λ = c = σ = 1): :math:`\frac{1}{\sqrt{2\pi}}(1-o)^{-1-\frac12\log\frac{1-o}{o}}
    o^{-1+\frac12\log\frac{1-o}{o}}`."""
    check_open_unit("o", o)
    o = np.asarray(o, float)
    L = np.log((1 - o) / o)
    return (1 - o) ** (-1 - 0.5 * L) * o ** (-1 + 0.5 * L) / SQRT_2PI


def sum_moments(n: int, mu_w, var_w, mu_o, var_o) -> tuple[float, float]:
    """Eq. 228–229: E(S) = nμ_wμ_O, Var(S) = n[(σ_w²+μ_w²)(σ_O²+μ_O²) − μ_w²μ_O²]."""
    n = check_int("n", n, minimum=0, maximum=MAX_TERMS)
    check_reals(mu_w=mu_w, mu_o=mu_o)
    check_real("var_w", var_w, lo=0.0)
    check_real("var_o", var_o, lo=0.0)
    return n * mu_w * mu_o, n * ((var_w + mu_w ** 2) * (var_o + mu_o ** 2) - mu_w ** 2 * mu_o ** 2)


def density_S_beta_O(s, a: float, b: float, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 233: :math:`f_S(s) = \lambda B(a,b)\sigma(s)^a(1-\sigma(s))^b` with
    :math:`B(a,b) = \Gamma(a+b)/\Gamma(a)\Gamma(b)` (log domain)."""
    check_array("s", s)
    _beta(a, b, c, lam)
    lo, l1 = log_logistic(s, c, lam)
    return lam * np.exp(-special.betaln(a, b) + a * lo + b * l1)


def eq234(s, a: float, c: float = 1.0, lam: float = 1.0):
    r"""Eq. 234 (a = b): :math:`\lambda B(a,a)(ce^{-\lambda s}/(1+ce^{-\lambda s})^2)^a`."""
    check_array("s", s)
    _beta(a, a, c, lam)
    s = np.asarray(s, float)
    x = lam * s - math.log(c)
    logr = -x - 2 * np.logaddexp(0, -x)
    return lam * np.exp(-special.betaln(a, a) + a * logr)


def logit_normal_modes(mu: float, sigma: float, c: float = 1.0, lam: float = 1.0) -> np.ndarray:
    r"""The modes of the density of O = σ(S), S ~ N(μ, σ²) (Eq. 226), as values of o.

    With x = λS − log c ~ N(m, s²) (m = λμ − log c, s = |λ|σ) and o = 1/(1 + e^{−x}),
    :math:`\log f_O = -\frac{(x-m)^2}{2s^2} - \log o(1-o) + \text{const}`, whose derivative in x is
    :math:`F'(x) = -(x - m)/s^2 + \tanh(x/2)`; the modes are the zeros of F' where it changes
    from + to −, found by bisection between the sign changes on a fine grid. Since
    :math:`F'' = -1/s^2 + 2o(1-o) \le -1/s^2 + 1/2`, the density is unimodal whenever s ≤ √2."""
    _normal(mu, sigma, c, lam)
    m = lam * mu - math.log(c)
    s = abs(lam) * sigma
    lo, hi = m - 12 * s - 4, m + 12 * s + 4
    x = np.linspace(lo, hi, 20_001)
    d = -(x - m) / s ** 2 + np.tanh(x / 2)
    idx = np.flatnonzero((d[:-1] > 0) & (d[1:] <= 0))
    fp = lambda t: -(t - m) / s ** 2 + math.tanh(t / 2)  # noqa: E731
    roots = [optimize.brentq(fp, x[k], x[k + 1]) if d[k + 1] < 0 else x[k + 1] for k in idx]
    return special.expit(np.asarray(roots, float))


def unimodal_spread_threshold(lam: float = 1.0) -> float:
    """The largest σ for which the density of Eq. 226 is unimodal for every μ and c: √2/|λ|
    (at λμ = log c it is bimodal beyond)."""
    return math.sqrt(2.0) / abs(lam)


def _logit_grid(m: float, s: float, width: float = 40.0, n: int = 8_001) -> np.ndarray:
    return np.linspace(m - 14 * s - width, m + 14 * s + width, n)


def nearest_beta(mu: float, sigma: float, c: float = 1.0, lam: float = 1.0) -> dict:
    r"""The beta density closest in Hellinger distance to the density of Eq. 226.

    :math:`H^2 = 1 - \int\sqrt{f_Og}\,do`, computed in the logit variable x = λs − log c, where
    :math:`f_O\,do = \phi_{m,s}(x)\,dx` and a Beta(a, b) density becomes
    :math:`o^a(1-o)^b/B(a, b)\,dx`; minimised over (log a, log b) from the moment-matched beta.
    Returns ``a``, ``b``, ``hellinger`` (H ∈ [0, 1])."""
    _normal(mu, sigma, c, lam)
    m = lam * mu - math.log(c)
    s = abs(lam) * sigma
    x = _logit_grid(m, s)
    logphi = -0.5 * ((x - m) / s) ** 2 - math.log(s * SQRT_2PI)
    lo, l1 = -np.logaddexp(0, -x), -np.logaddexp(0, x)

    def h2(t):
        a, b = math.exp(t[0]), math.exp(t[1])
        logg = a * lo + b * l1 - special.betaln(a, b)
        return 1.0 - float(np.trapezoid(np.exp(0.5 * (logphi + logg)), x))

    o = special.expit(x)
    w = np.exp(logphi)
    E = float(np.trapezoid(w * o, x))
    V = float(np.trapezoid(w * (o - E) ** 2, x))
    k = max(E * (1 - E) / V - 1, 1e-3)
    t0 = np.log([max(E * k, 1e-3), max((1 - E) * k, 1e-3)])
    r = optimize.minimize(h2, t0, method="Nelder-Mead",
                          options={"xatol": 1e-9, "fatol": 1e-14, "maxiter": 4000})
    return {"a": float(math.exp(r.x[0])), "b": float(math.exp(r.x[1])),
            "hellinger": math.sqrt(max(float(r.fun), 0.0))}


def nearest_gaussian_eq233(a: float, b: float, c: float = 1.0, lam: float = 1.0) -> dict:
    r"""The Gaussian density closest in Hellinger distance to Eq. 233,
    :math:`f_S(s) = \lambda B(a,b)\sigma(s)^a(1-\sigma(s))^b`; minimised over (μ, log σ) from the
    moment-matched Gaussian. Returns ``mu``, ``sigma``, ``hellinger``."""
    _beta(a, b, c, lam)
    # in x = λs − log c the density is o^a(1 − o)^b / B(a, b) (a logistic-beta law)
    m0 = float(special.digamma(a) - special.digamma(b))
    s0 = math.sqrt(float(special.polygamma(1, a) + special.polygamma(1, b)))
    x = _logit_grid(m0, s0, width=60.0 / min(a, b, 1.0))
    logf = a * -np.logaddexp(0, -x) + b * -np.logaddexp(0, x) - special.betaln(a, b)

    def h2(t):
        mu, sd = t[0], math.exp(t[1])
        logg = -0.5 * ((x - mu) / sd) ** 2 - math.log(sd * SQRT_2PI)
        return 1.0 - float(np.trapezoid(np.exp(0.5 * (logf + logg)), x))

    r = optimize.minimize(h2, [m0, math.log(s0)], method="Nelder-Mead",
                          options={"xatol": 1e-9, "fatol": 1e-14, "maxiter": 4000})
    mu_x, sd_x = float(r.x[0]), math.exp(float(r.x[1]))
    return {"mu": (mu_x + math.log(c)) / lam, "sigma": sd_x / abs(lam),
            "hellinger": math.sqrt(max(float(r.fun), 0.0))}
