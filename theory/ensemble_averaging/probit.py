"""Appendix F of Baldi & Sadowski: the probit approximation of E σ(S) (Eq. 235–242)."""

from __future__ import annotations

import math

import numpy as np
from scipy import integrate, special

from dropmc._validation import check_real
from dropmc.theory.ensemble_averaging._shared import SQRT_2PI, check_logistic


# ------------------------------------------------------------------------------------------
# Appendix F: probit approximation
# ------------------------------------------------------------------------------------------

ALPHAS = {"cox": 0.607, "bowling": 1 / 1.702, "slope": math.sqrt(2 * math.pi) / 4}


def _check_gaussian(mu, sigma, *, alpha=None, c=1.0, lam=1.0, sigma_open: bool = False):
    """Check the mean μ and standard deviation σ ≥ 0 (σ > 0 with ``sigma_open``) of S, the
    probit slope α when given, and (c, λ) of Eq. 27."""
    check_real("mu", mu)
    check_real("sigma", sigma, lo=0.0, lo_open=sigma_open)
    if alpha is not None:
        check_real("alpha", alpha)
    check_logistic(c, lam)


def probit_max_error(alpha: float) -> tuple[float, float]:
    """max_S |σ(S) − Φ(αS)| (Eq. 235) and the S where it is attained: a grid of step 1e-3 on
    [0, 40] (the error is odd in S and below 1e-12 beyond) refined by bounded optimisation."""
    from scipy import optimize

    check_real("alpha", alpha)
    S = np.linspace(0.0, 40.0, 40001)
    err = np.abs(special.expit(S) - special.ndtr(alpha * S))
    i = int(np.argmax(err))
    f = lambda s: -abs(float(special.expit(s)) - float(special.ndtr(alpha * s)))
    r = optimize.minimize_scalar(f, bounds=(S[max(i - 1, 0)], S[min(i + 1, S.size - 1)]),
                                 method="bounded", options={"xatol": 1e-12})
    return -float(r.fun), float(r.x)


def probit_minimax_alpha() -> float:
    """The α minimising max_S |σ(S) − Φ(αS)| (the criterion behind 1/1.702, Camilli 1994, as
    used by Bowling et al. [15])."""
    from scipy import optimize

    r = optimize.minimize_scalar(lambda a: probit_max_error(a)[0], bounds=(0.55, 0.65),
                                 method="bounded", options={"xatol": 1e-10})
    return float(r.x)


def eq241_corrected(mu, sigma, alpha, c=1.0, lam=1.0) -> float:
    r"""Eq. 241 with the λ² of the corrected Eq. 239–240:
    :math:`1/(1 + e^{-(\lambda\mu_S - \log c)/\sqrt{1 + \lambda^2\sigma_S^2\alpha^2}})`."""
    _check_gaussian(mu, sigma, alpha=alpha, c=c, lam=lam)
    return float(special.expit((lam * mu - math.log(c)) / math.sqrt(1 + (lam * sigma * alpha) ** 2)))


def _gauss_expect(g, mu: float, sigma: float, center: float) -> float:
    """E g(S) for S ~ N(μ, σ²) by adaptive quadrature in z = (S − μ)/σ, with a breakpoint where
    g changes fastest (``center``, in S units)."""
    _check_gaussian(mu, sigma, sigma_open=True)
    zc = (center - mu) / sigma
    f = lambda z: g(mu + sigma * z) * math.exp(-0.5 * z * z) / SQRT_2PI
    pts = sorted({-40.0, max(-39.0, min(39.0, zc)), 40.0})
    tot = 0.0
    for a, b in zip(pts[:-1], pts[1:]):
        tot += integrate.quad(f, a, b, epsabs=1e-14, epsrel=1e-12, limit=400)[0]
    return tot


def logistic_gaussian_mean_quad(mu: float, sigma: float, c: float = 1.0, lam: float = 1.0):
    """E σ(S) for S ~ N(μ, σ²) by adaptive quadrature — the exact left side of Eq. 237's
    target E(O)."""
    c, lam = check_logistic(c, lam)
    return _gauss_expect(lambda s: float(special.expit(lam * s - math.log(c))), mu, sigma,
                         math.log(c) / lam)


def eq237_probit_integral(mu: float, sigma: float, alpha: float, c=1.0, lam=1.0) -> float:
    r"""Eq. 237 exactly: :math:`\int\Phi(\alpha(\lambda S - \log c))\,\mathcal N(S;\mu,\sigma^2)dS
    = \Phi(\alpha(\lambda\mu - \log c)/\sqrt{1 + \alpha^2\lambda^2\sigma^2})`."""
    _check_gaussian(mu, sigma, alpha=alpha, c=c, lam=lam)
    return float(special.ndtr(alpha * (lam * mu - math.log(c)) / math.sqrt(1 + alpha ** 2 * lam ** 2 * sigma ** 2)))


def eq237_quad(mu, sigma, alpha, c=1.0, lam=1.0) -> float:
    """Eq. 237 by adaptive quadrature."""
    _check_gaussian(mu, sigma, alpha=alpha, c=c, lam=lam, sigma_open=True)
    return _gauss_expect(lambda s: float(special.ndtr(alpha * (lam * s - math.log(c)))), mu, sigma,
                         math.log(c) / lam)


def eq240_as_printed(mu, sigma, alpha, c=1.0, lam=1.0) -> float:
    r"""Eq. 240 as printed: :math:`\Phi((\lambda\mu_S - \log c)/(\sigma_S^2 + \alpha^{-2}))`."""
    _check_gaussian(mu, sigma, alpha=alpha, c=c, lam=lam)
    return float(special.ndtr((lam * mu - math.log(c)) / (sigma ** 2 + alpha ** -2)))


def eq241(mu, sigma, alpha, c=1.0, lam=1.0) -> float:
    r"""Eq. 241 (final): :math:`1/(1 + e^{-(\lambda\mu_S - \log c)/\sqrt{1 + \sigma_S^2\alpha^2}})`."""
    _check_gaussian(mu, sigma, alpha=alpha, c=c, lam=lam)
    return float(special.expit((lam * mu - math.log(c)) / math.sqrt(1 + sigma ** 2 * alpha ** 2)))


def eq242(mu, sigma) -> float:
    """Eq. 242 (c = λ = 1, α² ≈ 0.368): 1/(1 + exp(−(1 + 0.368σ²)^{−1/2}μ))."""
    _check_gaussian(mu, sigma)
    return float(special.expit(mu / math.sqrt(1 + 0.368 * sigma ** 2)))


def non_gaussian_example(eps: float) -> tuple[float, float]:
    r"""Appendix F's last paragraph: S = −1/ε w.p. 1 − ε and 1/ε³ w.p. ε (c = λ = 1).
    Returns (E(O), NWGM) = (Σ P σ(S), σ(E S))."""
    eps = check_real("eps", eps, lo=0.0, hi=1.0, lo_open=True, hi_open=True)
    S = np.array([-1 / eps, 1 / eps ** 3])
    P = np.array([1 - eps, eps])
    return float(P @ special.expit(S)), float(special.expit(P @ S))
