"""An extension of Littwin & Wolf (issue 11): Eq. 1 for any law given as a frozen scipy
distribution."""

from __future__ import annotations

import math

from dropmc.theory.variance_constancy.sample_variance import var_sample_variance


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
