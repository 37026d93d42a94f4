"""Section 2.2 of Littwin & Wolf, first part: Theorem 3 (Eq. 12–16), its right-hand sides and
the bands of its events."""

from __future__ import annotations

from dropmc._validation import check_real
from dropmc.theory.variance_constancy.sample_variance import vcl_loss


# ------------------------------------------------------------------------------------------
# Theorem 3, Eq. 12–16
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
