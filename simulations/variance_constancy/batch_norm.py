"""Section 2.3 of Littwin & Wolf (Eq. 18–19): what makes the batch-norm output random, and how
far the two factors of the bracket of Eq. 18 are from 1 (its kernel, which draws with
:func:`._shared._draw_r`, is in :mod:`._shared`)."""

from __future__ import annotations

import math

import numpy as np

from dropmc._validation import check_samples
from dropmc.estimate import function_estimate, seed_of
from dropmc.simulations._core import as_seed_sequence, run_chunks
from dropmc.simulations.variance_constancy._shared import (
    CHUNK, MIN_BATCHES, _bn_error_kernel, _check_law_n, _matrix_sampler)
from dropmc.theory.variance_constancy import Law, central_moments


# ------------------------------------------------------------------------------------------
# Section 2.3 (Eq. 18–19): what makes the batch-norm output random
# ------------------------------------------------------------------------------------------

def estimate_bn_error_parts(law: Law, n: int, reps: int = 200_000, rng=None) -> dict:
    """Monte Carlo decomposition of the batch-norm output error of Eq. 18 for a fresh input:
    E T_var² (due to σ_s), E T_mean² (due to μ_s), E e², and the share of E e² due to the
    variance, E T_var² / (E T_var² + E T_mean²). Built-in laws only. Returns
    ``{"var_part", "mean_part", "total", "var_share", "var_minus_mean"}`` of Estimates."""
    code, par, n = _check_law_n(law, n)
    if code < 0:
        raise ValueError("law must be a built-in kind for estimate_bn_error_parts, got a scipy law")
    reps = check_samples("reps", reps, minimum=64)
    mu, sigma2, _ = central_moments(law)
    sigma = math.sqrt(sigma2)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda s, m: (_bn_error_kernel(s, m, n, code, par, mu, sigma), m), reps,
                       ss, chunk_size=CHUNK, min_chunks=MIN_BATCHES, stream="xoshiro")
    st = np.array([q[0] for q in parts])
    sz = np.array([q[1] for q in parts], dtype=float)
    seed = seed_of(ss)

    def est(f):
        return function_estimate(f, st, reps, batch_sizes=sz, seed=seed)

    return {"var_part": est(lambda m: m[0]), "mean_part": est(lambda m: m[1]),
            "total": est(lambda m: m[2]),
            "var_share": est(lambda m: m[0] / (m[0] + m[1])),
            "var_minus_mean": est(lambda m: m[0] - m[1])}


def estimate_mean_ratio_reliability(law: Law, n: int, reps: int = 200_000, rng=None) -> dict:
    """For a batch s of size n and a fresh input ρ (independent of s), the two factors of the
    bracket of Eq. 18: |R − 1| with R = (ρ − μ_s)/(ρ − μ), i.e. |μ_s − μ|/|ρ − μ|, and
    |σ/σ_s − 1|. Returns Estimates of ``p_ratio_smaller`` = Pr(|R − 1| < |σ/σ_s − 1|) and of
    the fractions ``p_ratio_off`` = Pr(|R − 1| > 0.1) and ``p_sigma_off`` = Pr(|σ/σ_s − 1| >
    0.1), batch means over the chunks."""
    draw, stream = _matrix_sampler(law)
    n = check_samples("n", n, minimum=2, bytes_per_sample=8 * CHUNK)   # (chunk, n) draws at once
    reps = check_samples("reps", reps, minimum=64)
    mu, sigma2, _ = central_moments(law)
    sigma = math.sqrt(sigma2)
    ss = as_seed_sequence(rng)

    def kern(g, m):
        X = draw(g, m, n + 1)
        B, rho = X[:, :n], X[:, n]
        mu_s = B.mean(1)
        sd_s = B.std(1, ddof=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            r_dev = np.abs(mu_s - mu) / np.abs(rho - mu)
            s_dev = np.abs(sigma / sd_s - 1.0)
        return np.array([np.mean(r_dev < s_dev), np.mean(r_dev > 0.1),
                         np.mean(s_dev > 0.1)]), m

    parts = run_chunks(kern, reps, ss, chunk_size=CHUNK, min_chunks=MIN_BATCHES, stream=stream)
    st = np.array([q[0] for q in parts])
    sz = np.array([q[1] for q in parts], dtype=float)
    seed = seed_of(ss)

    def est(f):
        return function_estimate(f, st, reps, batch_sizes=sz, seed=seed)

    return {"p_ratio_smaller": est(lambda m: m[0]), "p_ratio_off": est(lambda m: m[1]),
            "p_sigma_off": est(lambda m: m[2])}
