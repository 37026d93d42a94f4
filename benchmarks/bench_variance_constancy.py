"""Variance Constancy Loss samplers against plain numpy and the RNG-bound limit, in one run.

The anchor is the sample-variance sampler behind Eq. 1/4/6 and Theorem 3: ``reps`` unbiased
sample variances of samples of size n, in fixed chunks with one PCG64 stream per chunk. The
numpy baseline is the same estimator vectorised (draw an (m, n) block per chunk with the same
generator and chunking, ``var(axis=1, ddof=1)``); the RNG limit draws the same numbers alone.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from benchmarks._timing import best_rate as _best_rate
from dropmc.simulations import variance_constancy as sim
from dropmc.simulations._core import JIT, run_chunks
from dropmc.theory.variance_constancy import Law


@njit(**JIT)
def _draw_normals(g, k):
    s = 0.0
    for _ in range(k):
        s += g.standard_normal()
    return s


@njit(**JIT)
def _draw_uniform_normal(g, k):
    """The mixture sampler's random numbers alone: one uniform and one normal per value."""
    s = 0.0
    for _ in range(k):
        s += g.random()
        s += g.standard_normal()
    return s


def best_rate(fn, units):
    """Best of 7 timed runs after a warm-up (the machine is shared; the best run is the least
    disturbed one)."""
    return _best_rate(fn, units, repeats=7)


def _numpy_normal(n, reps, chunk):
    def kern(g, m):
        return g.standard_normal((m, n)).var(axis=1, ddof=1)
    return lambda: run_chunks(kern, reps, 0, chunk_size=chunk, min_chunks=32)


def _numpy_mixture(law, n, reps, chunk):
    p, m1, m2, s1, s2 = law.params

    def kern(g, m):
        first = g.random((m, n)) < p
        z = g.standard_normal((m, n))
        x = np.where(first, m1 + s1 * z, m2 + s2 * z)
        return x.var(axis=1, ddof=1)
    return lambda: run_chunks(kern, reps, 0, chunk_size=chunk, min_chunks=32)


def rows() -> list[dict]:
    out = []
    chunk = sim.CHUNK
    for n in (10, 100):
        reps = 4_000_000 // n * 4
        law = Law.normal(0.0, 1.0)
        out.append({
            "name": f"variance_constancy sample variances (Eq. 1), normal, n={n}",
            "unit": "samples/s",
            "throughput": best_rate(lambda: sim.sample_variances(law, n, reps, rng=0), reps),
            "numpy_throughput": best_rate(_numpy_normal(n, reps, chunk), reps),
            "rng_limit_throughput": best_rate(
                lambda: run_chunks(lambda g, m: _draw_normals(g, m * n), reps, 0,
                                   chunk_size=chunk, min_chunks=32), reps),
            "note": "numpy: g.standard_normal((m, n)).var(axis=1, ddof=1) per chunk",
        })
    n = 10
    reps = 1_600_000
    law = Law.gmm2(0.3, -1.0, 2.0, 0.5, 1.0)
    out.append({
        "name": f"variance_constancy sample variances, two-Gaussian mixture, n={n}",
        "unit": "samples/s",
        "throughput": best_rate(lambda: sim.sample_variances(law, n, reps, rng=0), reps),
        "numpy_throughput": best_rate(_numpy_mixture(law, n, reps, chunk), reps),
        "rng_limit_throughput": best_rate(
            lambda: run_chunks(lambda g, m: _draw_uniform_normal(g, m * n), reps, 0,
                               chunk_size=chunk, min_chunks=32), reps),
        "note": "numpy draws a uniform and a normal per value (np.where)",
    })
    return out
