"""Section 2 of Littwin & Wolf: unbiased sample variances of a
:class:`~dropmc.theory.variance_constancy.Law` and the Monte Carlo sides of Eq. 1, Eq. 4/6 and
of the unbiasedness of σ_s²."""

from __future__ import annotations

import numpy as np

from dropmc._validation import check_samples
from dropmc.estimate import Estimate
from dropmc.simulations._core import run_chunks
from dropmc.simulations.variance_constancy._shared import (
    CHUNK, _chunk_sampler, _chunked_stat, _mean_estimate_from_chunks)
from dropmc.theory.variance_constancy import Law, central_moments


def sample_variances(law: Law, n: int, reps: int, rng=None, *, chunk_size: int = CHUNK,
                     min_chunks: int = 32) -> np.ndarray:
    """``reps`` unbiased sample variances σ_s² of i.i.d. samples of size ``n`` from ``law``.

    The result depends only on ``rng``, ``reps``, ``chunk_size`` and ``min_chunks`` (chunk c
    draws from its own stream: xoshiro256++ for the built-in laws, PCG64 for a scipy law), not
    on the thread count.
    """
    f, stream = _chunk_sampler(law, n)
    reps = check_samples("reps", reps, bytes_per_sample=8)
    return np.concatenate(run_chunks(f, reps, rng, chunk_size=chunk_size,
                                     min_chunks=min_chunks, stream=stream))


def estimate_var_sample_variance(law: Law, n: int, reps: int = 200_000, rng=None) -> Estimate:
    """Monte Carlo E[(σ² − σ_s²)²] (the left side of Eq. 1), σ² the law's true variance;
    batch-means SE over the chunks."""
    _, sigma2, _ = central_moments(law)
    st, sz, seed = _chunked_stat(law, n, reps, rng, lambda v: [np.mean((v - sigma2) ** 2)], 1)
    return _mean_estimate_from_chunks(st, sz, seed)


def estimate_vcl_loss(law: Law, n: int, reps: int = 200_000, rng=None) -> Estimate:
    """Monte Carlo L_s = E(1 − σ_s²/σ²)² (Eq. 6)."""
    _, sigma2, _ = central_moments(law)
    st, sz, seed = _chunked_stat(law, n, reps, rng,
                                 lambda v: [np.mean((1.0 - v / sigma2) ** 2)], 1)
    return _mean_estimate_from_chunks(st, sz, seed)


def estimate_mean_sample_variance(law: Law, n: int, reps: int = 200_000, rng=None) -> Estimate:
    """Monte Carlo E σ_s² (= σ² for the unbiased sample variance)."""
    st, sz, seed = _chunked_stat(law, n, reps, rng, lambda v: [np.mean(v)], 1)
    return _mean_estimate_from_chunks(st, sz, seed)
