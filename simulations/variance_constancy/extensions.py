"""An extension of Littwin & Wolf (issue 11): Eq. 1 for any law given as a frozen scipy
distribution (plain numpy, draws with ``dist.rvs``)."""

from __future__ import annotations

import numpy as np

from dropmc._validation import check_samples
from dropmc.estimate import Estimate, function_estimate, seed_of
from dropmc.simulations._core import as_seed_sequence, run_chunks


# ------------------------------------------------------------------------------------------
# Extension: Eq. 1 for any scipy law (issue 11) -- plain numpy, draws with dist.rvs
# ------------------------------------------------------------------------------------------

def estimate_var_sample_variance_scipy(dist, n: int, reps: int = 200_000, rng=None,
                                       *, chunk_size: int = 1 << 12) -> Estimate:
    """Monte Carlo E[(σ² − σ_s²)²] for batches of ``n`` draws of the frozen scipy distribution
    ``dist`` (its ``rvs`` fed each chunk's own PCG64 generator), σ² its exact variance; batch
    means over ≥ 128 chunks (t with chunks − 1 dof, critical value 4.70 for z* = 4.5)."""
    from dropmc.theory.variance_constancy import scipy_law_moments

    n = check_samples("n", n, minimum=2, bytes_per_sample=8 * chunk_size)
    reps = check_samples("reps", reps, minimum=64)
    var, _ = scipy_law_moments(dist)
    ss = as_seed_sequence(rng)

    def kernel(g, m):
        x = np.asarray(dist.rvs(size=(m, n), random_state=g), dtype=float)
        s2 = x.var(axis=1, ddof=1)
        return (m, float(np.mean((s2 - var) ** 2)))

    arr = np.array(run_chunks(kernel, reps, ss, chunk_size=chunk_size, min_chunks=128), dtype=float)
    return function_estimate(lambda v: v[0], arr[:, 1:], reps, batch_sizes=arr[:, 0],
                             seed=seed_of(ss))
