"""Section 3.3 of Zhang & Xu: the η noise, sampled by a Numba kernel, and its moments by Monte
Carlo."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from dropmc._validation import MAX_SAMPLES, check_int, check_probability, check_samples
from dropmc.estimate import Estimate, batch_means, seed_of
from dropmc.simulations._core import JIT, as_seed_sequence, run_chunks, stack

# ------------------------------------------------------------------------------------------
# Section 3.3: the η noise
# ------------------------------------------------------------------------------------------


@njit(**JIT)
def _eta_fill_kernel(gen, out, p):
    """Fill ``out`` with i.i.d. η: (1 − p)/p with probability p, −1 otherwise."""
    hi = (1.0 - p) / p
    flat = out.ravel()
    for k in range(flat.shape[0]):
        flat[k] = hi if gen.random() < p else -1.0
    return out


def sample_eta(p: float, size, rng=None) -> np.ndarray:
    r"""Draw η of Section 3.3 with shape ``size`` (Numba kernel on one PCG64 stream); the
    draws must fit in memory."""
    p = check_probability("p", p)
    dims = (size,) if np.ndim(size) == 0 else tuple(size)
    size = tuple(check_int("size", s, minimum=1) for s in dims)
    check_samples("size (the number of draws)", math.prod(size), bytes_per_sample=8)
    out = np.empty(size)
    gen = np.random.Generator(np.random.PCG64(as_seed_sequence(rng)))
    return _eta_fill_kernel(gen, out, p)


@njit(**JIT)
def _eta_moments_kernel(gen, n, m, p):
    """Chunk means of η_k, η_k², η_kη_{k+1}, η_k³ (averaged over the m coordinates)."""
    hi = (1.0 - p) / p
    s1 = 0.0
    s2 = 0.0
    sx = 0.0
    s3 = 0.0
    for _ in range(n):
        prev = hi if gen.random() < p else -1.0
        s1 += prev
        s2 += prev * prev
        s3 += prev * prev * prev
        for k in range(1, m):
            e = hi if gen.random() < p else -1.0
            s1 += e
            s2 += e * e
            s3 += e * e * e
            sx += prev * e
            prev = e
    return s1 / (n * m), s2 / (n * m), sx / (n * (m - 1)), s3 / (n * m)


def estimate_eta_moments(p: float, m: int = 8, *, n: int = 200_000, rng=None) -> dict:
    r"""Monte Carlo :math:`E\eta_k`, :math:`E\eta_k^2`, :math:`E\eta_k\eta_{k+1}`,
    :math:`E\eta_k^3` from ``n`` draws of an m-vector η (n·m scalar draws at most
    :data:`~dropmc._validation.MAX_SAMPLES`); SEs by batch means over 32+ chunks.

    Returns a dict of :class:`Estimate` with keys ``mean``, ``second``, ``cross``, ``third``.
    """
    p = check_probability("p", p)
    m = check_int("m", m, minimum=2, maximum=MAX_SAMPLES // 64)
    n = check_samples("n", n, minimum=64, maximum=MAX_SAMPLES // m)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda g, k: (k,) + _eta_moments_kernel(g, k, m, p), n, ss,
                       chunk_size=1 << 13, min_chunks=32)
    arr = stack(parts)
    mean, cov = batch_means(arr[:, 1:], arr[:, 0])
    keys = ("mean", "second", "cross", "third")
    return {k: Estimate(float(mean[i]), float(math.sqrt(max(cov[i, i], 0.0))), n,
                        "monte_carlo", seed_of(ss)) for i, k in enumerate(keys)}
