"""Section 2.2 of Littwin & Wolf, second part: the β-VCL loss of Eq. 17 at a scale of the
activations, and the relative errors of the sample moments of small batches (end of Section 2.2)."""

from __future__ import annotations

import numpy as np

from dropmc._validation import check_real, check_samples
from dropmc.estimate import Estimate, function_estimate, seed_of
from dropmc.simulations._core import as_seed_sequence, run_chunks
from dropmc.simulations.variance_constancy._shared import (
    CHUNK, MIN_BATCHES, _chunked_stat, _matrix_sampler, _mean_estimate_from_chunks)
from dropmc.theory.variance_constancy import Law, central_moments


# ------------------------------------------------------------------------------------------
# Eq. 17: the β-VCL loss
# ------------------------------------------------------------------------------------------

def estimate_vcl_beta(law: Law, n: int, beta: float, reps: int = 200_000, *,
                      scale: float = 1.0, rng=None) -> Estimate:
    """Monte Carlo E(1 − σ²_{s1}/(σ²_{s2} + β))² (Eq. 17) for activations c·ρ, c = ``scale``,
    with two independent sub-batches of size n. At β = 0 it is Eq. 11 (infinite mean when
    σ²_{s2} = 0 has positive probability)."""
    beta = check_real("beta", beta, lo=0.0)
    scale = check_real("scale", scale, lo=0.0, lo_open=True)
    c2 = scale * scale

    def stat(v):
        with np.errstate(divide="ignore", invalid="ignore"):
            return [np.mean((1.0 - c2 * v[:, 0] / (c2 * v[:, 1] + beta)) ** 2)]

    st, sz, seed = _chunked_stat(law, n, reps, rng, stat, 1, pairs=True)
    return _mean_estimate_from_chunks(st, sz, seed)


# ------------------------------------------------------------------------------------------
# Section 2.2 (end): sample moments of small batches
# (numpy on the draws of the law's matrix sampler; no new kernel)
# ------------------------------------------------------------------------------------------

def estimate_moment_errors(law: Law, n: int, reps: int = 200_000, rng=None) -> dict:
    """Relative mean squared errors of batch statistics over batches of size n:
    E(σ_s²/σ² − 1)² (the unbiased sample variance; Eq. 1 divided by σ⁴), E(m̂₄/m₄ − 1)²
    (m̂₄ = (1/n)Σ(ρ_i − ρ̄)⁴, the sample fourth central moment) and E(κ̂/κ − 1)² (κ̂ =
    m̂₄/σ̂⁴ with σ̂² = (1/n)Σ(ρ_i − ρ̄)², defined when the batch is not constant; constant
    batches count as κ̂ = 0), paired on the same draws; batch-means SEs. Returns
    ``{"var", "m4", "kurt", "m4_minus_var"}`` of Estimates."""
    draw, stream = _matrix_sampler(law)
    n = check_samples("n", n, minimum=2, bytes_per_sample=8 * CHUNK)   # (chunk, n) draws at once
    reps = check_samples("reps", reps, minimum=64)
    _, sigma2, m4 = central_moments(law)
    kappa = m4 / sigma2 ** 2
    ss = as_seed_sequence(rng)

    def kern(g, m):
        X = draw(g, m, n)
        d = X - X.mean(axis=1, keepdims=True)
        d2 = d * d
        s2 = d2.sum(1) / (n - 1)
        m4h = (d2 * d2).sum(1) / n
        v = d2.sum(1) / n
        with np.errstate(divide="ignore", invalid="ignore"):
            kh = np.where(v > 0, m4h / (v * v), 0.0)
        ev = (s2 / sigma2 - 1) ** 2
        e4 = (m4h / m4 - 1) ** 2
        ek = (kh / kappa - 1) ** 2
        return np.array([ev.mean(), e4.mean(), ek.mean()]), m

    parts = run_chunks(kern, reps, ss, chunk_size=CHUNK, min_chunks=MIN_BATCHES, stream=stream)
    st = np.array([q[0] for q in parts])
    sz = np.array([q[1] for q in parts], dtype=float)
    seed = seed_of(ss)

    def est(f):
        return function_estimate(f, st, reps, batch_sizes=sz, seed=seed)

    return {"var": est(lambda m: m[0]), "m4": est(lambda m: m[1]), "kurt": est(lambda m: m[2]),
            "m4_minus_var": est(lambda m: m[1] - m[0])}
