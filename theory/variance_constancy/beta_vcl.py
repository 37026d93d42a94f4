"""Section 2.2 of Littwin & Wolf, second part: the β-VCL loss of Eq. 17 (Eq. 11 at β = 0), its
expectation for normal and two-point activations, its gradients and the separating force."""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy import integrate, stats

from dropmc._validation import check_array, check_count, check_real
from dropmc.theory.variance_constancy._shared import _check_n
from dropmc.theory.variance_constancy.sample_variance import Law


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
    n = check_count("n", n, minimum=6)
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
# Section 2.2 (after Eq. 17): gradients of the β-VCL, the separating force
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
    s1 = check_array("s1", s1, ndim=1, min_size=2)
    s2 = check_array("s2", s2, ndim=1, min_size=2)
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
