"""Section 3.3 of Zhang & Xu: the η noise, sampled by a Numba kernel, and its moments by Monte
Carlo."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from dropmc._validation import MAX_SAMPLES, check_int, check_probability, check_samples
from dropmc.estimate import Estimate, batch_means, seed_of
from dropmc.simulations._core import JIT, as_seed_sequence, run_chunks, stack
from dropmc.simulations._xoshiro import next_double_r

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
def _eta_moments_kernel(state, n, m, p):
    """Chunk means of η_k, η_k², η_kη_{k+1}, η_k³ (averaged over the m coordinates) over n
    draws of an m-vector η from the xoshiro ``state`` (advanced, held in registers): one
    uniform U per coordinate, η = (1 − p)/p when U < p (kept), −1 otherwise.

    η takes two values, so the kernel only counts: K kept coordinates, A adjacent pairs with
    both kept, and the kept first and last coordinates (which give the pairs with exactly one
    kept); the moments follow exactly from these integers."""
    hi = (1.0 - p) / p
    kept_all = 0
    both = 0
    kept_first = 0
    kept_last = 0
    x0, x1, x2, x3 = state[0], state[1], state[2], state[3]
    for _ in range(n):
        u, x0, x1, x2, x3 = next_double_r(x0, x1, x2, x3)
        prev = np.int64(u < p)
        kept_all += prev
        kept_first += prev
        for k in range(1, m):
            u, x0, x1, x2, x3 = next_double_r(x0, x1, x2, x3)
            kept = np.int64(u < p)
            kept_all += kept
            both += kept & prev
            prev = kept
        kept_last += prev
    state[0], state[1], state[2], state[3] = x0, x1, x2, x3
    total = n * m
    dropped = total - kept_all
    pairs = n * (m - 1)
    one = (kept_all - kept_last) + (kept_all - kept_first) - 2 * both   # pairs with one kept
    return ((hi * kept_all - dropped) / total, (hi * hi * kept_all + dropped) / total,
            (hi * hi * both - hi * one + (pairs - both - one)) / pairs,
            (hi * hi * hi * kept_all - dropped) / total)


def estimate_eta_moments(p: float, m: int = 8, *, n: int = 200_000, rng=None) -> dict:
    r"""Monte Carlo :math:`E\eta_k`, :math:`E\eta_k^2`, :math:`E\eta_k\eta_{k+1}`,
    :math:`E\eta_k^3` from ``n`` draws of an m-vector η (n·m scalar draws at most
    :data:`~dropmc._validation.MAX_SAMPLES`; the in-kernel xoshiro256++ stream, one state per
    chunk); SEs by batch means over 32+ chunks.

    Returns a dict of :class:`Estimate` with keys ``mean``, ``second``, ``cross``, ``third``.
    """
    p = check_probability("p", p)
    m = check_int("m", m, minimum=2, maximum=MAX_SAMPLES // 64)
    n = check_samples("n", n, minimum=64, maximum=MAX_SAMPLES // m)
    ss = as_seed_sequence(rng)
    parts = run_chunks(lambda s, k: (k,) + _eta_moments_kernel(s, k, m, p), n, ss,
                       chunk_size=1 << 13, min_chunks=32, stream="xoshiro")
    arr = stack(parts)
    mean, cov = batch_means(arr[:, 1:], arr[:, 0])
    keys = ("mean", "second", "cross", "third")
    return {k: Estimate(float(mean[i]), float(math.sqrt(max(cov[i, i], 0.0))), n,
                        "monte_carlo", seed_of(ss)) for i, k in enumerate(keys)}
