"""Section 2.3 of Littwin & Wolf: the right-hand side of Eq. 20."""

from __future__ import annotations

from dropmc.theory.variance_constancy.two_batch_bound import chebyshev_term


def eq20_rhs(kappa: float, n: int, eps: float) -> float:
    """Eq. 20: 1 − (1/ε²)(κ/n − (n−3)/(n(n−1))) (negative, hence vacuous, when x > 1)."""
    return 1.0 - chebyshev_term(kappa, n, eps)
