"""Section 2.2 of Littwin & Wolf, first part: the empirical probabilities of the events of
Theorem 3 (Eq. 12–16) and Eq. 20 for two independent sub-batches."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from dropmc._validation import check_array, check_samples
from dropmc.estimate import binomial_estimate, seed_of
from dropmc.simulations._core import JIT, as_seed_sequence, run_chunks
from dropmc.simulations.variance_constancy._shared import CHUNK, _chunk_sampler
from dropmc.theory.variance_constancy import Law, central_moments


# ------------------------------------------------------------------------------------------
# Theorem 3 (Eq. 12–16) and Eq. 20: empirical probabilities of the events
# ------------------------------------------------------------------------------------------

#: event names, in the column order of :func:`_events_kernel`
EVENTS = ("eq13", "eq14", "eq15", "eq12", "eq12_upper", "eq20", "undefined")


@njit(**JIT)
def _events_kernel(ab, sigma2, eps):
    """Counts of the events for pairs (a, b) = (σ²_{s1}, σ²_{s2}) and each ε:
    eq13 |1 − a/σ²| > ε;  eq14 both |1 − a/σ²|, |1 − b/σ²| ≤ ε;
    eq15 (1−ε)/(1+ε) ≤ a/b ≤ (1+ε)/(1−ε);  eq12 4ε²/(1+ε)² ≤ (1 − a/b)² ≤ 4ε²/(1−ε)²;
    eq12_upper (1 − a/b)² ≤ 4ε²/(1−ε)²;  eq20 1/√(1+ε) ≤ σ/σ_{s1} ≤ 1/√(1−ε);
    undefined: a = b = 0 (the ratio is 0/0; counted in no ratio event)."""
    m = ab.shape[0]
    ne = eps.shape[0]
    c = np.zeros((ne, 7), dtype=np.int64)
    sig = math.sqrt(sigma2)
    for r in range(m):
        a = ab[r, 0]
        b = ab[r, 1]
        u = a / sigma2
        v = b / sigma2
        undefined = a == 0.0 and b == 0.0
        if b > 0.0:
            R = a / b
        else:
            R = math.inf
        L = (1.0 - R) ** 2
        ratio_sd = sig / math.sqrt(a) if a > 0.0 else math.inf
        for j in range(ne):
            e = eps[j]
            if abs(1.0 - u) > e:
                c[j, 0] += 1
            if abs(1.0 - u) <= e and abs(1.0 - v) <= e:
                c[j, 1] += 1
            if undefined:
                c[j, 6] += 1
            else:
                if (1 - e) / (1 + e) <= R <= (1 + e) / (1 - e):
                    c[j, 2] += 1
                lo = 4 * e * e / ((1 + e) * (1 + e))
                hi = 4 * e * e / ((1 - e) * (1 - e))
                if lo <= L <= hi:
                    c[j, 3] += 1
                if L <= hi:
                    c[j, 4] += 1
            if 1.0 / math.sqrt(1 + e) <= ratio_sd <= 1.0 / math.sqrt(1 - e):
                c[j, 5] += 1
    return c


def estimate_ratio_events(law: Law, n: int, eps, reps: int = 100_000, rng=None) -> dict:
    """Empirical probabilities of the events of Eq. 12–16 and Eq. 20 from ``reps`` pairs of
    independent sub-batches of size ``n``.

    Returns ``{event: [Estimate per eps]}`` for the events of :data:`EVENTS` (binomial SEs).
    ``eps`` is a scalar or a 1-D array of values in (0, 1).
    """
    eps_arr = np.atleast_1d(check_array("eps", eps, ndim=None)).astype(float).ravel()
    if np.any((eps_arr <= 0) | (eps_arr >= 1)):
        raise ValueError(f"eps must lie in (0, 1), got {eps_arr}")
    f, stream = _chunk_sampler(law, n)
    reps = check_samples("reps", reps)
    _, sigma2, _ = central_moments(law)
    ss = as_seed_sequence(rng)

    def kern(g, m):
        return _events_kernel(f(g, 2 * m).reshape(m, 2), sigma2, eps_arr)

    counts = sum(run_chunks(kern, reps, ss, chunk_size=CHUNK, stream=stream))
    seed = seed_of(ss)
    return {ev: [binomial_estimate(int(counts[j, i]), reps, seed=seed)
                 for j in range(eps_arr.size)] for i, ev in enumerate(EVENTS)}
