"""The arithmetic limit of a compute-bound row: what numpy's BLAS and numpy's vectorised exp and
log1p do with the same work as the kernel, measured in the same run.

A batched kernel pushes ``batch`` subnetworks at a time through a network: one matrix product
per layer, then a transcendental or two per unit and subnetwork. :func:`blas_exp_limit` does
exactly those matrix products (same shapes, same batches, the same chunks of ``run_chunks``
and the same threads, BLAS pinned to one thread as in the kernels) and one call of
``numpy.exp`` / ``numpy.log1p`` per batch over all the units' values at once (the most
favourable way to call them), and nothing else: no random numbers, no statistics. The kernel's
rate divided by this one is the fraction of the machine's arithmetic rate it reaches.
"""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

from dropmc.simulations._core import run_chunks


def blas_exp_limit(n: int, weights, *, batch: int, n_exp: int, n_log1p: int = 0,
                   chunk_size: int, min_chunks: int = 32):
    """A callable doing the arithmetic of ``n`` subnetworks: per chunk of ``run_chunks(n,
    chunk_size, min_chunks)`` and per batch of ≤ ``batch`` subnetworks, ``W @ Y`` for each
    matrix W of ``weights`` (Y: W.shape[1] × batch), then ``exp`` of ``n_exp`` and ``log1p`` of
    ``n_log1p`` numbers per subnetwork."""
    weights = [np.ascontiguousarray(W, dtype=float) for W in weights]
    g = np.random.default_rng(0)
    ys = [g.random(W.shape[1] * batch) for W in weights]
    e0 = -np.abs(g.normal(0.0, 3.0, max(n_exp, n_log1p, 1) * batch))

    def chunk(_state, m):
        outs = [np.empty(W.shape[0] * batch) for W in weights]
        e = np.empty_like(e0)
        for done in range(0, m, batch):
            b = min(batch, m - done)   # contiguous (units × b) arrays, as the kernels use
            for W, Y, S in zip(weights, ys, outs):
                np.matmul(W, Y[:W.shape[1] * b].reshape(-1, b), out=S[:W.shape[0] * b].reshape(-1, b))
            if n_exp:
                np.exp(e0[:n_exp * b], out=e[:n_exp * b])
            if n_log1p:
                np.log1p(e[:n_log1p * b], out=e[:n_log1p * b])

    def run():
        with threadpool_limits(1, user_api="blas"):
            run_chunks(chunk, n, 0, chunk_size=chunk_size, min_chunks=min_chunks,
                       stream="xoshiro")

    return run
